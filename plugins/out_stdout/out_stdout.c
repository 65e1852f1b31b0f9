/*
 * out_stdout.c - every record as one JSON line on standard output.
 *
 * The write goes through uv_fs_write (the thread pool), so a reader that is
 * slow to drain a pipe holds back this output (and, through back pressure,
 * the inputs) but never the loop.
 */
#include <stdlib.h>
#include <unistd.h>

#include "out_file_render.h"

typedef struct {
    const char *time_key;
    const char *time_format;
    const char *tag_key;
    const char *metadata_key;
} stdout_config_t;

#define CFG(f) offsetof(stdout_config_t, f)
static const igz_option_t stdout_options[] = {
    {"time_key", IGZ_OPT_STR, "time", 0, CFG(time_key), "field for the event time (\"\" for none)",
     NULL},
    {"time_format", IGZ_OPT_ENUM, "iso8601", 0, CFG(time_format),
     "event time as RFC 3339 text, float seconds or integer nanoseconds", "iso8601|epoch|epoch_ns"},
    {"tag_key", IGZ_OPT_STR, "", 0, CFG(tag_key), "field for the tag (\"\" for none)", NULL},
    {"metadata_key", IGZ_OPT_STR, "", 0, CFG(metadata_key),
     "field for the record's metadata map (\"\" for none)", NULL},
    IGZ_OPTION_END};

typedef struct {
    uv_fs_t req;
    igz_flush_t *fl;
    igz_buf_t text;
    size_t done;
    igz_instance_t *ins;
} write_t;

static void write_cb(uv_fs_t *req);

static int write_more(write_t *w)
{
    uv_buf_t b = uv_buf_init(w->text.data + w->done, (unsigned)(w->text.len - w->done));
    return uv_fs_write(igz_instance_loop(w->ins), &w->req, STDOUT_FILENO, &b, 1, -1, write_cb);
}

static void write_finish(write_t *w, igz_flush_result_t r, const char *why)
{
    if (why)
        igz_flush_done(w->fl, r, "write() to stdout failed (%s)", why);
    else
        igz_flush_done(w->fl, r, NULL);
    igz_buf_free(&w->text);
    free(w);
}

static void write_cb(uv_fs_t *req)
{
    write_t *w = req->data;
    ssize_t n = req->result;
    uv_fs_req_cleanup(req);
    if (n < 0) {
        /* a closed pipe will not come back: no point retrying */
        write_finish(w, n == UV_EPIPE ? IGZ_FLUSH_FAILED : IGZ_FLUSH_RETRY, uv_strerror((int)n));
        return;
    }
    w->done += (size_t)n;
    if (w->done < w->text.len) {
        int rc = write_more(w);
        if (rc)
            write_finish(w, IGZ_FLUSH_RETRY, uv_strerror(rc));
        return;
    }
    write_finish(w, IGZ_FLUSH_OK, NULL);
}

static void stdout_flush(igz_instance_t *ins, void *ctx, igz_flush_t *fl)
{
    const render_opts_t *o = ctx;
    write_t *w = calloc(1, sizeof *w);
    if (!w) {
        igz_flush_done(fl, IGZ_FLUSH_RETRY, "out of memory");
        return;
    }
    w->fl = fl;
    w->ins = ins;
    w->req.data = w;
    size_t len;
    const void *data = igz_flush_data(fl, &len);
    int rc = render_jsonl(o, igz_flush_tag(fl), data, len, &w->text);
    if (rc) {
        igz_buf_free(&w->text);
        free(w);
        igz_flush_done(fl, rc == IGZ_EPARSE ? IGZ_FLUSH_FAILED : IGZ_FLUSH_RETRY,
                       "cannot render the chunk as JSON (%s)", igz_strerror(rc));
        return;
    }
    if (w->text.len == 0) {
        write_finish(w, IGZ_FLUSH_OK, NULL);
        return;
    }
    rc = write_more(w);
    if (rc)
        write_finish(w, IGZ_FLUSH_RETRY, uv_strerror(rc));
}

static int stdout_init(igz_instance_t *ins, const void *config, void **ctx)
{
    const stdout_config_t *cfg = config;
    render_opts_t *o = calloc(1, sizeof *o);
    if (!o)
        return IGZ_ENOMEM;
    o->time_key = cfg->time_key;
    o->time_format = render_time_format(cfg->time_format);
    o->tag_key = cfg->tag_key;
    o->metadata_key = cfg->metadata_key;
    *ctx = o;
    return 0;
}

static void stdout_exit(igz_instance_t *ins, void *ctx)
{
    free(ctx);
}

static igz_plugin_t out_stdout = {
    .size = sizeof(igz_plugin_t),
    .abi_major = IGZ_ABI_MAJOR,
    .abi_minor = IGZ_ABI_MINOR,
    .kind = IGZ_KIND_OUTPUT,
    .name = "stdout",
    .description = "every record as a JSON line on standard output",
    .options = stdout_options,
    .config_size = sizeof(stdout_config_t),
    .init = stdout_init,
    .flush = stdout_flush,
    .exit = stdout_exit,
};

IGZ_PLUGIN_DEFINE(out_stdout);
