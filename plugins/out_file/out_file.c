/*
 * out_file.c - the local data lake: JSON lines files, one per tag and time
 * window, rolled by size and age, written atomically (out_file_io.c).
 *
 * Every file operation runs in the libuv thread pool, one job at a time per
 * instance, so the loop never waits on the disk and the files need no lock:
 * only the running job touches them. A chunk is acknowledged once its lines
 * are written (and synced, with fsync = true) to the temporary file; at exit
 * and when a file rolls, it gets its final name.
 */
#include <stdlib.h>
#include <string.h>

#include "out_file_io.h"
#include "out_file_render.h"

typedef struct {
    const char *path;
    int64_t roll_size;
    int64_t roll_age_ms;
    bool fsync;
    const char *format;
    const char *time_key;
    const char *time_format;
    const char *tag_key;
    const char *metadata_key;
} file_config_t;

#define CFG(f) offsetof(file_config_t, f)
static const igz_option_t file_options[] = {
    {"path", IGZ_OPT_STR, NULL, IGZ_OPT_REQUIRED, CFG(path),
     "folder of the files (created if missing)", NULL},
    {"roll_size", IGZ_OPT_SIZE, "64MiB", 0, CFG(roll_size), "a file is completed at this size",
     NULL},
    {"roll_age", IGZ_OPT_DURATION, "60s", 0, CFG(roll_age_ms),
     "a file is completed this long after it was opened, even when idle", NULL},
    {"fsync", IGZ_OPT_BOOL, "true", 0, CFG(fsync),
     "sync data before acknowledging a chunk, and files before renaming them", NULL},
    {"format", IGZ_OPT_ENUM, "jsonl", 0, CFG(format), "file format", "jsonl"},
    {"time_key", IGZ_OPT_STR, "time", 0, CFG(time_key), "field for the event time (\"\" for none)",
     NULL},
    {"time_format", IGZ_OPT_ENUM, "iso8601", 0, CFG(time_format),
     "event time as RFC 3339 text, float seconds or integer nanoseconds", "iso8601|epoch|epoch_ns"},
    {"tag_key", IGZ_OPT_STR, "", 0, CFG(tag_key), "field for the tag (\"\" for none)", NULL},
    {"metadata_key", IGZ_OPT_STR, "", 0, CFG(metadata_key),
     "field for the record's metadata map (\"\" for none)", NULL},
    IGZ_OPTION_END};

typedef enum { JOB_FLUSH, JOB_ROLL_OLD } job_kind_t;

typedef struct job {
    uv_work_t req;
    job_kind_t kind;
    struct file_out *o;
    igz_flush_t *fl;
    const void *data;
    size_t len;
    char *tag;
    int64_t now_ms;
    int rc;
    int rolled;
    char err[512];
    struct job *next;
} job_t;

typedef struct file_out {
    igz_instance_t *ins;
    const file_config_t *cfg;
    render_opts_t render;
    out_file_io_t io;
    out_file_t *files;
    size_t n_files;
    uv_timer_t timer;
    job_t *queue_head, *queue_tail;
    bool busy;
    bool roll_queued;
} file_out_t;

/* ---- in the thread pool ---------------------------------------------------------- */

static int complete_file(file_out_t *o, size_t i, char *err, size_t errlen)
{
    int rc = out_file_complete(&o->io, &o->files[i]);
    if (rc)
        snprintf(err, errlen, "%s", o->io.err);
    o->files[i] = o->files[--o->n_files];
    return rc;
}

static out_file_t *find_or_open(file_out_t *o, job_t *j)
{
    for (size_t i = 0; i < o->n_files; i++)
        if (strcmp(o->files[i].tag, j->tag) == 0)
            return &o->files[i];
    out_file_t *nf = realloc(o->files, (o->n_files + 1) * sizeof *nf);
    if (!nf) {
        j->rc = IGZ_ENOMEM;
        snprintf(j->err, sizeof j->err, "out of memory");
        return NULL;
    }
    o->files = nf;
    int rc = out_file_open(&o->io, &o->files[o->n_files], j->tag, j->now_ms);
    if (rc) {
        j->rc = rc;
        snprintf(j->err, sizeof j->err, "%s", o->io.err);
        return NULL;
    }
    return &o->files[o->n_files++];
}

static void job_work(uv_work_t *req)
{
    job_t *j = req->data;
    file_out_t *o = j->o;
    /* roll what is old or full */
    for (size_t i = 0; i < o->n_files;) {
        out_file_t *f = &o->files[i];
        bool old = j->now_ms - f->opened_ms >= o->cfg->roll_age_ms;
        bool full = (int64_t)f->size >= o->cfg->roll_size;
        if (old || full) {
            char err[512];
            if (complete_file(o, i, err, sizeof err) && j->kind == JOB_ROLL_OLD) {
                j->rc = -1;
                memcpy(j->err, err, sizeof err);
            }
            j->rolled++;
            continue;
        }
        i++;
    }
    if (j->kind != JOB_FLUSH)
        return;
    igz_buf_t text = IGZ_BUF_INIT;
    int rc = render_jsonl(&o->render, j->tag, j->data, j->len, &text);
    if (rc) {
        j->rc = rc;
        snprintf(j->err, sizeof j->err, "cannot render the chunk as JSON (%s)", igz_strerror(rc));
        igz_buf_free(&text);
        return;
    }
    /* the text is cut at line ends so that a file stays within roll_size (a single line
     * longer than roll_size gets a file of its own) */
    size_t off = 0;
    while (off < text.len && !j->rc) {
        out_file_t *f = find_or_open(o, j);
        if (!f)
            break;
        size_t room = f->size < (uint64_t)o->cfg->roll_size
                          ? (size_t)((uint64_t)o->cfg->roll_size - f->size)
                          : 0;
        size_t n = text.len - off;
        if (n > room) {
            const char *nl = room ? memrchr(text.data + off, '\n', room) : NULL;
            if (nl)
                n = (size_t)(nl - (text.data + off)) + 1;
            else if (f->size == 0) { /* one long line: all of it, in this empty file */
                const char *end = memchr(text.data + off, '\n', text.len - off);
                n = end ? (size_t)(end - (text.data + off)) + 1 : text.len - off;
            } else {
                n = 0;
            }
        }
        if (n && (rc = out_file_write(&o->io, f, text.data + off, n)) != 0) {
            j->rc = rc;
            snprintf(j->err, sizeof j->err, "%s", o->io.err);
            break;
        }
        off += n;
        if (off < text.len) { /* the file is full: complete it, go on in a new one */
            char err[512];
            for (size_t i = 0; i < o->n_files; i++)
                if (&o->files[i] == f && complete_file(o, i, err, sizeof err)) {
                    j->rc = IGZ_EIO;
                    memcpy(j->err, err, sizeof err);
                }
            j->rolled++;
        }
    }
    igz_buf_free(&text);
}

/* ---- on the loop -------------------------------------------------------------------- */

static void job_start_next(file_out_t *o);

static void job_done(uv_work_t *req, int status)
{
    job_t *j = req->data;
    file_out_t *o = j->o;
    o->busy = false;
    if (j->kind == JOB_FLUSH) {
        if (status != 0)
            igz_flush_done(j->fl, IGZ_FLUSH_RETRY, "file job canceled");
        else if (j->rc == IGZ_EPARSE)
            igz_flush_done(j->fl, IGZ_FLUSH_FAILED, "%s", j->err);
        else if (j->rc)
            igz_flush_done(j->fl, IGZ_FLUSH_RETRY, "%s", j->err);
        else
            igz_flush_done(j->fl, IGZ_FLUSH_OK, NULL);
    } else {
        o->roll_queued = false;
        if (j->rc)
            igz_error(o->ins, "completing a file failed: %s", j->err);
    }
    if (j->rolled)
        igz_debug(o->ins, "%d files completed", j->rolled);
    free(j->tag);
    free(j);
    job_start_next(o);
}

static void job_start_next(file_out_t *o)
{
    if (o->busy || !o->queue_head)
        return;
    job_t *j = o->queue_head;
    o->queue_head = j->next;
    if (!o->queue_head)
        o->queue_tail = NULL;
    j->now_ms = (int64_t)uv_now(igz_instance_loop(o->ins));
    j->req.data = j;
    o->busy = true;
    int rc = uv_queue_work(igz_instance_loop(o->ins), &j->req, job_work, job_done);
    if (rc) {
        o->busy = false;
        if (j->kind == JOB_FLUSH)
            igz_flush_done(j->fl, IGZ_FLUSH_RETRY, "uv_queue_work() failed (%s)", uv_strerror(rc));
        free(j->tag);
        free(j);
    }
}

static void job_push(file_out_t *o, job_t *j)
{
    j->o = o;
    if (o->queue_tail)
        o->queue_tail->next = j;
    else
        o->queue_head = j;
    o->queue_tail = j;
    job_start_next(o);
}

static void file_flush(igz_instance_t *ins, void *ctx, igz_flush_t *fl)
{
    file_out_t *o = ctx;
    job_t *j = calloc(1, sizeof *j);
    if (!j || !(j->tag = strdup(igz_flush_tag(fl)))) {
        free(j);
        igz_flush_done(fl, IGZ_FLUSH_RETRY, "out of memory");
        return;
    }
    j->kind = JOB_FLUSH;
    j->fl = fl;
    j->data = igz_flush_data(fl, &j->len);
    job_push(o, j);
}

static void roll_timer_cb(uv_timer_t *t)
{
    file_out_t *o = t->data;
    if (o->roll_queued || o->n_files == 0)
        return;
    job_t *j = calloc(1, sizeof *j);
    if (!j)
        return; /* the next tick tries again */
    j->kind = JOB_ROLL_OLD;
    o->roll_queued = true;
    job_push(o, j);
}

static int file_init(igz_instance_t *ins, const void *config, void **ctx)
{
    const file_config_t *cfg = config;
    if (cfg->roll_size < 1 || cfg->roll_age_ms < 1) {
        igz_error(ins, "\"roll_size\" and \"roll_age\" must be positive");
        return IGZ_EINVAL;
    }
    file_out_t *o = calloc(1, sizeof *o);
    if (!o)
        return IGZ_ENOMEM;
    o->ins = ins;
    o->cfg = cfg;
    o->render.time_key = cfg->time_key;
    o->render.time_format = render_time_format(cfg->time_format);
    o->render.tag_key = cfg->tag_key;
    o->render.metadata_key = cfg->metadata_key;
    o->io.dir = cfg->path;
    o->io.fsync = cfg->fsync;
    /* start-up work is small and once: done here, before the loop runs flushes */
    int recovered = 0;
    if (out_file_mkdirs(&o->io, cfg->path) || out_file_recover(&o->io, &recovered)) {
        igz_error(ins, "%s", o->io.err);
        free(o);
        return IGZ_EIO;
    }
    if (recovered)
        igz_warn(ins, "recovered %d files left incomplete by an earlier run in \"%s\"", recovered,
                 cfg->path);
    if (uv_timer_init(igz_instance_loop(ins), &o->timer)) {
        free(o);
        return IGZ_EIO;
    }
    o->timer.data = o;
    uint64_t tick = (uint64_t)cfg->roll_age_ms / 4;
    uv_timer_start(&o->timer, roll_timer_cb, tick ? tick : 1, tick ? tick : 1);
    uv_unref((uv_handle_t *)&o->timer); /* rolling alone does not keep iguazu running */
    *ctx = o;
    return 0;
}

static void file_closed(uv_handle_t *h)
{
    file_out_t *o = h->data;
    free(o->files);
    free(o);
}

static void file_exit(igz_instance_t *ins, void *ctx)
{
    file_out_t *o = ctx;
    /* the engine calls exit after the last flush has ended, so no job runs now: the files
     * are completed here, synchronously, as the process is about to end */
    while (o->n_files) {
        char err[512];
        if (complete_file(o, o->n_files - 1, err, sizeof err))
            igz_error(ins, "completing a file at exit failed: %s", err);
    }
    uv_close((uv_handle_t *)&o->timer, file_closed);
}

static igz_plugin_t out_file = {
    .size = sizeof(igz_plugin_t),
    .abi_major = IGZ_ABI_MAJOR,
    .abi_minor = IGZ_ABI_MINOR,
    .kind = IGZ_KIND_OUTPUT,
    .name = "file",
    .description = "JSON lines files in a folder, rolled by size and age, written atomically",
    .options = file_options,
    .config_size = sizeof(file_config_t),
    .init = file_init,
    .flush = file_flush,
    .exit = file_exit,
};

IGZ_PLUGIN_DEFINE(out_file);
