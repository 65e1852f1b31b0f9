/*
 * out_testsink.c - a test output that behaves as told: slow, failing, or
 * failing a few times first. It appends the "seq" of every delivered record
 * to a text file and one line per attempt to a log, which the engine tests
 * read back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <iguazu/iguazu.h>

typedef struct {
    const char *path;
    const char *attempts_path;
    int64_t delay_ms;
    const char *mode;
    int64_t fail_times;
} sink_config_t;

typedef struct {
    const sink_config_t *cfg;
    uv_timer_t timer;
    igz_flush_t *current;
    int64_t failures;
    igz_instance_t *ins;
} sink_t;

static const igz_option_t sink_options[] = {
    {"path", IGZ_OPT_STR, NULL, IGZ_OPT_REQUIRED, offsetof(sink_config_t, path),
     "file the seq of every delivered record is appended to", NULL},
    {"attempts_path", IGZ_OPT_STR, NULL, 0, offsetof(sink_config_t, attempts_path),
     "file with one line per flush attempt: chunk id, attempt, loop time in ms", NULL},
    {"delay", IGZ_OPT_DURATION, "0ms", 0, offsetof(sink_config_t, delay_ms),
     "how long each flush takes", NULL},
    {"mode", IGZ_OPT_ENUM, "ok", 0, offsetof(sink_config_t, mode),
     "ok, retry (always), fail (permanently), or flaky (fail_times retries then ok)",
     "ok|retry|fail|flaky"},
    {"fail_times", IGZ_OPT_INT, "2", 0, offsetof(sink_config_t, fail_times),
     "flaky mode: how many attempts fail before it works", NULL},
    IGZ_OPTION_END};

static void append_seqs(sink_t *s, igz_flush_t *fl)
{
    FILE *f = fopen(s->cfg->path, "a");
    if (!f) {
        igz_flush_done(fl, IGZ_FLUSH_RETRY, "fopen() \"%s\" failed", s->cfg->path);
        return;
    }
    size_t len;
    const void *data = igz_flush_data(fl, &len);
    igz_reader_t r;
    igz_record_t rec;
    igz_reader_init(&r, data, len);
    int rc;
    while ((rc = igz_reader_next(&r, &rec)) == 1) {
        igz_value_t v;
        if (igz_map_get(&rec.body, "seq", 3, &v) == 1 && v.type == IGZ_T_INT)
            fprintf(f, "%lld\n", (long long)v.v.i);
        else
            fprintf(f, "?\n");
    }
    if (fclose(f) != 0 || rc < 0) {
        igz_flush_done(fl, IGZ_FLUSH_FAILED, "write failed or bad chunk");
        return;
    }
    igz_flush_done(fl, IGZ_FLUSH_OK, NULL);
}

static void sink_finish(sink_t *s, igz_flush_t *fl)
{
    const char *mode = s->cfg->mode;
    if (s->cfg->attempts_path) {
        FILE *f = fopen(s->cfg->attempts_path, "a");
        if (f) {
            fprintf(f, "%s %u %llu\n", igz_flush_chunk_id(fl), igz_flush_attempt(fl),
                    (unsigned long long)uv_now(igz_instance_loop(s->ins)));
            fclose(f);
        }
    }
    if (strcmp(mode, "retry") == 0) {
        igz_flush_done(fl, IGZ_FLUSH_RETRY, "told to fail (mode retry)");
    } else if (strcmp(mode, "fail") == 0) {
        igz_flush_done(fl, IGZ_FLUSH_FAILED, "told to fail (mode fail)");
    } else if (strcmp(mode, "flaky") == 0 && igz_flush_attempt(fl) <= s->cfg->fail_times) {
        igz_flush_done(fl, IGZ_FLUSH_RETRY, "flaky attempt %u", igz_flush_attempt(fl));
    } else {
        append_seqs(s, fl);
    }
}

static void sink_timer_cb(uv_timer_t *t)
{
    sink_t *s = t->data;
    igz_flush_t *fl = s->current;
    s->current = NULL;
    sink_finish(s, fl);
}

static void sink_flush(igz_instance_t *ins, void *ctx, igz_flush_t *fl)
{
    sink_t *s = ctx;
    if (s->cfg->delay_ms <= 0 || s->current) {
        sink_finish(s, fl);
        return;
    }
    s->current = fl;
    uv_timer_start(&s->timer, sink_timer_cb, (uint64_t)s->cfg->delay_ms, 0);
}

static int sink_init(igz_instance_t *ins, const void *config, void **ctx)
{
    sink_t *s = calloc(1, sizeof *s);
    if (!s)
        return IGZ_ENOMEM;
    s->cfg = config;
    s->ins = ins;
    if (uv_timer_init(igz_instance_loop(ins), &s->timer)) {
        free(s);
        return IGZ_EIO;
    }
    s->timer.data = s;
    /* proves igz_instance_state_dir to the storage tests */
    const char *dir = igz_instance_state_dir(ins);
    if (dir) {
        char path[4200];
        snprintf(path, sizeof path, "%s/marker", dir);
        FILE *f = fopen(path, "w");
        if (f)
            fclose(f);
    }
    *ctx = s;
    return 0;
}

static void sink_closed(uv_handle_t *h)
{
    free(h->data);
}

static void sink_exit(igz_instance_t *ins, void *ctx)
{
    sink_t *s = ctx;
    uv_close((uv_handle_t *)&s->timer, sink_closed);
}

static igz_plugin_t out_testsink = {
    .size = sizeof(igz_plugin_t),
    .abi_major = IGZ_ABI_MAJOR,
    .abi_minor = IGZ_ABI_MINOR,
    .kind = IGZ_KIND_OUTPUT,
    .name = "testsink",
    .description = "test output: records seq numbers, can be slow or fail on purpose",
    .options = sink_options,
    .config_size = sizeof(sink_config_t),
    .init = sink_init,
    .flush = sink_flush,
    .exit = sink_exit,
};

IGZ_PLUGIN_DEFINE(out_testsink);
