/*
 * engine.c - the loop, the lifecycle of instances, and shutdown.
 *
 * Start-up initialises every instance in file order (outputs first in effect:
 * inputs only start once everything is initialised), then runs the loop.
 * Shutdown is a drain: inputs stop, open chunks are sealed, outputs get until
 * the grace period ends; a second signal exits at once. Nothing is freed
 * while a flush may still call back into it.
 */
#include <signal.h>
#include <sys/resource.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "storage.h"

void igz__dead_letter(igz_chunk_t *c, igz_instance_t *out, const igz_flush_t *t, const char *reason)
{
    igz_engine_t *e = c->engine;
    if (e->dead_letter_dir) {
        igz_error(out,
                  "chunk %s (%u records, tag \"%s\", input \"%s\") given up after %u attempts: "
                  "%s; it goes to the dead-letter folder",
                  c->id, c->records, c->tag, c->input_alias, t->attempt, reason);
        if (igz__storage_dead_letter(e, c, out, t, reason) == 0)
            return;
        igz_error(out, "out of memory: the dead-letter entry of chunk %s cannot be written", c->id);
        return;
    }
    /* without a dead-letter folder: say loudly what is lost */
    igz_error(out,
              "chunk %s (%u records, tag \"%s\", input \"%s\") given up after %u attempts: %s; "
              "no dead-letter folder is configured, the chunk is dropped",
              c->id, c->records, c->tag, c->input_alias, t->attempt, reason);
}

static void list_add(queue_t *list, size_t *n, igz_instance_t *ins)
{
    queue_insert_tail(list, &ins->node);
    (*n)++;
}

int igz__engine_new(igz_config_t *cfg, igz_engine_t **out)
{
    *out = NULL;
    igz_engine_t *e = calloc(1, sizeof *e);
    if (!e)
        return IGZ_ENOMEM;
    int rc = uv_loop_init(&e->loop);
    if (rc) {
        free(e);
        return IGZ_EIO;
    }
    e->cfg = cfg;
    e->svc = &cfg->service;
    queue_init(&e->inputs);
    queue_init(&e->filters);
    queue_init(&e->outputs);
    queue_init(&e->chunks);
    queue_init(&e->flushes);
    uv_timer_init(&e->loop, &e->flush_timer);
    uv_timer_init(&e->loop, &e->grace_timer);
    uv_timer_init(&e->loop, &e->ack_timer);
    uv_timer_init(&e->loop, &e->done_timer);
    uv_signal_init(&e->loop, &e->sigint);
    uv_signal_init(&e->loop, &e->sigterm);
    e->flush_timer.data = e->grace_timer.data = e->ack_timer.data = e->done_timer.data = e;
    e->sigint.data = e->sigterm.data = e;
    igz_writer_init(&e->scratch[0]);
    igz_writer_init(&e->scratch[1]);
    srand((unsigned)(getpid() ^ (unsigned)igz_time_now()));
    *out = e;
    return 0;
}

/* Create the instances of the configuration; errors are printed. */
int igz__engine_prepare(igz_engine_t *e)
{
    if (e->prepared)
        return 0;
    e->prepared = true;
    for (size_t i = 0; i < e->cfg->n_instances; i++) {
        const igz_instance_conf_t *ic = &e->cfg->instances[i];
        igz_instance_t *ins;
        char err[2048];
        int idx = 0;
        /* index per plugin name: gen.0, gen.1, ... */
        for (size_t j = 0; j < i; j++)
            if (e->cfg->instances[j].kind == ic->kind &&
                strcmp(e->cfg->instances[j].name, ic->name) == 0)
                idx++;
        int rc = igz__instance_create(e, ic, idx, &ins, err, sizeof err);
        if (rc) {
            igz_error(NULL, "%s", err);
            return rc;
        }
        if (ins->kind == IGZ_KIND_INPUT)
            list_add(&e->inputs, &e->n_inputs, ins);
        else if (ins->kind == IGZ_KIND_FILTER)
            list_add(&e->filters, &e->n_filters, ins);
        else
            list_add(&e->outputs, &e->n_outputs, ins);
    }
    return 0;
}

static int init_list(queue_t *list)
{
    queue_t *q;
    QUEUE_FOREACH(q, list)
    {
        igz_instance_t *ins = QUEUE_DATA(q, igz_instance_t, node);
        if (ins->plugin->desc.init) {
            int rc = ins->plugin->desc.init(ins, ins->config, &ins->ctx);
            if (rc) {
                igz_error(ins, "initialisation failed (%s)", igz_strerror(rc));
                return rc;
            }
        }
        ins->initialised = true;
    }
    return 0;
}

void igz__engine_kick_outputs(igz_engine_t *e)
{
    queue_t *q;
    QUEUE_FOREACH(q, &e->outputs)
    {
        igz__router_kick(QUEUE_DATA(q, igz_instance_t, node));
    }
}

igz_instance_t *igz__instance_by_alias(igz_engine_t *e, const char *alias)
{
    queue_t *q;
    QUEUE_FOREACH(q, &e->outputs)
    {
        igz_instance_t *o = QUEUE_DATA(q, igz_instance_t, node);
        if (strcmp(o->alias, alias) == 0)
            return o;
    }
    return NULL;
}

/* Storage and the dead-letter folder, then what earlier runs left on disk. */
static int open_storage(igz_engine_t *e)
{
    const igz_service_t *svc = e->svc;
    if (!svc->storage_path && !svc->dead_letter_path)
        return 0;
    if (svc->dead_letter_path)
        e->dead_letter_dir = strdup(svc->dead_letter_path);
    else if (asprintf(&e->dead_letter_dir, "%s/dead-letter", svc->storage_path) < 0)
        e->dead_letter_dir = NULL;
    if (!e->dead_letter_dir)
        return IGZ_ENOMEM;
    char err[1024];
    int rc = igz__storage_open(e, &e->storage, err, sizeof err);
    if (rc) {
        igz_error(NULL, "storage: %s", err);
        return rc;
    }
    if (!svc->storage_path)
        return 0;
    e->persist = true;
    rc = igz__storage_recover(e->storage);
    if (rc) {
        igz_error(NULL, "storage: recovery failed (%s)", igz_strerror(rc));
        return rc;
    }
    igz__storage_scan_replay(e->storage);
    igz_info(NULL, "storage in \"%s\" (sync %s), dead letters in \"%s\"", svc->storage_path,
             svc->storage_sync, e->dead_letter_dir);
    return 0;
}

static void flush_timer_cb(uv_timer_t *t)
{
    igz__chain_seal_all(t->data, true);
}

static void finish(igz_engine_t *e)
{
    if (e->state == IGZ_ENGINE_DONE)
        return;
    e->state = IGZ_ENGINE_DONE;
    uv_timer_stop(&e->flush_timer);
    uv_timer_stop(&e->grace_timer);
    queue_t *q;
    QUEUE_FOREACH(q, &e->outputs)
    {
        if (QUEUE_DATA(q, igz_instance_t, node)->inflight)
            e->abandon = true;
    }
    uv_stop(&e->loop);
}

static void done_timer_cb(uv_timer_t *t)
{
    igz_engine_t *e = t->data;
    if (e->state == IGZ_ENGINE_DRAINING && e->chunks_alive == 0)
        finish(e);
    else if (e->state == IGZ_ENGINE_RUNNING && e->svc->exit_when_done) {
        queue_t *q;
        QUEUE_FOREACH(q, &e->inputs)
        {
            if (!QUEUE_DATA(q, igz_instance_t, node)->done)
                return;
        }
        igz__engine_drain(e, "every input is done");
    }
}

void igz__engine_check_done(igz_engine_t *e)
{
    /* decided on the next loop turn: never from inside a plugin's callback */
    if (e->state != IGZ_ENGINE_DONE && !uv_is_active((uv_handle_t *)&e->done_timer))
        uv_timer_start(&e->done_timer, done_timer_cb, 0, 0);
}

static void grace_timer_cb(uv_timer_t *t)
{
    igz_engine_t *e = t->data;
    uint64_t records = 0;
    size_t chunks = 0;
    queue_t *q;
    QUEUE_FOREACH(q, &e->outputs)
    {
        igz_instance_t *out = QUEUE_DATA(q, igz_instance_t, node);
        chunks += (size_t)out->inflight + (size_t)out->waiting;
        queue_t *p;
        QUEUE_FOREACH(p, &out->pending)
        {
            chunks++;
            records += QUEUE_DATA(p, igz_flush_t, node)->chunk->records;
        }
    }
    igz_warn(NULL,
             "grace period of %lld ms over: %zu chunks still owed to outputs (%zu in memory) are "
             "not delivered",
             (long long)e->svc->grace_ms, chunks, e->chunks_alive);
    (void)records;
    finish(e);
}

void igz__engine_drain(igz_engine_t *e, const char *why)
{
    if (e->state != IGZ_ENGINE_RUNNING)
        return;
    igz_info(NULL, "stopping (%s): inputs stop, %zu chunks to flush within %lld ms", why,
             e->chunks_alive, (long long)e->svc->grace_ms);
    e->state = IGZ_ENGINE_DRAINING;
    queue_t *q;
    QUEUE_FOREACH(q, &e->inputs)
    {
        igz_instance_t *in = QUEUE_DATA(q, igz_instance_t, node);
        if (in->started && !in->stopped) {
            in->stopped = true;
            if (in->plugin->desc.stop)
                in->plugin->desc.stop(in, in->ctx);
        }
    }
    igz__chain_seal_all(e, false);
    uv_timer_start(&e->grace_timer, grace_timer_cb, (uint64_t)e->svc->grace_ms, 0);
    igz__engine_check_done(e);
}

static void signal_cb(uv_signal_t *s, int signum)
{
    igz_engine_t *e = s->data;
    if (++e->signals > 1) {
        /* the user insists: no more waiting */
        igz_warn(NULL, "second signal (%s): exiting at once", strsignal(signum));
        _exit(1);
    }
    igz__engine_drain(e, strsignal(signum));
}

static void print_summary(igz_engine_t *e)
{
    queue_t *q;
    QUEUE_FOREACH(q, &e->inputs)
    {
        igz_instance_t *in = QUEUE_DATA(q, igz_instance_t, node);
        igz_info(in, "records in: %llu", (unsigned long long)in->records_in);
    }
    QUEUE_FOREACH(q, &e->filters)
    {
        igz_instance_t *f = QUEUE_DATA(q, igz_instance_t, node);
        igz_info(f, "records in: %llu, dropped: %llu", (unsigned long long)f->records_in,
                 (unsigned long long)f->records_dropped);
    }
    QUEUE_FOREACH(q, &e->outputs)
    {
        igz_instance_t *o = QUEUE_DATA(q, igz_instance_t, node);
        igz_info(o, "records out: %llu, bytes out: %llu, retries: %llu, chunks given up: %llu",
                 (unsigned long long)o->records_out, (unsigned long long)o->bytes_out,
                 (unsigned long long)o->retries, (unsigned long long)o->chunks_failed);
    }
    if (e->persist)
        igz_info(NULL, "chunks dropped for the storage limit: %llu",
                 (unsigned long long)e->chunks_dropped);
    struct rusage ru;
    long maxrss_kib = getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : -1;
    igz_info(NULL,
             "peak buffered bytes: %zu (mem_limit %lld), input pauses: %llu, peak RSS: %ld KiB",
             e->mem_peak, (long long)e->svc->mem_limit, (unsigned long long)e->pauses, maxrss_kib);
}

static void call_exits(queue_t *list)
{
    queue_t *q;
    QUEUE_FOREACH(q, list)
    {
        igz_instance_t *ins = QUEUE_DATA(q, igz_instance_t, node);
        if (ins->initialised && ins->plugin->desc.exit)
            ins->plugin->desc.exit(ins, ins->ctx);
        ins->initialised = false;
    }
}

int igz__engine_run(igz_engine_t *e)
{
    int rc = igz__engine_prepare(e);
    if (!rc)
        rc = init_list(&e->outputs);
    if (!rc)
        rc = init_list(&e->filters);
    if (!rc)
        rc = init_list(&e->inputs);
    if (!rc)
        rc = open_storage(e);
    if (!rc && e->n_inputs == 0)
        igz_warn(NULL, "no input is configured: nothing will flow");
    if (!rc && e->n_outputs == 0)
        igz_warn(NULL, "no output is configured: records are dropped after the filters");
    if (!rc) {
        uv_signal_start(&e->sigint, signal_cb, SIGINT);
        uv_signal_start(&e->sigterm, signal_cb, SIGTERM);
        uint64_t tick = (uint64_t)e->svc->flush_interval_ms / 4;
        uv_timer_start(&e->flush_timer, flush_timer_cb, tick ? tick : 1, tick ? tick : 1);
        queue_t *q;
        QUEUE_FOREACH(q, &e->inputs)
        {
            igz_instance_t *in = QUEUE_DATA(q, igz_instance_t, node);
            in->started = true;
            int src = in->plugin->desc.start(in, in->ctx);
            if (src) {
                igz_error(in, "start failed (%s)", igz_strerror(src));
                in->stopped = true;
                rc = src;
                break;
            }
        }
        igz_info(NULL, "iguazu %s running: %zu inputs, %zu filters, %zu outputs",
                 IGZ_VERSION_STRING, e->n_inputs, e->n_filters, e->n_outputs);
        if (rc)
            igz__engine_drain(e, "an input failed to start");
        igz__engine_check_done(e);
        uv_run(&e->loop, UV_RUN_DEFAULT);
    }
    e->exit_code = rc ? 1 : 0;
    print_summary(e);
    if (e->abandon) {
        igz_warn(NULL, "flushes still running at exit are abandoned");
        return e->exit_code;
    }
    /* acknowledgements still queued go out before inputs are torn down */
    if (e->n_ack_queue)
        uv_run(&e->loop, UV_RUN_NOWAIT);
    call_exits(&e->inputs);
    call_exits(&e->filters);
    call_exits(&e->outputs);
    return e->exit_code;
}

static void close_walk(uv_handle_t *h, void *arg)
{
    (void)arg;
    if (!uv_is_closing(h))
        uv_close(h, NULL);
}

static void free_list(queue_t *list)
{
    while (!queue_empty(list)) {
        queue_t *q = queue_head(list);
        queue_remove(q);
        igz__instance_free(QUEUE_DATA(q, igz_instance_t, node));
    }
}

void igz__engine_free(igz_engine_t *e)
{
    if (!e)
        return;
    if (e->abandon)
        return; /* a flush may still call back: the process is about to exit anyway */
    /* a storage job still running must end before the chunks it uses are freed */
    if (e->storage) {
        igz__storage_close(e->storage);
        while (igz__storage_running(e->storage))
            uv_run(&e->loop, UV_RUN_ONCE);
    }
    /* what was not delivered (memory only) is freed without callbacks: nobody is left to
     * hear them */
    while (!queue_empty(&e->flushes)) {
        queue_t *q = queue_head(&e->flushes);
        igz_flush_t *t = QUEUE_DATA(q, igz_flush_t, all);
        queue_remove(q);
        queue_init(&t->all);
        if (!uv_is_closing((uv_handle_t *)&t->timer))
            uv_close((uv_handle_t *)&t->timer, igz__flush_closed);
    }
    while (!queue_empty(&e->chunks))
        igz__chunk_free(QUEUE_DATA(queue_head(&e->chunks), igz_chunk_t, all));
    /* plugins closed their handles in exit; the engine's own are closed here */
    uv_walk(&e->loop, close_walk, NULL);
    uv_run(&e->loop, UV_RUN_DEFAULT);
    if (uv_loop_close(&e->loop))
        igz_warn(NULL, "event loop still busy at exit");
    free_list(&e->inputs);
    free_list(&e->filters);
    free_list(&e->outputs);
    igz_writer_free(&e->scratch[0]);
    igz_writer_free(&e->scratch[1]);
    igz__storage_free(e->storage);
    free(e->dead_letter_dir);
    free(e->ack_queue);
    free(e);
}
