/*
 * out_hello.c - a minimal third-party output plugin, built out of tree with
 * nothing but `pkg-config --cflags --libs iguazu`.
 *
 * It counts the records it receives and greets each chunk on stderr. Use it
 * as the starting point of your own plugin: one options table, one config
 * struct, the callbacks your kind needs, and IGZ_PLUGIN_DEFINE at the end.
 */
#include <stdlib.h>

#include <iguazu/iguazu.h>

typedef struct {
    const char *greeting; /* filled from the options table below */
} hello_config_t;

typedef struct {
    const hello_config_t *cfg;
    uint64_t records;
} hello_t;

static const igz_option_t hello_options[] = {
    {"greeting", IGZ_OPT_STR, "hello", 0, offsetof(hello_config_t, greeting),
     "word printed before each chunk's record count", NULL},
    IGZ_OPTION_END};

static int hello_init(igz_instance_t *ins, const void *config, void **ctx)
{
    hello_t *h = calloc(1, sizeof *h);
    if (!h)
        return IGZ_ENOMEM;
    h->cfg = config;
    *ctx = h;
    return 0;
}

static void hello_flush(igz_instance_t *ins, void *ctx, igz_flush_t *fl)
{
    hello_t *h = ctx;
    h->records += igz_flush_records(fl);
    igz_info(ins, "%s: %u records with tag \"%s\"", h->cfg->greeting, igz_flush_records(fl),
             igz_flush_tag(fl));
    igz_flush_done(fl, IGZ_FLUSH_OK, NULL);
}

static void hello_exit(igz_instance_t *ins, void *ctx)
{
    hello_t *h = ctx;
    igz_info(ins, "%s: %llu records in all", h->cfg->greeting, (unsigned long long)h->records);
    free(h);
}

static igz_plugin_t out_hello = {
    .size = sizeof(igz_plugin_t),
    .abi_major = IGZ_ABI_MAJOR,
    .abi_minor = IGZ_ABI_MINOR,
    .kind = IGZ_KIND_OUTPUT,
    .name = "hello",
    .description = "example third-party output: greets every chunk",
    .options = hello_options,
    .config_size = sizeof(hello_config_t),
    .init = hello_init,
    .flush = hello_flush,
    .exit = hello_exit,
};

IGZ_PLUGIN_DEFINE(out_hello);
