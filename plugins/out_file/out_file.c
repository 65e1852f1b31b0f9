/*
 * out_file.c - the local data lake: JSON lines files, one per tag at a time,
 * rolled by size and age, written atomically (out_file_io.c).
 *
 * Every file operation (and the JSON rendering, which is CPU work) runs in the
 * libuv thread pool as a job, one job at a time per instance, in the order the
 * jobs were queued: the loop never waits on the disk, the files need no lock
 * (only the running job touches them, and the loop reads them only while no
 * job runs), and chunks land in the files in the order they were flushed even
 * with `workers` > 1. A chunk is acknowledged once its lines are written (and
 * synced, with fsync = true) to a temporary file; they reach their final name
 * when the file rolls, or at exit.
 *
 * Lifetime: exit closes the roll timer and queues a last job that completes
 * every open file; the context is freed when both have ended (the engine runs
 * the loop until then). That last job reads nothing of the configuration,
 * which is only promised until exit returns.
 */
#include <stdlib.h>
#include <string.h>

#include "out_file_io.h"
#include "out_file_render.h"
#include "out_file_resume.h"

typedef struct {
    const char *path;
    int64_t roll_size;
    int64_t roll_age_ms;
    bool fsync;
    const char *file_mode;
    const char *format;
    const char *time_key;
    const char *time_format;
    const char *tag_key;
    const char *metadata_key;
} file_config_t;

#define CFG(f) offsetof(file_config_t, f)
static const igz_option_t file_options[] = {
    {"path", IGZ_OPT_STR, NULL, IGZ_OPT_REQUIRED, CFG(path),
     "folder of the files, created with its parents if missing", NULL},
    {"roll_size", IGZ_OPT_SIZE, "64MiB", 0, CFG(roll_size),
     "a file is completed when the next line would take it past this size", NULL},
    {"roll_age", IGZ_OPT_DURATION, "60s", 0, CFG(roll_age_ms),
     "a file is completed this long after it was opened, even when no record comes", NULL},
    {"fsync", IGZ_OPT_BOOL, "true", 0, CFG(fsync),
     "sync the lines before a chunk is acknowledged, and a file and its folder when it is renamed",
     NULL},
    {"file_mode", IGZ_OPT_STR, "0644", 0, CFG(file_mode),
     "permission bits of the files, in octal (the umask does not apply)", NULL},
    {"format", IGZ_OPT_ENUM, "jsonl", 0, CFG(format), "file format: JSON lines", "jsonl"},
    {"time_key", IGZ_OPT_STR, "time", 0, CFG(time_key),
     "field of each line for the event time (\"\": none)", NULL},
    {"time_format", IGZ_OPT_ENUM, "iso8601", 0, CFG(time_format),
     "event time as RFC 3339 UTC text with nanoseconds, float seconds or integer nanoseconds",
     "iso8601|epoch|epoch_ns"},
    {"tag_key", IGZ_OPT_STR, "", 0, CFG(tag_key), "field of each line for the tag (\"\": none)",
     NULL},
    {"metadata_key", IGZ_OPT_STR, "", 0, CFG(metadata_key),
     "field of each line for the record's metadata map (\"\": none)", NULL},
    IGZ_OPTION_END};

typedef enum { FILE_JOB_FLUSH, FILE_JOB_ROLL, FILE_JOB_CLOSE } file_job_kind_t;

typedef struct file_job {
    uv_work_t req;
    file_job_kind_t kind;
    struct file_out *o;
    struct file_job *next;
    int64_t now_ms; /* loop clock when the job started */
    /* FILE_JOB_FLUSH: the chunk, valid until igz_flush_done() */
    igz_flush_t *fl;
    const void *data;
    size_t len;
    char *tag;
    char chunk_id[72];
    /* results, read on the loop */
    int rc;
    char err[sizeof(((out_file_io_t *)0)->err)];
    igz_buf_t notes; /* errors met on the way, one per line, logged on the loop */
    unsigned completed;
} file_job_t;

typedef struct file_out {
    igz_instance_t *ins;
    uv_loop_t *loop;
    uint64_t roll_size;
    int64_t roll_age_ms;
    out_file_render_t render; /* its keys point into the configuration: flush jobs only */
    out_file_io_t io;
    out_file_t *files; /* the open files, one per tag */
    size_t n_files;
    uv_timer_t timer; /* completes files at roll_age when no job comes to do it */
    file_job_t *head, *tail;
    bool busy;    /* a job is in the thread pool */
    bool closing; /* exit has run */
    int refs;     /* the timer's close and the last job: the context lives until both end */
    file_job_t *close_job; /* made at init, so that exit has nothing left to fail */
    /* chunks whose lines were partly written (into a file that rolled) before a write failed:
     * their retries go on from there instead of writing those lines twice */
    out_file_resume_t resume;
} file_out_t;

/* ---- in the thread pool --------------------------------------------------------------------- */

static void job_note(file_job_t *j, const char *msg)
{
    /* a note that does not fit in memory is lost; the job's result still says what matters */
    if (igz_buf_append_str(&j->notes, msg) == 0)
        igz_buf_append(&j->notes, "\n", 1);
}

/* Complete the i-th open file and take it off the list. A failure is noted, not returned: the
 * file's lines are already safe under its temporary name, and the next start recovers them. */
static void complete_at(file_out_t *o, file_job_t *j, size_t i)
{
    out_file_t f = o->files[i];
    o->files[i] = o->files[--o->n_files];
    if (out_file_complete(&o->io, &f) == 0) {
        j->completed++;
        return;
    }
    char msg[sizeof o->io.err + 96];
    snprintf(msg, sizeof msg, "%s; its lines stay in the temporary file until the next start",
             o->io.err);
    job_note(j, msg);
}

static out_file_t *find_or_open(file_out_t *o, file_job_t *j)
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

/* How much of p (n bytes of whole lines) goes into f: as many lines as keep it within
 * roll_size, or, in an empty file, at least one line however long. 0: roll first. */
static size_t fit(const file_out_t *o, const out_file_t *f, const char *p, size_t n)
{
    uint64_t room = f->size < o->roll_size ? o->roll_size - f->size : 0;
    if (n <= room)
        return n;
    const char *nl = room ? memrchr(p, '\n', (size_t)room) : NULL;
    if (nl)
        return (size_t)(nl - p) + 1;
    if (f->size > 0)
        return 0;
    const char *end = memchr(p, '\n', n);
    return end ? (size_t)(end - p) + 1 : n;
}

static void write_chunk(file_out_t *o, file_job_t *j)
{
    igz_buf_t text = IGZ_BUF_INIT;
    int rc = out_file_render_jsonl(&o->render, j->tag, j->data, j->len, &text);
    if (rc) {
        j->rc = rc;
        snprintf(j->err, sizeof j->err, "cannot render the chunk as JSON (%s)", igz_strerror(rc));
        igz_buf_free(&text);
        return;
    }
    size_t off = out_file_resume_take(&o->resume, j->chunk_id);
    if (off > text.len)
        off = 0;
    while (off < text.len) {
        out_file_t *f = find_or_open(o, j);
        if (!f)
            break;
        size_t i = (size_t)(f - o->files);
        size_t n = fit(o, f, text.data + off, text.len - off);
        if (n) {
            bool broken;
            rc = out_file_write(&o->io, f, text.data + off, n, &broken);
            if (rc) {
                j->rc = rc;
                snprintf(j->err, sizeof j->err, "%s", o->io.err);
                if (broken) {
                    /* a file that could not be cut back may end in a partial line: nothing
                     * more goes into it, and the next start's recovery drops that line */
                    out_file_abandon(f);
                    o->files[i] = o->files[--o->n_files];
                }
                break;
            }
            off += n;
        }
        if (off < text.len || f->size >= o->roll_size)
            complete_at(o, j, i);
    }
    if (j->rc && off > 0)
        out_file_resume_put(&o->resume, j->chunk_id, off);
    igz_buf_free(&text);
}

static void job_work(uv_work_t *req)
{
    file_job_t *j = req->data;
    file_out_t *o = j->o;
    /* what is old or full is completed first, whichever job comes */
    for (size_t i = 0; i < o->n_files;) {
        const out_file_t *f = &o->files[i];
        if (j->kind == FILE_JOB_CLOSE || j->now_ms - f->opened_ms >= o->roll_age_ms ||
            f->size >= o->roll_size)
            complete_at(o, j, i);
        else
            i++;
    }
    if (j->kind == FILE_JOB_FLUSH)
        write_chunk(o, j);
    else if (j->kind == FILE_JOB_CLOSE)
        out_file_unlock(&o->io);
}

/* ---- on the loop ---------------------------------------------------------------------------- */

static void job_start_next(file_out_t *o);

static void out_release(file_out_t *o)
{
    if (--o->refs > 0)
        return;
    free(o->files);
    free(o->io.dir);
    free(o);
}

static void job_free(file_job_t *j)
{
    igz_buf_free(&j->notes);
    free(j->tag);
    free(j);
}

static void roll_timer_cb(uv_timer_t *t);

/* Wake up when the oldest open file is due. Called only while no job runs, so reading the
 * files is safe; a job's end calls it again. */
static void arm_timer(file_out_t *o)
{
    if (o->closing)
        return;
    if (o->n_files == 0) {
        uv_timer_stop(&o->timer);
        return;
    }
    int64_t oldest = o->files[0].opened_ms;
    for (size_t i = 1; i < o->n_files; i++)
        if (o->files[i].opened_ms < oldest)
            oldest = o->files[i].opened_ms;
    int64_t due = oldest + o->roll_age_ms - (int64_t)uv_now(o->loop);
    int rc = uv_timer_start(&o->timer, roll_timer_cb, due > 0 ? (uint64_t)due : 0, 0);
    if (rc)
        igz_error(o->ins, "uv_timer_start() failed (%s): idle files roll with the next chunk",
                  uv_strerror(rc));
}

static void log_notes(file_out_t *o, file_job_t *j)
{
    char *p = j->notes.data, *end = p + j->notes.len;
    while (p < end) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            break;
        igz_error(o->ins, "%.*s", (int)(nl - p), p);
        p = nl + 1;
    }
}

static void job_done(uv_work_t *req, int status)
{
    file_job_t *j = req->data;
    file_out_t *o = j->o;
    o->busy = false;
    log_notes(o, j);
    if (j->completed)
        igz_debug(o->ins, "%u files completed", j->completed);
    if (j->kind == FILE_JOB_CLOSE) {
        job_free(j);
        out_release(o);
        return;
    }
    /* before the flush ends: igz_flush_done may hand over the next chunk at once, whose job
     * then owns the files */
    arm_timer(o);
    if (j->kind == FILE_JOB_FLUSH) {
        if (status != 0)
            igz_flush_done(j->fl, IGZ_FLUSH_RETRY, "the file job was canceled (%s)",
                           uv_strerror(status));
        else if (j->rc == IGZ_EPARSE)
            igz_flush_done(j->fl, IGZ_FLUSH_FAILED, "%s", j->err);
        else if (j->rc)
            igz_flush_done(j->fl, IGZ_FLUSH_RETRY, "%s", j->err);
        else
            igz_flush_done(j->fl, IGZ_FLUSH_OK, NULL);
    }
    job_free(j);
    job_start_next(o);
}

static void job_start_next(file_out_t *o)
{
    if (o->busy || !o->head)
        return;
    file_job_t *j = o->head;
    o->head = j->next;
    if (!o->head)
        o->tail = NULL;
    j->now_ms = (int64_t)uv_now(o->loop);
    j->req.data = j;
    o->busy = true;
    int rc = uv_queue_work(o->loop, &j->req, job_work, job_done);
    if (rc == 0)
        return;
    /* it cannot happen with valid arguments; should it, the job ends here, on the loop */
    igz_error(o->ins, "uv_queue_work() failed (%s): the file job runs on the loop",
              uv_strerror(rc));
    job_work(&j->req);
    job_done(&j->req, 0);
}

static void job_push(file_out_t *o, file_job_t *j)
{
    j->o = o;
    j->next = NULL;
    if (o->tail)
        o->tail->next = j;
    else
        o->head = j;
    o->tail = j;
    job_start_next(o);
}

static file_job_t *job_new(file_job_kind_t kind)
{
    file_job_t *j = calloc(1, sizeof *j);
    if (j) {
        j->kind = kind;
        igz_buf_init(&j->notes);
    }
    return j;
}

static void file_flush(igz_instance_t *ins, void *ctx, igz_flush_t *fl)
{
    file_out_t *o = ctx;
    file_job_t *j = job_new(FILE_JOB_FLUSH);
    if (!j || !(j->tag = strdup(igz_flush_tag(fl)))) {
        free(j);
        igz_flush_done(fl, IGZ_FLUSH_RETRY, "out of memory");
        return;
    }
    j->fl = fl;
    j->data = igz_flush_data(fl, &j->len);
    snprintf(j->chunk_id, sizeof j->chunk_id, "%s", igz_flush_chunk_id(fl));
    job_push(o, j);
}

static void roll_timer_cb(uv_timer_t *t)
{
    file_out_t *o = t->data;
    if (o->busy || o->closing || o->head)
        return; /* a job is coming or running: it completes what is due, then re-arms */
    file_job_t *j = job_new(FILE_JOB_ROLL);
    if (!j) {
        igz_error(o->ins, "out of memory: idle files roll in 1 s");
        uv_timer_start(&o->timer, roll_timer_cb, 1000, 0);
        return;
    }
    job_push(o, j);
}

/* "0644" → 0644; -1 when not 1 to 4 octal digits within 07777. */
static int parse_mode(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > 4 || strspn(s, "01234567") != n)
        return -1;
    return (int)strtol(s, NULL, 8);
}

static void recover_cb(void *arg, bool ok, const char *path, uint64_t kept, uint64_t dropped)
{
    file_out_t *o = arg;
    if (!ok)
        igz_error(o->ins, "%s; the file is left for the next start", o->io.err);
    else if (kept == 0)
        igz_info(o->ins, "removed \"%s\" left empty by an earlier run", path);
    else
        igz_warn(o->ins,
                 "recovered \"%s\" left incomplete by an earlier run (%llu bytes kept, %llu bytes "
                 "of a torn last line dropped)",
                 path, (unsigned long long)kept, (unsigned long long)dropped);
}

static int file_init(igz_instance_t *ins, const void *config, void **ctx)
{
    const file_config_t *cfg = config;
    int mode = parse_mode(cfg->file_mode);
    if (!cfg->path[0]) {
        igz_error(ins, "\"path\" must not be empty");
        return IGZ_ECONFIG;
    }
    if (cfg->roll_size < 1 || cfg->roll_age_ms < 1) {
        igz_error(ins, "\"roll_size\" and \"roll_age\" must be more than 0");
        return IGZ_ECONFIG;
    }
    if (mode < 0) {
        igz_error(ins,
                  "\"file_mode\" must be permission bits in octal such as \"0640\", not \"%s\"",
                  cfg->file_mode);
        return IGZ_ECONFIG;
    }
    file_out_t *o = calloc(1, sizeof *o);
    if (!o) {
        igz_error(ins, "out of memory");
        return IGZ_ENOMEM;
    }
    int rc = out_file_render_init(&o->render, ins, cfg->time_key, cfg->time_format, cfg->tag_key,
                                  cfg->metadata_key);
    if (rc)
        goto err;
    o->ins = ins;
    o->loop = igz_instance_loop(ins);
    o->roll_size = (uint64_t)cfg->roll_size;
    o->roll_age_ms = cfg->roll_age_ms;
    o->io.fsync = cfg->fsync;
    o->io.mode = (unsigned)mode;
    o->io.lock_fd = -1;
    if (!(o->io.dir = strdup(cfg->path))) {
        igz_error(ins, "out of memory");
        rc = IGZ_ENOMEM;
        goto err;
    }
    /* start-up work is small and happens once, before any record flows: done here, on the
     * loop, so that a folder that cannot be used stops the start with a clear message */
    if (out_file_mkdirs(&o->io, o->io.dir) || out_file_lock(&o->io) ||
        out_file_recover(&o->io, recover_cb, o)) {
        igz_error(ins, "%s", o->io.err);
        rc = IGZ_EIO;
        goto err;
    }
    if (!(o->close_job = job_new(FILE_JOB_CLOSE))) {
        igz_error(ins, "out of memory");
        rc = IGZ_ENOMEM;
        goto err;
    }
    if ((rc = uv_timer_init(o->loop, &o->timer)) != 0) {
        igz_error(ins, "uv_timer_init() failed (%s)", uv_strerror(rc));
        rc = IGZ_EIO;
        goto err;
    }
    o->timer.data = o;
    uv_unref((uv_handle_t *)&o->timer); /* rolling alone does not keep iguazu running */
    o->refs = 2;
    igz_debug(ins, "writing into \"%s\"", o->io.dir);
    *ctx = o;
    return 0;
err:
    out_file_unlock(&o->io);
    free(o->close_job);
    free(o->io.dir);
    free(o);
    return rc;
}

static void timer_closed(uv_handle_t *h)
{
    out_release(h->data);
}

static void file_exit(igz_instance_t *ins, void *ctx)
{
    file_out_t *o = ctx;
    o->closing = true;
    uv_close((uv_handle_t *)&o->timer, timer_closed);
    /* the open files get their final names in a last job, after any job still running; the
     * engine runs the loop until it ends. The job was made at init: nothing can fail here. */
    file_job_t *j = o->close_job;
    o->close_job = NULL;
    job_push(o, j);
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
