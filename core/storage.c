/*
 * storage.c - the job queue of durable storage and the life of a chunk file
 * (see storage.h). Jobs run in the thread pool one at a time; their results
 * are applied on the loop in the done callback, so the chunk's bookkeeping is
 * only ever touched by the loop.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fault.h"
#include "storage.h"
#include "storage_internal.h"

/* ---- the queue ------------------------------------------------------------------- */

static void start_next(igz_storage_t *s);

static st_job_t *job_new(igz_storage_t *s, st_job_type_t type, igz_chunk_t *c)
{
    st_job_t *j = calloc(1, sizeof *j);
    if (!j)
        return NULL;
    j->type = type;
    j->s = s;
    j->c = c;
    if (c)
        c->st.busy++;
    return j;
}

static void job_free(st_job_t *j)
{
    free(j->text);
    free(j->text2);
    free(j->loaded);
    free(j);
}

void igz__storage_push(igz_storage_t *s, st_job_t *j)
{
    if (s->tail)
        s->tail->next = j;
    else
        s->head = j;
    s->tail = j;
    start_next(s);
}

static const char *job_name(st_job_type_t t)
{
    static const char *names[] = {"write", "seal", "acknowledge", "delete", "load", "dead-letter"};
    return names[t];
}

static void retry_timer_cb(uv_timer_t *t)
{
    igz_storage_t *s = t->data;
    s->waiting_retry = false;
    start_next(s);
}

static void job_done(uv_work_t *req, int status)
{
    st_job_t *j = req->data;
    igz_storage_t *s = j->s;
    igz_engine_t *e = s->engine;
    igz_chunk_t *c = j->c;
    s->running = false;
    if (c)
        c->st.inflight = false;
    if (status == 0 && j->err == 0) {
        if (s->failing) {
            s->failing = false;
            igz_info(NULL, "storage: %s works again; inputs resume", job_name(j->type));
        }
        s->head = j->next;
        if (!s->head)
            s->tail = NULL;
        if (c)
            c->st.busy--;
        igz__storage_job_applied(s, j); /* may free c */
        job_free(j);
        igz__storage_enforce_limit(s);
        igz__chain_pressure(e);
    } else if (j->type == st_DELETE || (j->type == st_LOAD && j->corrupt)) {
        /* not worth blocking everything: reported, and handled by the applier */
        s->head = j->next;
        if (!s->head)
            s->tail = NULL;
        if (c)
            c->st.busy--;
        igz__storage_job_applied(s, j); /* may free c */
        job_free(j);
    } else {
        /* the job stays first; everything waits behind it, inputs are paused */
        if (!s->failing || s->failures++ % 30 == 0)
            igz_error(NULL, "storage: %s failed: %s; inputs paused, retrying every second",
                      job_name(j->type), j->msg);
        s->failing = true;
        igz__chain_pressure(e);
        s->waiting_retry = true;
        uv_timer_start(&s->retry_timer, retry_timer_cb, 1000, 0);
        return;
    }
    start_next(s);
}

static void start_next(igz_storage_t *s)
{
    if (s->running || s->waiting_retry || !s->head || s->closed)
        return;
    st_job_t *j = s->head;
    igz_chunk_t *c = j->c;
    j->err = 0;
    j->msg[0] = '\0';
    if (j->type == st_WRITE || j->type == st_SEAL) {
        /* the bytes written are the ones present now: later appends queue another write */
        j->from = c->st.persisted;
        j->to = c->buf.len;
        j->data = c->buf.data;
        if (j->type == st_WRITE)
            c->st.write_queued = false;
    }
    if (c)
        c->st.inflight = true;
    s->running = true;
    j->req.data = j;
    int rc = uv_queue_work(&s->engine->loop, &j->req, igz__storage_job_work, job_done);
    if (rc) {
        s->running = false;
        if (c)
            c->st.inflight = false;
        snprintf(j->msg, sizeof j->msg, "uv_queue_work() failed (%s)", uv_strerror(rc));
        s->waiting_retry = true;
        uv_timer_start(&s->retry_timer, retry_timer_cb, 1000, 0);
    }
}

/* ---- what the engine asks ------------------------------------------------------------- */

int igz__mkdirs(const char *dir, char *err, size_t errlen)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s", dir);
    for (char *p = tmp + 1;; p++) {
        if (*p == '/' || *p == '\0') {
            char c = *p;
            *p = '\0';
            if (mkdir(tmp, 0750) != 0 && errno != EEXIST) {
                snprintf(err, errlen, "mkdir() \"%s\" failed (%d: %s)", tmp, errno,
                         strerror(errno));
                return IGZ_EIO;
            }
            *p = c;
            if (!c)
                break;
        }
    }
    return 0;
}

int igz__storage_open(igz_engine_t *e, igz_storage_t **out, char *err, size_t errlen)
{
    *out = NULL;
    const igz_service_t *svc = e->svc;
    igz__fault_init();
    igz_storage_t *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return IGZ_ENOMEM;
    }
    s->engine = e;
    s->persist = svc->storage_path != NULL;
    s->full_sync = strcmp(svc->storage_sync, "full") == 0;
    s->drop_oldest = strcmp(svc->storage_full_policy, "drop_oldest") == 0;
    s->total_limit = (uint64_t)svc->storage_total_limit;
    s->max_up = svc->storage_max_chunks_up > 0 ? (size_t)svc->storage_max_chunks_up : 1;
    if (!s->persist) { /* dead letters only */
        uv_timer_init(&e->loop, &s->retry_timer);
        uv_timer_init(&e->loop, &s->replay_timer);
        s->retry_timer.data = s->replay_timer.data = s;
        *out = s;
        return 0;
    }
    if (asprintf(&s->chunks_dir, "%s/chunks", svc->storage_path) < 0 ||
        asprintf(&s->replay_dir, "%s/replay", svc->storage_path) < 0 ||
        asprintf(&s->state_dir, "%s/state", svc->storage_path) < 0) {
        igz__storage_free(s);
        snprintf(err, errlen, "out of memory");
        return IGZ_ENOMEM;
    }
    int rc = igz__mkdirs(s->chunks_dir, err, errlen);
    if (!rc)
        rc = igz__mkdirs(s->replay_dir, err, errlen);
    if (!rc)
        rc = igz__mkdirs(s->state_dir, err, errlen);
    if (rc) {
        igz__storage_free(s);
        return rc;
    }
    uv_timer_init(&e->loop, &s->retry_timer);
    uv_timer_init(&e->loop, &s->replay_timer);
    s->retry_timer.data = s->replay_timer.data = s;
    *out = s;
    return 0;
}

void igz__storage_close(igz_storage_t *s)
{
    s->closed = true;
    uv_timer_stop(&s->retry_timer);
    uv_timer_stop(&s->replay_timer);
}

bool igz__storage_running(const igz_storage_t *s)
{
    return s->running;
}

void igz__storage_free(igz_storage_t *s)
{
    if (!s)
        return;
    st_job_t *j = s->head;
    while (j) {
        st_job_t *next = j->next;
        job_free(j);
        j = next;
    }
    free(s->chunks_dir);
    free(s->replay_dir);
    free(s->state_dir);
    free(s);
}

void igz__storage_chunk_init(igz_storage_t *s, igz_chunk_t *c)
{
    c->st.fd = -1;
    c->st.up = true;
    if (asprintf(&c->st.base, "%s/%016llx-%06llx", s->chunks_dir, (unsigned long long)c->created,
                 (unsigned long long)(c->seq & 0xffffff)) < 0)
        c->st.base = NULL; /* checked by the write job, which then fails loudly */
}

int igz__storage_append(igz_storage_t *s, igz_chunk_t *c, size_t len)
{
    s->pending += len;
    if (c->st.write_queued)
        return 0;
    st_job_t *j = job_new(s, st_WRITE, c);
    if (!j)
        return IGZ_ENOMEM;
    c->st.write_queued = true;
    igz__storage_push(s, j);
    return 0;
}

int igz__storage_seal(igz_storage_t *s, igz_chunk_t *c)
{
    st_job_t *j = job_new(s, st_SEAL, c);
    if (!j)
        return IGZ_ENOMEM;
    igz__storage_push(s, j);
    return 0;
}

int igz__storage_acked(igz_storage_t *s, igz_chunk_t *c, igz_instance_t *out)
{
    st_job_t *j = job_new(s, st_ACK, c);
    if (!j || !(j->text = strdup(out->alias))) {
        if (j) {
            c->st.busy--;
            job_free(j);
        }
        return IGZ_ENOMEM;
    }
    igz__storage_push(s, j);
    return 0;
}

void igz__storage_release(igz_storage_t *s, igz_chunk_t *c)
{
    c->st.released = true;
    s->releasing += c->st.file_size;
    st_job_t *j = job_new(s, st_DELETE, c);
    if (!j) {
        /* the files stay: the next start finds every output has it, or delivers again */
        igz_error(NULL, "storage: out of memory, chunk files of %s left on disk", c->id);
        c->st.busy = 0;
        igz__chunk_free(c);
        return;
    }
    igz__storage_push(s, j);
}

bool igz__storage_blocked(const igz_storage_t *s)
{
    if (s->failing)
        return true;
    if (!s->total_limit)
        return false;
    /* drop_oldest can only drop what is written: a write backlog as large as the limit
     * pauses the inputs all the same */
    if (s->drop_oldest)
        return s->pending >= s->total_limit;
    return s->disk_used + s->pending - s->releasing >= s->total_limit;
}

void igz__storage_enforce_limit(igz_storage_t *s)
{
    igz_engine_t *e = s->engine;
    if (!s->persist || !s->total_limit || !s->drop_oldest)
        return;
    queue_t *q = queue_head(&e->chunks);
    while (s->disk_used + s->pending - s->releasing >= s->total_limit && q != &e->chunks) {
        igz_chunk_t *c = QUEUE_DATA(q, igz_chunk_t, all);
        q = q->next;
        if (!c->sealed || !c->st.on_disk || c->st.released || c->st.busy || c->readers)
            continue;
        e->chunks_dropped++;
        igz_warn(NULL,
                 "storage full: dropping the oldest chunk %s (%u records, tag \"%s\") as "
                 "storage_full_policy = \"drop_oldest\" says (%llu dropped so far)",
                 c->id, c->records, c->tag, (unsigned long long)e->chunks_dropped);
        igz__chunk_cancel(c);
    }
}

bool igz__storage_ensure_up(igz_storage_t *s, igz_chunk_t *c)
{
    if (c->st.up)
        return true;
    if (c->st.loading)
        return false;
    igz_engine_t *e = s->engine;
    /* bounded: at least one chunk may always come up, so a backlog always drains */
    size_t limit = (size_t)e->svc->mem_limit;
    if (s->up_count > 0 &&
        (s->up_count >= s->max_up || (limit && e->mem_used + c->st.content_len > limit)))
        return false;
    st_job_t *j = job_new(s, st_LOAD, c);
    if (!j)
        return false;
    c->st.loading = true;
    c->st.loaded = true;
    s->up_count++;
    igz__storage_push(s, j);
    return false;
}

void igz__storage_shed(igz_storage_t *s)
{
    igz_engine_t *e = s->engine;
    size_t limit = (size_t)e->svc->mem_limit;
    /* newest first: the oldest are the next to be flushed */
    for (queue_t *q = e->chunks.prev; q != &e->chunks && e->mem_used > limit * 3 / 4;) {
        igz_chunk_t *c = QUEUE_DATA(q, igz_chunk_t, all);
        q = q->prev;
        if (!c->sealed || !c->st.on_disk || !c->st.up || c->st.busy || c->readers || c->st.released)
            continue;
        c->st.content_len = c->buf.len;
        e->mem_used -= c->buf.len;
        if (c->input)
            c->input->mem_used -= c->buf.len;
        igz_buf_free(&c->buf);
        c->st.up = false;
        if (c->st.loaded) {
            c->st.loaded = false;
            s->up_count--;
        }
    }
}
