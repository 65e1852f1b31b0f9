/* out_file_render.h - records as JSON lines, shared by out_file and out_stdout. */
#ifndef OUT_FILE_RENDER_H
#define OUT_FILE_RENDER_H

#include <iguazu/iguazu.h>

typedef enum { RENDER_TIME_ISO8601, RENDER_TIME_EPOCH, RENDER_TIME_EPOCH_NS } render_time_t;

typedef struct {
    const char *time_key; /* "" or NULL: no time field */
    render_time_t time_format;
    const char *tag_key;      /* "" or NULL: no tag field */
    const char *metadata_key; /* "" or NULL: metadata not written */
} render_opts_t;

/* Parse "iso8601" | "epoch" | "epoch_ns". */
render_time_t render_time_format(const char *s);

/* Append every record of a chunk to out as one JSON object per line. Returns 0,
 * IGZ_ENOMEM, or IGZ_EPARSE for a malformed chunk (out restored). */
int render_jsonl(const render_opts_t *o, const char *tag, const void *data, size_t len,
                 igz_buf_t *out);

#endif
