/*
 * plugin_loader.c - opening a plugin file and checking it before trusting it.
 *
 * The order follows PostgreSQL's module loader: open with RTLD_NOW so a
 * missing symbol fails here and not in the middle of a run; read the magic
 * block's length and ABI major first (a plugin of another major may not even
 * have the fields we expect), then the minor, then the struct sizes and the
 * build signature; only then read the descriptor, and only up to the size the
 * plugin declares. No code of the plugin runs before these checks pass (its
 * static constructors aside, which dlopen runs and nothing can prevent).
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

const char *igz__kind_section(igz_kind_t kind)
{
    switch (kind) {
    case IGZ_KIND_INPUT:
        return "inputs";
    case IGZ_KIND_FILTER:
        return "filters";
    case IGZ_KIND_OUTPUT:
        return "outputs";
    }
    return "?";
}

const char *igz__kind_prefix(igz_kind_t kind)
{
    switch (kind) {
    case IGZ_KIND_INPUT:
        return "in_";
    case IGZ_KIND_FILTER:
        return "filter_";
    case IGZ_KIND_OUTPUT:
        return "out_";
    }
    return "?";
}

static char *base_name_no_ext(const char *path)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    size_t n = strlen(b);
    if (n > 3 && strcmp(b + n - 3, ".so") == 0)
        n -= 3;
    return strndup(b, n);
}

void igz__plugin_close(igz_plugin_handle_t *h)
{
    if (!h)
        return;
    /* dlclose only when not under a leak checker that wants symbols: always fine here */
    if (h->dl && !getenv("IGZ_NO_DLCLOSE"))
        dlclose(h->dl);
    free(h->path);
    free(h->file_name);
    free(h);
}

int igz__plugin_open(const char *path, igz_plugin_handle_t **out, char *err, size_t errlen)
{
    *out = NULL;
    void *dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!dl) {
        const char *why = dlerror();
        snprintf(err, errlen, "cannot load plugin \"%s\": %s", path, why ? why : "dlopen failed");
        return IGZ_ENOTPLUGIN;
    }
    dlerror();
    const unsigned char *raw = dlsym(dl, "igz_plugin_magic");
    if (!raw) {
        snprintf(err, errlen,
                 "\"%s\" is not an iguazu plugin: it has no \"igz_plugin_magic\" symbol "
                 "(a plugin ends with IGZ_PLUGIN_DEFINE(descriptor))",
                 path);
        dlclose(dl);
        return IGZ_ENOTPLUGIN;
    }
    /* 1. length and version: the first 8 bytes are the same in every ABI version */
    uint32_t len;
    uint16_t major, minor;
    memcpy(&len, raw, 4);
    memcpy(&major, raw + 4, 2);
    memcpy(&minor, raw + 6, 2);
    if (len < 8 || len > 4096) {
        snprintf(err, errlen, "malformed plugin \"%s\": magic block length %u is invalid", path,
                 (unsigned)len);
        dlclose(dl);
        return IGZ_ENOTPLUGIN;
    }
    if (major != IGZ_ABI_MAJOR || minor > IGZ_ABI_MINOR) {
        snprintf(err, errlen,
                 "incompatible plugin \"%s\": ABI mismatch\n"
                 "  iguazu has ABI %d.%d, plugin has %u.%u%s",
                 path, IGZ_ABI_MAJOR, IGZ_ABI_MINOR, (unsigned)major, (unsigned)minor,
                 major == IGZ_ABI_MAJOR
                     ? " (rebuild the plugin against this iguazu, or upgrade iguazu)"
                     : " (rebuild the plugin against this iguazu)");
        dlclose(dl);
        return IGZ_EABI;
    }
    /* 2. same major, older or equal minor: the 1.0 block is all there */
    igz_plugin_magic_t m;
    if (len < sizeof m) {
        snprintf(err, errlen, "malformed plugin \"%s\": magic block of %u bytes, expected %zu",
                 path, (unsigned)len, sizeof m);
        dlclose(dl);
        return IGZ_ENOTPLUGIN;
    }
    memcpy(&m, raw, sizeof m);
    size_t min_plugin = offsetof(igz_plugin_t, reserved);
    if (m.sizeof_option != sizeof(igz_option_t) || m.sizeof_writer != sizeof(igz_writer_t) ||
        m.sizeof_plugin < min_plugin || !m.signature ||
        strcmp(m.signature, IGZ_BUILD_SIGNATURE) != 0) {
        snprintf(err, errlen,
                 "incompatible plugin \"%s\": built for another platform or SDK layout\n"
                 "  iguazu has \"%s\" (plugin %zu, option %zu, writer %zu bytes), plugin has "
                 "\"%s\" (%u, %u, %u)",
                 path, IGZ_BUILD_SIGNATURE, sizeof(igz_plugin_t), sizeof(igz_option_t),
                 sizeof(igz_writer_t), m.signature ? m.signature : "(none)",
                 (unsigned)m.sizeof_plugin, (unsigned)m.sizeof_option, (unsigned)m.sizeof_writer);
        dlclose(dl);
        return IGZ_EABI;
    }
    if (!m.plugin) {
        snprintf(err, errlen, "malformed plugin \"%s\": the magic block has no descriptor", path);
        dlclose(dl);
        return IGZ_ENOTPLUGIN;
    }
    /* 3. the descriptor, read up to the size the plugin declares */
    igz_plugin_handle_t *h = calloc(1, sizeof *h);
    if (!h) {
        dlclose(dl);
        snprintf(err, errlen, "out of memory");
        return IGZ_ENOMEM;
    }
    size_t n = m.sizeof_plugin < sizeof(igz_plugin_t) ? m.sizeof_plugin : sizeof(igz_plugin_t);
    memcpy(&h->desc, m.plugin, n);
    h->dl = dl;
    h->path = strdup(path);
    h->file_name = base_name_no_ext(path);
    if (!h->path || !h->file_name) {
        igz__plugin_close(h);
        snprintf(err, errlen, "out of memory");
        return IGZ_ENOMEM;
    }
    const igz_plugin_t *d = &h->desc;
    const char *why = NULL;
    if (d->size != m.sizeof_plugin || d->abi_major != major || d->abi_minor != minor)
        why = "the descriptor's size or version differs from its magic block";
    else if (d->kind != IGZ_KIND_INPUT && d->kind != IGZ_KIND_FILTER && d->kind != IGZ_KIND_OUTPUT)
        why = "unknown kind";
    else if (!d->name || !*d->name)
        why = "no name";
    else if (!d->description)
        why = "no description";
    else if (d->kind == IGZ_KIND_INPUT && !d->start)
        why = "an input without a start callback";
    else if (d->kind == IGZ_KIND_FILTER && !d->filter)
        why = "a filter without a filter callback";
    else if (d->kind == IGZ_KIND_OUTPUT && !d->flush)
        why = "an output without a flush callback";
    else if (d->config_size > (1u << 20))
        why = "config_size over 1 MiB";
    if (!why && d->options) {
        for (const igz_option_t *o = d->options; o->key; o++) {
            if (o->type < IGZ_OPT_STR || o->type > IGZ_OPT_ANY) {
                why = "an option of unknown type";
                break;
            }
            if (o->offset != IGZ_OPT_NO_OFFSET && o->offset >= d->config_size) {
                why = "an option stored outside config_size";
                break;
            }
        }
    }
    if (why) {
        snprintf(err, errlen, "malformed plugin \"%s\": %s", path, why);
        igz__plugin_close(h);
        return IGZ_ENOTPLUGIN;
    }
    *out = h;
    return 0;
}
