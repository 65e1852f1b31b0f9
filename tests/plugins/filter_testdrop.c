/*
 * filter_testdrop.c - a test filter: drops records whose seq is a multiple of
 * `every` and adds a field `filtered = true` to the rest.
 */
#include <iguazu/iguazu.h>

typedef struct {
    int64_t every;
} drop_config_t;

static const igz_option_t drop_options[] = {{"every", IGZ_OPT_INT, "2", 0,
                                             offsetof(drop_config_t, every),
                                             "drop records whose seq is a multiple of this", NULL},
                                            IGZ_OPTION_END};

static int drop_init(igz_instance_t *ins, const void *config, void **ctx)
{
    *ctx = (void *)config;
    return ((const drop_config_t *)config)->every > 0 ? 0 : IGZ_EINVAL;
}

static int drop_filter(igz_instance_t *ins, void *ctx, const char *tag, const void *data,
                       size_t len, igz_writer_t *out)
{
    const drop_config_t *cfg = ctx;
    igz_reader_t r;
    igz_record_t rec;
    int rc;
    igz_reader_init(&r, data, len);
    while ((rc = igz_reader_next(&r, &rec)) == 1) {
        igz_value_t seq;
        if (igz_map_get(&rec.body, "seq", 3, &seq) == 1 && seq.type == IGZ_T_INT &&
            seq.v.i % cfg->every == 0)
            continue;
        igz_record_begin(out, rec.time);
        igz_record_body(out);
        igz_iter_t it;
        igz_value_t k, v;
        igz_iter_init(&it, &rec.body);
        while (igz_iter_next(&it, &k, &v) == 1) {
            igz_w_msgpack(out, k.raw, k.raw_len);
            igz_w_msgpack(out, v.raw, v.raw_len);
        }
        igz_w_keyz(out, "filtered");
        igz_w_bool(out, true);
        if ((rc = igz_record_end(out)) != 0)
            return rc;
    }
    return rc < 0 ? rc : IGZ_FILTER_MODIFIED;
}

static igz_plugin_t filter_testdrop = {
    .size = sizeof(igz_plugin_t),
    .abi_major = IGZ_ABI_MAJOR,
    .abi_minor = IGZ_ABI_MINOR,
    .kind = IGZ_KIND_FILTER,
    .name = "testdrop",
    .description = "test filter: drops every n-th record, marks the others",
    .options = drop_options,
    .config_size = sizeof(drop_config_t),
    .init = drop_init,
    .filter = drop_filter,
};

IGZ_PLUGIN_DEFINE(filter_testdrop);
