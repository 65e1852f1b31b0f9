/*
 * out_stdout.c - every record as one JSON line on standard output, the same
 * lines as out_file writes (out_file_render.c is compiled in).
 *
 * Why the thread pool and not a uv_pipe/uv_tty on fd 1: libuv makes such a
 * stream non-blocking, which changes the open file description that stdout
 * shares with the shell and the other programs of a pipeline (they then meet
 * EAGAIN on their own writes). A job in the thread pool instead renders the
 * chunk and writes it with plain write() calls, so a reader slow to drain the
 * pipe holds back this output (and, through back pressure, the inputs) but
 * never the loop. Jobs run one at a time, in flush order, so lines of two
 * chunks never mix, even with `workers` > 1.
 *
 * The write blocks SIGPIPE in its own thread and takes the pending signal
 * back, so a closed pipe is the EPIPE error it should be (the chunk fails:
 * the reader is gone for good) rather than the end of the process. When
 * stdout was made non-blocking by someone else, a full pipe is waited for a
 * while with poll(), then the chunk is retried from where it stopped.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "out_file_render.h"
#include "out_file_resume.h"

/* How long a full non-blocking pipe is waited for before the chunk is retried. */
#define STDOUT_STALL_MS 5000

typedef struct {
    const char *time_key;
    const char *time_format;
    const char *tag_key;
    const char *metadata_key;
} stdout_config_t;

#define CFG(f) offsetof(stdout_config_t, f)
static const igz_option_t stdout_options[] = {
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

typedef struct stdout_job {
    uv_work_t req;
    struct stdout_out *o;
    struct stdout_job *next;
    igz_flush_t *fl; /* the chunk, valid until igz_flush_done() */
    const void *data;
    size_t len;
    char *tag;
    char chunk_id[72];
    /* results, read on the loop */
    int rc;       /* 0, an IGZ_E* code from rendering, or -errno from write() */
    size_t wrote; /* bytes of the text written, from its start */
    char err[160];
} stdout_job_t;

typedef struct stdout_out {
    igz_instance_t *ins;
    uv_loop_t *loop;
    out_file_render_t render;
    stdout_job_t *head, *tail;
    bool busy;
    /* chunks cut short by a full pipe: their retries go on from there, so that no line is
     * printed twice or torn */
    out_file_resume_t resume;
} stdout_out_t;

/* ---- in the thread pool --------------------------------------------------------------------- */

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts); /* cannot fail with this clock */
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* write() all of p, or fail with -errno; *done counts what went out. */
static int write_all(const char *p, size_t n, size_t *done)
{
    int64_t stall_end = mono_ms() + STDOUT_STALL_MS;
    while (*done < n) {
        ssize_t w = write(STDOUT_FILENO, p + *done, n - *done);
        if (w > 0) {
            *done += (size_t)w;
            stall_end = mono_ms() + STDOUT_STALL_MS;
            continue;
        }
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            int64_t left = stall_end - mono_ms();
            if (left <= 0)
                return -EAGAIN;
            struct pollfd pfd = {.fd = STDOUT_FILENO, .events = POLLOUT};
            if (poll(&pfd, 1, (int)left) < 0 && errno != EINTR)
                return -errno;
            continue;
        }
        return w < 0 ? -errno : -EIO;
    }
    return 0;
}

/* The write with SIGPIPE blocked in this thread only: the process's handling of the signal
 * stays as it is. A SIGPIPE our write raised is taken back; one that was already pending
 * (raised by someone else) is left alone. */
static int write_no_sigpipe(const char *p, size_t n, size_t *done)
{
    sigset_t pipe_set, old;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    if (pthread_sigmask(SIG_BLOCK, &pipe_set, &old) != 0)
        return write_all(p, n, done);
    sigset_t pending;
    bool was_pending = sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE) == 1;
    int rc = write_all(p, n, done);
    if (rc == -EPIPE && !was_pending) {
        struct timespec zero = {0, 0};
        /* EAGAIN here only means the signal was not raised after all (a write to a socket, for
         * instance): nothing to take back */
        while (sigtimedwait(&pipe_set, NULL, &zero) < 0 && errno == EINTR)
            ;
    }
    /* restoring a mask read just before cannot fail */
    (void)pthread_sigmask(SIG_SETMASK, &old, NULL);
    return rc;
}

static void job_work(uv_work_t *req)
{
    stdout_job_t *j = req->data;
    stdout_out_t *o = j->o;
    igz_buf_t text = IGZ_BUF_INIT;
    int rc = out_file_render_jsonl(&o->render, j->tag, j->data, j->len, &text);
    if (rc) {
        j->rc = rc;
        snprintf(j->err, sizeof j->err, "cannot render the chunk as JSON (%s)", igz_strerror(rc));
        igz_buf_free(&text);
        return;
    }
    /* the resume table belongs to the jobs, which run one at a time */
    j->wrote = out_file_resume_take(&o->resume, j->chunk_id);
    if (j->wrote > text.len)
        j->wrote = 0;
    rc = write_no_sigpipe(text.data, text.len, &j->wrote);
    if (rc) {
        j->rc = rc;
        snprintf(j->err, sizeof j->err, "write() \"stdout\" failed (%d: %s)", -rc, strerror(-rc));
        if (j->wrote > 0)
            out_file_resume_put(&o->resume, j->chunk_id, j->wrote);
    }
    igz_buf_free(&text);
}

/* ---- on the loop ---------------------------------------------------------------------------- */

static void job_start_next(stdout_out_t *o);

static void job_done(uv_work_t *req, int status)
{
    stdout_job_t *j = req->data;
    stdout_out_t *o = j->o;
    o->busy = false;
    if (status != 0)
        igz_flush_done(j->fl, IGZ_FLUSH_RETRY, "the write job was canceled (%s)",
                       uv_strerror(status));
    else if (j->rc == IGZ_EPARSE || j->rc == -EPIPE)
        /* a chunk that cannot be read, or a reader that is gone: no retry helps */
        igz_flush_done(j->fl, IGZ_FLUSH_FAILED, "%s", j->err);
    else if (j->rc)
        igz_flush_done(j->fl, IGZ_FLUSH_RETRY, "%s", j->err);
    else
        igz_flush_done(j->fl, IGZ_FLUSH_OK, NULL);
    free(j->tag);
    free(j);
    job_start_next(o);
}

static void job_start_next(stdout_out_t *o)
{
    if (o->busy || !o->head)
        return;
    stdout_job_t *j = o->head;
    o->head = j->next;
    if (!o->head)
        o->tail = NULL;
    j->req.data = j;
    o->busy = true;
    int rc = uv_queue_work(o->loop, &j->req, job_work, job_done);
    if (rc == 0)
        return;
    o->busy = false;
    igz_flush_done(j->fl, IGZ_FLUSH_RETRY, "uv_queue_work() failed (%s)", uv_strerror(rc));
    free(j->tag);
    free(j);
    job_start_next(o);
}

static void stdout_flush(igz_instance_t *ins, void *ctx, igz_flush_t *fl)
{
    stdout_out_t *o = ctx;
    stdout_job_t *j = calloc(1, sizeof *j);
    if (!j || !(j->tag = strdup(igz_flush_tag(fl)))) {
        free(j);
        igz_flush_done(fl, IGZ_FLUSH_RETRY, "out of memory");
        return;
    }
    j->o = o;
    j->fl = fl;
    j->data = igz_flush_data(fl, &j->len);
    snprintf(j->chunk_id, sizeof j->chunk_id, "%s", igz_flush_chunk_id(fl));
    if (o->tail)
        o->tail->next = j;
    else
        o->head = j;
    o->tail = j;
    job_start_next(o);
}

static int stdout_init(igz_instance_t *ins, const void *config, void **ctx)
{
    const stdout_config_t *cfg = config;
    stdout_out_t *o = calloc(1, sizeof *o);
    if (!o) {
        igz_error(ins, "out of memory");
        return IGZ_ENOMEM;
    }
    int rc = out_file_render_init(&o->render, ins, cfg->time_key, cfg->time_format, cfg->tag_key,
                                  cfg->metadata_key);
    if (rc) {
        free(o);
        return rc;
    }
    o->ins = ins;
    o->loop = igz_instance_loop(ins);
    *ctx = o;
    return 0;
}

static void stdout_exit(igz_instance_t *ins, void *ctx)
{
    /* the engine calls exit once every flush has ended: no job is left to outlive ctx */
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
