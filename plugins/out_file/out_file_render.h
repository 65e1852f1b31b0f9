/*
 * out_file_render.h - records as JSON lines, shared by out_file and
 * out_stdout (out_stdout compiles out_file_render.c in as well), so that both
 * write exactly the same lines from the same options.
 */
#ifndef OUT_FILE_RENDER_H
#define OUT_FILE_RENDER_H

#include <iguazu/iguazu.h>

typedef enum {
    OUT_FILE_TIME_ISO8601,
    OUT_FILE_TIME_EPOCH,
    OUT_FILE_TIME_EPOCH_NS
} out_file_time_format_t;

/* An added field: its key (len 0: not added). Points into the configuration. */
typedef struct {
    const char *key;
    size_t len;
} out_file_field_t;

typedef struct {
    out_file_field_t time; /* event time */
    out_file_field_t tag;
    out_file_field_t meta; /* the record's metadata map */
    out_file_time_format_t time_format;
} out_file_render_t;

/* Fill r from the options shared by both plugins (strings as the schema gave
 * them; NULL or "" leaves a field out). Refuses two added fields with the same
 * key. Returns 0, or IGZ_ECONFIG after logging why for ins. */
int out_file_render_init(out_file_render_t *r, igz_instance_t *ins, const char *time_key,
                         const char *time_format, const char *tag_key, const char *metadata_key);

/* Append every record of a chunk to out, one JSON object and '\n' per record:
 * the added fields first (time, tag, metadata, in that order), then the body's
 * fields in their order, except a body field named like an added one. Returns
 * 0, IGZ_ENOMEM, or IGZ_EPARSE for a chunk that cannot be read; on error out
 * is restored to its length before the call. Safe in the thread pool: it only
 * reads its arguments. */
int out_file_render_jsonl(const out_file_render_t *r, const char *tag, const void *data, size_t len,
                          igz_buf_t *out);

#endif
