/*
 * in_gen.c - generates records for tests and benchmarks.
 *
 * Every body is {"seq": N, ...fields} with N counting from 0, so a test can
 * check that every record arrived. With rate = 0 it produces as fast as the
 * chain takes (one batch per loop turn, through a uv_idle handle, so timers
 * and signals still run between batches); with a rate it paces itself on a
 * timer against the loop clock, catching up after a pause.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <iguazu/iguazu.h>

typedef struct {
    int64_t count;
    int64_t rate;
    int64_t batch;
    const igz_conf_t *fields;
    const char *stored_log;
} gen_config_t;

/* The extra fields, read from the configuration once: the hot loop writes
 * them without walking the configuration tree for every record. */
typedef struct {
    const char *key;
    size_t klen;
    const igz_conf_t *value;
    igz_conf_type_t type;
} gen_field_t;

typedef struct {
    igz_instance_t *ins;
    gen_field_t *fields;
    size_t n_fields;
    const gen_config_t *cfg;
    uv_idle_t idle;
    uv_timer_t timer;
    int closing;
    uint64_t seq;
    uint64_t started_ms;
    uint64_t paused_total_ms, paused_at_ms;
    igz_writer_t w;
    bool running, finished;
} gen_t;

static const igz_option_t gen_options[] = {
    {"count", IGZ_OPT_INT, "0", 0, offsetof(gen_config_t, count),
     "records to generate before the input is done (0: no end)", NULL},
    {"rate", IGZ_OPT_INT, "0", 0, offsetof(gen_config_t, rate),
     "records per second (0: as fast as the chain takes them)", NULL},
    {"batch", IGZ_OPT_INT, "500", 0, offsetof(gen_config_t, batch),
     "records per emitted batch at most", NULL},
    {"fields", IGZ_OPT_TABLE, NULL, 0, offsetof(gen_config_t, fields),
     "extra fields of every body, e.g. { event_type = \"click\", n = 1 }", NULL},
    {"stored_log", IGZ_OPT_STR, NULL, 0, offsetof(gen_config_t, stored_log),
     "file that gets a line \"FIRST LAST\" for every batch the engine reports stored (crash "
     "tests)",
     NULL},
    IGZ_OPTION_END};

/* Write a configuration value as a record value (tables and arrays nested). */
static void write_conf_value(igz_writer_t *w, const igz_conf_t *v)
{
    switch (igz_conf_type(v)) {
    case IGZ_CONF_STRING:
    case IGZ_CONF_DATETIME:
    case IGZ_CONF_DATETIME_LOCAL:
    case IGZ_CONF_DATE_LOCAL:
    case IGZ_CONF_TIME_LOCAL:
        igz_w_str(w, igz_conf_str(v), igz_conf_str_len(v));
        break;
    case IGZ_CONF_INTEGER:
        igz_w_int(w, igz_conf_int(v));
        break;
    case IGZ_CONF_FLOAT:
        igz_w_float(w, igz_conf_float(v));
        break;
    case IGZ_CONF_BOOL:
        igz_w_bool(w, igz_conf_bool(v));
        break;
    case IGZ_CONF_ARRAY:
        igz_w_array_begin(w);
        for (size_t i = 0; i < igz_conf_len(v); i++)
            write_conf_value(w, igz_conf_at(v, i));
        igz_w_array_end(w);
        break;
    case IGZ_CONF_TABLE:
        igz_w_map_begin(w);
        for (size_t i = 0; i < igz_conf_len(v); i++) {
            igz_w_keyz(w, igz_conf_key(v, i));
            write_conf_value(w, igz_conf_at(v, i));
        }
        igz_w_map_end(w);
        break;
    }
}

/* One emitted batch waiting for its STORED acknowledgement. */
typedef struct {
    gen_t *g;
    uint64_t first, last;
} gen_batch_t;

static void gen_ack(igz_instance_t *ins, void *data, igz_ack_event_t ev)
{
    gen_batch_t *b = data;
    if (ev == IGZ_ACK_STORED) {
        FILE *f = fopen(b->g->cfg->stored_log, "a");
        if (!f || fprintf(f, "%llu %llu\n", (unsigned long long)b->first,
                          (unsigned long long)b->last) < 0)
            igz_error(ins, "cannot append to \"%s\"", b->g->cfg->stored_log);
        if (f)
            fclose(f);
        return;
    }
    free(b); /* DELIVERED or FAILED: the last event of a batch */
}

static int gen_emit(gen_t *g, uint64_t n)
{
    igz_time_t now = igz_time_now();
    for (uint64_t i = 0; i < n; i++) {
        igz_record_begin(&g->w, now);
        igz_record_body(&g->w);
        igz_w_key(&g->w, "seq", 3);
        igz_w_uint(&g->w, g->seq + i);
        for (size_t f = 0; f < g->n_fields; f++) {
            const gen_field_t *fd = &g->fields[f];
            igz_w_key(&g->w, fd->key, fd->klen);
            switch (fd->type) {
            case IGZ_CONF_STRING:
                igz_w_str(&g->w, igz_conf_str(fd->value), igz_conf_str_len(fd->value));
                break;
            case IGZ_CONF_INTEGER:
                igz_w_int(&g->w, igz_conf_int(fd->value));
                break;
            default:
                write_conf_value(&g->w, fd->value);
            }
        }
        int rc = igz_record_end(&g->w);
        if (rc)
            return rc;
    }
    int rc;
    gen_batch_t *b = NULL;
    if (g->cfg->stored_log && (b = malloc(sizeof *b)) != NULL) {
        *b = (gen_batch_t){g, g->seq, g->seq + n - 1};
        rc = igz_input_emit_ack(g->ins, NULL, &g->w, gen_ack, b);
    } else {
        rc = igz_input_emit(g->ins, NULL, &g->w);
    }
    if (rc) {
        free(b);
        igz_writer_reset(&g->w);
        return rc;
    }
    g->seq += n;
    return 0;
}

static uint64_t gen_left(const gen_t *g)
{
    if (g->cfg->count <= 0)
        return UINT64_MAX;
    return (uint64_t)g->cfg->count - g->seq;
}

static void gen_stop_handles(gen_t *g)
{
    uv_idle_stop(&g->idle);
    uv_timer_stop(&g->timer);
    g->running = false;
}

static void gen_check_done(gen_t *g)
{
    if (gen_left(g) == 0 && !g->finished) {
        g->finished = true;
        gen_stop_handles(g);
        igz_info(g->ins, "generated %llu records", (unsigned long long)g->seq);
        igz_input_done(g->ins);
    }
}

static void gen_idle_cb(uv_idle_t *h)
{
    gen_t *g = h->data;
    uint64_t n = gen_left(g);
    if (n > (uint64_t)g->cfg->batch)
        n = (uint64_t)g->cfg->batch;
    int rc = gen_emit(g, n);
    if (rc) {
        igz_error(g->ins, "emit failed (%s)", igz_strerror(rc));
        gen_stop_handles(g);
        return;
    }
    gen_check_done(g);
}

static void gen_timer_cb(uv_timer_t *h)
{
    gen_t *g = h->data;
    uint64_t now = uv_now(igz_instance_loop(g->ins));
    uint64_t elapsed = now - g->started_ms - g->paused_total_ms;
    uint64_t due = elapsed * (uint64_t)g->cfg->rate / 1000 + 1;
    if (due <= g->seq)
        return;
    uint64_t n = due - g->seq;
    if (n > gen_left(g))
        n = gen_left(g);
    while (n > 0) {
        uint64_t b = n > (uint64_t)g->cfg->batch ? (uint64_t)g->cfg->batch : n;
        int rc = gen_emit(g, b);
        if (rc) {
            igz_error(g->ins, "emit failed (%s)", igz_strerror(rc));
            break;
        }
        n -= b;
        if (igz_input_paused(g->ins))
            break;
    }
    gen_check_done(g);
}

static void gen_run(gen_t *g)
{
    if (g->finished || g->running)
        return;
    g->running = true;
    if (g->cfg->rate <= 0) {
        uv_idle_start(&g->idle, gen_idle_cb);
    } else {
        uint64_t period = 1000 / (uint64_t)g->cfg->rate;
        if (period < 10)
            period = 10;
        uv_timer_start(&g->timer, gen_timer_cb, 0, period);
    }
}

static int gen_init(igz_instance_t *ins, const void *config, void **ctx)
{
    const gen_config_t *cfg = config;
    if (cfg->count < 0 || cfg->rate < 0 || cfg->batch < 1) {
        igz_error(ins, "\"count\" and \"rate\" must be 0 or more and \"batch\" at least 1");
        return IGZ_EINVAL;
    }
    gen_t *g = calloc(1, sizeof *g);
    if (!g)
        return IGZ_ENOMEM;
    g->ins = ins;
    g->cfg = cfg;
    g->n_fields = igz_conf_len(cfg->fields);
    if (g->n_fields && !(g->fields = calloc(g->n_fields, sizeof *g->fields))) {
        free(g);
        return IGZ_ENOMEM;
    }
    for (size_t i = 0; i < g->n_fields; i++) {
        g->fields[i].key = igz_conf_key(cfg->fields, i);
        g->fields[i].klen = strlen(g->fields[i].key);
        g->fields[i].value = igz_conf_at(cfg->fields, i);
        g->fields[i].type = igz_conf_type(g->fields[i].value);
    }
    igz_writer_init(&g->w);
    uv_loop_t *loop = igz_instance_loop(ins);
    if (uv_idle_init(loop, &g->idle) || uv_timer_init(loop, &g->timer)) {
        free(g->fields);
        free(g);
        return IGZ_EIO;
    }
    g->idle.data = g->timer.data = g;
    *ctx = g;
    return 0;
}

static int gen_start(igz_instance_t *ins, void *ctx)
{
    gen_t *g = ctx;
    g->started_ms = uv_now(igz_instance_loop(ins));
    if (g->cfg->count == 0 && g->cfg->rate == 0)
        igz_info(ins, "generating without end as fast as possible");
    gen_run(g);
    return 0;
}

static void gen_pause(igz_instance_t *ins, void *ctx)
{
    gen_t *g = ctx;
    g->paused_at_ms = uv_now(igz_instance_loop(ins));
    gen_stop_handles(g);
}

static void gen_resume(igz_instance_t *ins, void *ctx)
{
    gen_t *g = ctx;
    /* a paced generator does not burst to catch up the time it was held back */
    g->paused_total_ms += uv_now(igz_instance_loop(ins)) - g->paused_at_ms;
    gen_run(g);
}

static void gen_stop(igz_instance_t *ins, void *ctx)
{
    gen_t *g = ctx;
    gen_stop_handles(g);
    if (!g->finished)
        igz_info(ins, "stopped after %llu records", (unsigned long long)g->seq);
    g->finished = true;
}

static void gen_closed(uv_handle_t *h)
{
    gen_t *g = h->data;
    if (--g->closing == 0) {
        igz_writer_free(&g->w);
        free(g->fields);
        free(g);
    }
}

static void gen_exit(igz_instance_t *ins, void *ctx)
{
    gen_t *g = ctx;
    g->closing = 2;
    uv_close((uv_handle_t *)&g->idle, gen_closed);
    uv_close((uv_handle_t *)&g->timer, gen_closed);
}

static igz_plugin_t in_gen = {
    .size = sizeof(igz_plugin_t),
    .abi_major = IGZ_ABI_MAJOR,
    .abi_minor = IGZ_ABI_MINOR,
    .kind = IGZ_KIND_INPUT,
    .name = "gen",
    .description = "generate numbered records, for tests and benchmarks",
    .options = gen_options,
    .config_size = sizeof(gen_config_t),
    .init = gen_init,
    .start = gen_start,
    .pause = gen_pause,
    .resume = gen_resume,
    .stop = gen_stop,
    .exit = gen_exit,
};

IGZ_PLUGIN_DEFINE(in_gen);
