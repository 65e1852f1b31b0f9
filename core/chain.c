/*
 * chain.c - from an input's batch to sealed chunks.
 *
 * A batch runs through the matching filters in order, then is appended to
 * the open chunk of its input and tag. A chunk is sealed when full or old
 * (the flush interval) and handed to the router. Buffered bytes are counted
 * per input and in total; crossing the high-water mark pauses inputs at once
 * (inside the emit that crossed it), so the budget is overshot by at most the
 * batch being emitted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define XXH_STATIC_LINKING_ONLY /* the state struct on the stack */
#include <xxhash.h>

#include "internal.h"
#include "storage.h"

/* ---- acknowledgements ------------------------------------------------------- */

static void ack_timer_cb(uv_timer_t *t)
{
    igz_engine_t *e = t->data;
    /* callbacks may emit and queue more: take the current queue first */
    while (e->n_ack_queue) {
        size_t n = e->n_ack_queue;
        struct igz_ack_event_rec *q = e->ack_queue;
        e->ack_queue = NULL;
        e->n_ack_queue = e->cap_ack_queue = 0;
        for (size_t i = 0; i < n; i++)
            q[i].cb(q[i].ins, q[i].data, q[i].ev);
        free(q);
    }
}

int igz__ack_push(igz_engine_t *e, igz_instance_t *ins, igz_ack_cb cb, void *data,
                  igz_ack_event_t ev)
{
    if (e->n_ack_queue == e->cap_ack_queue) {
        size_t cap = e->cap_ack_queue ? e->cap_ack_queue * 2 : 64;
        struct igz_ack_event_rec *q = realloc(e->ack_queue, cap * sizeof *q);
        if (!q)
            return IGZ_ENOMEM;
        e->ack_queue = q;
        e->cap_ack_queue = cap;
    }
    e->ack_queue[e->n_ack_queue++] = (struct igz_ack_event_rec){ins, cb, data, ev};
    if (e->n_ack_queue == 1)
        uv_timer_start(&e->ack_timer, ack_timer_cb, 0, 0);
    return 0;
}

/* ---- back pressure ---------------------------------------------------------- */

static void set_paused(igz_instance_t *in, bool paused)
{
    if (in->paused == paused || in->stopped)
        return;
    in->paused = paused;
    igz_engine_t *e = in->engine;
    if (paused) {
        e->pauses++;
        igz_debug(in, "paused: %zu bytes buffered by this input, %zu in all", in->mem_used,
                  e->mem_used);
        if (in->plugin->desc.pause)
            in->plugin->desc.pause(in, in->ctx);
    } else {
        igz_debug(in, "resumed: %zu bytes buffered by this input, %zu in all", in->mem_used,
                  e->mem_used);
        if (in->plugin->desc.resume)
            in->plugin->desc.resume(in, in->ctx);
    }
}

void igz__chain_pressure(igz_engine_t *e)
{
    size_t limit = (size_t)e->svc->mem_limit;
    /* with storage, memory is freed by dropping what is safe on disk before anyone waits */
    if (e->persist && limit && e->mem_used >= limit)
        igz__storage_shed(e->storage);
    bool blocked = e->persist && igz__storage_blocked(e->storage);
    queue_t *q;
    QUEUE_FOREACH(q, &e->inputs)
    {
        igz_instance_t *in = QUEUE_DATA(q, igz_instance_t, node);
        if (!in->started || in->stopped)
            continue;
        size_t own = (size_t)in->common.mem_limit;
        bool over = blocked || (limit && e->mem_used >= limit) || (own && in->mem_used >= own);
        bool under = !blocked && (!limit || e->mem_used < limit / 4 * 3) &&
                     (!own || in->mem_used < own / 4 * 3);
        if (!in->paused && over)
            set_paused(in, true);
        else if (in->paused && under)
            set_paused(in, false);
    }
}

/* ---- chunks ------------------------------------------------------------------ */

static igz_chunk_t *chunk_new(igz_instance_t *in, const char *tag)
{
    igz_engine_t *e = in->engine;
    igz_chunk_t *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->tag = strdup(tag);
    c->input_alias = strdup(in->alias);
    if (!c->tag || !c->input_alias) {
        free(c->tag);
        free(c->input_alias);
        free(c);
        return NULL;
    }
    c->engine = e;
    c->input = in;
    c->created = igz_time_now();
    c->created_ms = uv_now(&e->loop);
    c->seq = ++e->chunk_seq;
    c->st.fd = -1;
    c->st.up = true;
    if (e->persist)
        igz__storage_chunk_init(e->storage, c);
    queue_insert_tail(&in->open_chunks, &c->node);
    queue_insert_tail(&e->chunks, &c->all);
    e->chunks_alive++;
    return c;
}

void igz__chunk_free(igz_chunk_t *c)
{
    igz_engine_t *e = c->engine;
    queue_remove(&c->all);
    queue_remove(&c->node);
    e->mem_used -= c->buf.len;
    if (c->input)
        c->input->mem_used -= c->buf.len;
    e->chunks_alive--;
    if (c->st.fd >= 0)
        close(c->st.fd);
    for (size_t i = 0; i < c->st.n_acked; i++)
        free(c->st.acked[i]);
    free(c->st.acked);
    free(c->st.base);
    free(c->st.route);
    igz_buf_free(&c->buf);
    free(c->acks);
    free(c->tag);
    free(c->input_alias);
    free(c);
}

void igz__chunk_compute_id(igz_chunk_t *c)
{
    /* the id is a hash of what the chunk holds and where it comes from, so the same chunk
     * has the same id on every retry and after a restart */
    XXH3_state_t st;
    XXH3_128bits_reset_withSeed(&st, (XXH64_hash_t)c->created);
    XXH3_128bits_update(&st, c->tag, strlen(c->tag) + 1);
    XXH3_128bits_update(&st, c->input_alias, strlen(c->input_alias) + 1);
    XXH3_128bits_update(&st, c->buf.data, c->buf.len);
    XXH128_hash_t h = XXH3_128bits_digest(&st);
    snprintf(c->id, sizeof c->id, "%016llx%016llx", (unsigned long long)h.high64,
             (unsigned long long)h.low64);
}

static void chunk_seal(igz_chunk_t *c)
{
    if (c->sealed)
        return;
    c->sealed = true;
    queue_remove(&c->node);
    if (c->records == 0) { /* left empty by a failed append */
        igz__chunk_free(c);
        return;
    }
    igz__chunk_compute_id(c);
    if (c->engine->persist && igz__storage_seal(c->engine->storage, c))
        igz_error(c->input, "out of memory: chunk %s stays open on disk until the next start",
                  c->id);
    igz__router_dispatch(c->engine, c);
}

/* Called by the router when one output is done with c (delivered or given up). */
void igz__chunk_release_output(igz_chunk_t *c, bool failed)
{
    igz_engine_t *e = c->engine;
    if (failed)
        c->failed = true;
    if (--c->owed > 0)
        return;
    for (size_t i = 0; i < c->n_acks; i++) {
        /* delivered before its write finished: STORED still comes first */
        if (!c->acks[i].stored)
            igz__ack_push(e, c->input, c->acks[i].cb, c->acks[i].data, IGZ_ACK_STORED);
        if (igz__ack_push(e, c->input, c->acks[i].cb, c->acks[i].data,
                          c->failed ? IGZ_ACK_FAILED : IGZ_ACK_DELIVERED))
            igz_error(c->input, "out of memory: an acknowledgement was lost");
    }
    c->n_acks = 0;
    if (e->storage)
        igz__storage_release(e->storage, c); /* after its files (and dead letters) are done */
    else
        igz__chunk_free(c);
    igz__chain_pressure(e);
    igz__engine_check_done(e);
}

void igz__chain_seal_all(igz_engine_t *e, bool only_old)
{
    uint64_t now = uv_now(&e->loop);
    uint64_t age = (uint64_t)e->svc->flush_interval_ms;
    queue_t *q;
    QUEUE_FOREACH(q, &e->inputs)
    {
        igz_instance_t *in = QUEUE_DATA(q, igz_instance_t, node);
        while (!queue_empty(&in->open_chunks)) {
            /* oldest first; stop at the first young one */
            igz_chunk_t *c = QUEUE_DATA(queue_head(&in->open_chunks), igz_chunk_t, node);
            if (only_old && now - c->created_ms < age)
                break;
            chunk_seal(c);
        }
    }
}

static igz_chunk_t *open_chunk_for(igz_instance_t *in, const char *tag)
{
    queue_t *q;
    QUEUE_FOREACH(q, &in->open_chunks)
    {
        igz_chunk_t *c = QUEUE_DATA(q, igz_chunk_t, node);
        if (strcmp(c->tag, tag) == 0)
            return c;
    }
    return NULL;
}

static int chunk_add_ack(igz_chunk_t *c, igz_ack_cb cb, void *data, size_t end, bool stored)
{
    if (c->n_acks == c->cap_acks) {
        size_t cap = c->cap_acks ? c->cap_acks * 2 : 4;
        igz_ack_waiter_t *a = realloc(c->acks, cap * sizeof *a);
        if (!a)
            return IGZ_ENOMEM;
        c->acks = a;
        c->cap_acks = cap;
    }
    c->acks[c->n_acks++] = (igz_ack_waiter_t){cb, data, end, stored};
    return 0;
}

/* ---- emit -------------------------------------------------------------------- */

/* Run the filters of tag over the batch. When a filter changes it, the batch
 * (data, len, nrec) is replaced by the filtered one, held in a scratch writer. */
static void run_filters(igz_engine_t *e, const char *tag, const char **data, size_t *len,
                        uint32_t *nrec)
{
    int which = 0;
    queue_t *q;
    QUEUE_FOREACH(q, &e->filters)
    {
        if (*nrec == 0)
            return;
        igz_instance_t *f = QUEUE_DATA(q, igz_instance_t, node);
        if (!igz__glob_match(f->common.match, tag))
            continue;
        igz_writer_t *out = &e->scratch[which];
        igz_writer_reset(out);
        f->records_in += *nrec;
        int rc = f->plugin->desc.filter(f, f->ctx, tag, *data, *len, out);
        if (rc == IGZ_FILTER_MODIFIED && !out->error && out->depth == 0) {
            if (out->records < *nrec)
                f->records_dropped += *nrec - out->records;
            *data = out->buf.data;
            *len = out->buf.len;
            *nrec = out->records;
            which ^= 1;
        } else if (rc != IGZ_FILTER_NOTOUCH) {
            /* a failing filter must not lose records: they pass unchanged */
            f->failures++;
            igz_error(f, "filter failed (%s); the batch of %u records passes unchanged",
                      rc < 0 ? igz_strerror(rc)
                             : igz_strerror(out->error ? out->error : IGZ_EINVAL),
                      *nrec);
        }
        f->records_out += *nrec;
    }
}

int igz_input_emit_ack(igz_instance_t *ins, const char *tag, igz_writer_t *w, igz_ack_cb cb,
                       void *data)
{
    igz_engine_t *e = ins->engine;
    if (ins->kind != IGZ_KIND_INPUT || w->error || w->depth != 0)
        return IGZ_EINVAL;
    if (!tag)
        tag = igz_instance_tag(ins);
    const char *batch = w->buf.data;
    size_t len = w->buf.len;
    uint32_t nrec = w->records;
    if (nrec == 0)
        return 0;
    ins->records_in += nrec;
    ins->bytes_in += len;
    run_filters(e, tag, &batch, &len, &nrec);
    if (nrec == 0) {
        /* everything was filtered out: the batch is as delivered as it will ever be */
        if (cb && (igz__ack_push(e, ins, cb, data, IGZ_ACK_STORED) ||
                   igz__ack_push(e, ins, cb, data, IGZ_ACK_DELIVERED)))
            return IGZ_ENOMEM;
        igz_writer_reset(w);
        return 0;
    }
    igz_chunk_t *c = open_chunk_for(ins, tag);
    if (c && c->buf.len > 0 &&
        (c->buf.len + len > (size_t)e->svc->chunk_size ||
         (c->st.inflight && c->buf.len + len > c->buf.cap))) {
        /* full, or a storage job is reading its buffer, which therefore must not move */
        chunk_seal(c);
        c = NULL;
    }
    if (!c && !(c = chunk_new(ins, tag)))
        return IGZ_ENOMEM;
    /* with storage the buffer must not move while a write reads it: room for a whole chunk
     * is reserved at once (untouched pages cost no memory) */
    if (e->persist && c->buf.cap == 0)
        igz_buf_reserve(&c->buf, (size_t)e->svc->chunk_size + len);
    if (cb && c->n_acks == c->cap_acks) {
        size_t cap = c->cap_acks ? c->cap_acks * 2 : 4;
        igz_ack_waiter_t *a = realloc(c->acks, cap * sizeof *a);
        if (!a)
            return IGZ_ENOMEM;
        c->acks = a;
        c->cap_acks = cap;
    }
    /* in memory, STORED is queued before the append so that no failure can follow it; with
     * storage it comes when the bytes are written (synced, with storage_sync = "full") */
    bool stored_now = cb && !e->persist;
    if (stored_now && igz__ack_push(e, ins, cb, data, IGZ_ACK_STORED))
        return IGZ_ENOMEM;
    if (igz_buf_append(&c->buf, batch, len)) {
        if (stored_now)
            e->n_ack_queue--; /* take the STORED event back: nothing was stored */
        return IGZ_ENOMEM;
    }
    if (cb) /* cannot fail: room was made above */
        chunk_add_ack(c, cb, data, c->buf.len, stored_now);
    c->records += nrec;
    c->input->mem_used += len;
    e->mem_used += len;
    if (e->mem_used > e->mem_peak)
        e->mem_peak = e->mem_used;
    igz_writer_reset(w);
    if (e->persist && igz__storage_append(e->storage, c, len))
        igz_warn(ins, "out of memory: the batch is written when its chunk is sealed");
    if (c->buf.len >= (size_t)e->svc->chunk_size)
        chunk_seal(c);
    igz__chain_pressure(e);
    return 0;
}

void igz__storage_fire_stored(igz_chunk_t *c, size_t durable)
{
    for (size_t i = 0; i < c->n_acks; i++) {
        igz_ack_waiter_t *a = &c->acks[i];
        if (!a->stored && a->end <= durable && c->input) {
            if (igz__ack_push(c->engine, c->input, a->cb, a->data, IGZ_ACK_STORED))
                break; /* out of memory: the next write tries again */
            a->stored = true;
        }
    }
}

int igz_input_emit(igz_instance_t *ins, const char *tag, igz_writer_t *w)
{
    return igz_input_emit_ack(ins, tag, w, NULL, NULL);
}

void igz_input_done(igz_instance_t *ins)
{
    if (ins->done)
        return;
    ins->done = true;
    igz_debug(ins, "input done");
    igz__engine_check_done(ins->engine);
}
