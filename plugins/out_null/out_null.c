/*
 * out_null.c - accepts every chunk and throws it away: the far end of
 * benchmarks, and a sink for tags nobody needs.
 */
#include <iguazu/iguazu.h>

typedef struct {
    bool count_records;
} null_config_t;

static const igz_option_t null_options[] = {
    {"count_records", IGZ_OPT_BOOL, "false", 0, offsetof(null_config_t, count_records),
     "decode every chunk and count its records (checks that chunks are well formed)", NULL},
    IGZ_OPTION_END};

static void null_flush(igz_instance_t *ins, void *ctx, igz_flush_t *fl)
{
    const null_config_t *cfg = ctx;
    if (cfg && cfg->count_records) {
        size_t len;
        const void *data = igz_flush_data(fl, &len);
        int64_t n = igz_batch_count(data, len);
        if (n != igz_flush_records(fl)) {
            igz_flush_done(fl, IGZ_FLUSH_FAILED, "chunk holds %lld records, %u expected",
                           (long long)n, igz_flush_records(fl));
            return;
        }
    }
    igz_flush_done(fl, IGZ_FLUSH_OK, NULL);
}

static int null_init(igz_instance_t *ins, const void *config, void **ctx)
{
    *ctx = (void *)config;
    return 0;
}

static igz_plugin_t out_null = {
    .size = sizeof(igz_plugin_t),
    .abi_major = IGZ_ABI_MAJOR,
    .abi_minor = IGZ_ABI_MINOR,
    .kind = IGZ_KIND_OUTPUT,
    .name = "null",
    .description = "discard every record",
    .options = null_options,
    .config_size = sizeof(null_config_t),
    .init = null_init,
    .flush = null_flush,
};

IGZ_PLUGIN_DEFINE(out_null);
