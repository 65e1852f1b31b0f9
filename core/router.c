/*
 * router.c - from sealed chunks to outputs: fan-out by tag, ordered flushes
 * per output, retries with exponential back-off and full jitter.
 *
 * Each (chunk, output) pair is one igz_flush_t. An output runs at most
 * `workers` flushes at once; a flush in back-off gives its slot to the next
 * chunk, so one bad chunk does not stall the others. A chunk is released when
 * every output that matched it has delivered it or given up on it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "storage.h"

bool igz__glob_match(const char *p, const char *s)
{
    /* iterative '*' and '?' matching with one backtrack point: linear in practice */
    const char *star = NULL, *resume = NULL;
    while (*s) {
        if (*p == '*') {
            star = p++;
            resume = s;
        } else if (*p == '?' || *p == *s) {
            p++;
            s++;
        } else if (star) {
            p = star + 1;
            s = ++resume;
        } else {
            return false;
        }
    }
    while (*p == '*')
        p++;
    return *p == '\0';
}

void igz__flush_closed(uv_handle_t *h)
{
    igz_flush_t *t = h->data;
    queue_remove(&t->all);
    free(t->last_error);
    free(t);
}

static void task_finish(igz_flush_t *t, bool failed)
{
    igz_chunk_t *c = t->chunk;
    igz_instance_t *out = t->output;
    igz_engine_t *e = out->engine;
    t->chunk = NULL;
    /* others still owe it: remember on disk that this output is done with it */
    if (e->persist && c->owed > 1 && igz__storage_acked(e->storage, c, out))
        igz_warn(out, "out of memory: after a restart chunk %s may be sent to it again", c->id);
    uv_close((uv_handle_t *)&t->timer, igz__flush_closed);
    igz__router_kick(out);
    igz__chunk_release_output(c, failed);
}

int igz__router_dispatch(igz_engine_t *e, igz_chunk_t *c)
{
    queue_t *q;
    c->owed = 1; /* held while dispatching, so that a flush ending at once cannot free c */
    QUEUE_FOREACH(q, &e->outputs)
    {
        igz_instance_t *out = QUEUE_DATA(q, igz_instance_t, node);
        if (!igz__glob_match(out->common.match, c->tag))
            continue;
        if (c->st.route && strcmp(c->st.route, out->alias) != 0 &&
            igz__instance_by_alias(e, c->st.route))
            continue; /* a replayed chunk goes to its output only (when that still exists) */
        bool done = false;
        for (size_t i = 0; i < c->st.n_acked && !done; i++)
            done = strcmp(c->st.acked[i], out->alias) == 0;
        if (done)
            continue; /* delivered before the restart */
        igz_flush_t *t = calloc(1, sizeof *t);
        if (!t || uv_timer_init(&e->loop, &t->timer)) {
            free(t);
            /* nothing to retry with: this output gives up on the chunk */
            out->chunks_failed++;
            igz_error(out, "out of memory: chunk %s (%u records) cannot be queued", c->id,
                      c->records);
            c->failed = true;
            continue;
        }
        t->timer.data = t;
        queue_insert_tail(&e->flushes, &t->all);
        t->chunk = c;
        t->output = out;
        c->owed++;
        queue_insert_tail(&out->pending, &t->node);
    }
    if (c->owed == 1)
        igz_debug(c->input, "no output matches tag \"%s\": %u records dropped", c->tag, c->records);
    QUEUE_FOREACH(q, &e->outputs)
    {
        igz__router_kick(QUEUE_DATA(q, igz_instance_t, node));
    }
    igz__chunk_release_output(c, false);
    return 0;
}

static void start_flush(igz_flush_t *t)
{
    igz_instance_t *out = t->output;
    t->attempt++;
    t->last_ms = uv_now(&out->engine->loop);
    if (t->attempt == 1)
        t->first_ms = t->last_ms;
    out->inflight++;
    t->chunk->readers++;
    out->plugin->desc.flush(out, out->ctx, t);
}

void igz__router_kick(igz_instance_t *out)
{
    if (out->kicking || out->engine->state == IGZ_ENGINE_DONE)
        return;
    out->kicking = true;
    bool asked = false;
    queue_t *q = queue_head(&out->pending);
    while (out->inflight < out->common.workers && q != &out->pending) {
        igz_flush_t *t = QUEUE_DATA(q, igz_flush_t, node);
        q = q->next;
        /* a chunk whose content is on disk only is loaded first; meanwhile others go */
        if (out->engine->persist && !t->chunk->st.up) {
            if (!asked) {
                igz__storage_ensure_up(out->engine->storage, t->chunk);
                asked = true;
            }
            continue;
        }
        queue_remove(&t->node);
        start_flush(t);
        q = queue_head(&out->pending); /* the list may have changed under the flush */
    }
    out->kicking = false;
}

static void retry_timer_cb(uv_timer_t *timer)
{
    igz_flush_t *t = timer->data;
    t->output->waiting--;
    queue_insert_tail(&t->output->pending, &t->node);
    igz__router_kick(t->output);
}

/* Full jitter: a uniform delay in [0, min(max, base * 2^(attempt-1))]. */
static uint64_t backoff_ms(const igz_instance_t *out, uint32_t attempt)
{
    uint64_t cap = (uint64_t)out->common.retry_max_ms;
    uint64_t d = (uint64_t)out->common.retry_base_ms;
    for (uint32_t i = 1; i < attempt && d < cap; i++)
        d *= 2;
    if (d > cap)
        d = cap;
    /* rand() is enough for spreading retries; it needs no secrecy */
    return (uint64_t)((double)rand() / ((double)RAND_MAX + 1.0) * (double)(d + 1));
}

const char *igz_flush_tag(const igz_flush_t *fl)
{
    return fl->chunk->tag;
}

const void *igz_flush_data(const igz_flush_t *fl, size_t *len)
{
    *len = fl->chunk->buf.len;
    return fl->chunk->buf.data;
}

uint32_t igz_flush_records(const igz_flush_t *fl)
{
    return fl->chunk->records;
}

const char *igz_flush_chunk_id(const igz_flush_t *fl)
{
    return fl->chunk->id;
}

uint32_t igz_flush_attempt(const igz_flush_t *fl)
{
    return fl->attempt;
}

void igz_flush_done(igz_flush_t *t, igz_flush_result_t result, const char *reason, ...)
{
    igz_instance_t *out = t->output;
    igz_engine_t *e = out->engine;
    igz_chunk_t *c = t->chunk;
    out->inflight--;
    c->readers--;
    char why[1024] = "";
    if (reason) {
        va_list ap;
        va_start(ap, reason);
        vsnprintf(why, sizeof why, reason, ap);
        va_end(ap);
    }
    if (result == IGZ_FLUSH_OK) {
        out->records_out += c->records;
        out->bytes_out += c->buf.len;
        task_finish(t, false);
        return;
    }
    if (!why[0])
        snprintf(why, sizeof why, "%s", result == IGZ_FLUSH_RETRY ? "temporary failure" : "failed");
    free(t->last_error);
    t->last_error = strdup(why);
    if (result == IGZ_FLUSH_RETRY && e->state != IGZ_ENGINE_DONE &&
        (out->common.retry_limit < 0 || t->attempt <= (uint32_t)out->common.retry_limit)) {
        uint64_t delay = backoff_ms(out, t->attempt);
        out->retries++;
        igz_warn(out, "chunk %s (%u records, tag \"%s\"): %s; retry %u in %llu ms", c->id,
                 c->records, c->tag, why, t->attempt, (unsigned long long)delay);
        out->waiting++;
        uv_timer_start(&t->timer, retry_timer_cb, delay, 0);
        igz__router_kick(out);
        return;
    }
    char final[1200];
    if (result == IGZ_FLUSH_RETRY)
        snprintf(final, sizeof final, "retries exhausted after %u attempts, last error: %s",
                 t->attempt, why);
    else
        snprintf(final, sizeof final, "permanent failure: %s", why);
    out->failures++;
    out->chunks_failed++;
    igz__dead_letter(c, out, t, final);
    task_finish(t, true);
}

void igz__chunk_cancel(igz_chunk_t *c)
{
    igz_engine_t *e = c->engine;
    queue_t *q = queue_head(&e->flushes);
    while (q != &e->flushes) {
        igz_flush_t *t = QUEUE_DATA(q, igz_flush_t, all);
        q = q->next;
        if (t->chunk != c || uv_is_closing((uv_handle_t *)&t->timer))
            continue;
        if (uv_is_active((uv_handle_t *)&t->timer)) {
            uv_timer_stop(&t->timer);
            t->output->waiting--;
        } else {
            queue_remove(&t->node);
        }
        t->output->chunks_failed++;
        task_finish(t, true);
    }
}

void igz__chunk_abandon(igz_chunk_t *c, const char *reason)
{
    char why[700];
    snprintf(why, sizeof why, "damaged chunk file: %s", reason);
    if (igz__storage_dead_letter(c->engine, c, NULL, NULL, why))
        igz_error(NULL, "out of memory: damaged chunk %s is left in place", c->id);
    igz__chunk_cancel(c);
}
