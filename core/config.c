/*
 * config.c - reading the TOML file into a pipeline description.
 *
 * The layout is Telegraf's: [service], then [[inputs.NAME]], [[filters.NAME]]
 * and [[outputs.NAME]] in file order. ${VAR} and ${VAR:-default} are expanded
 * in string values after parsing, so that a variable can never inject TOML
 * syntax and every error keeps its line. Plugins are located and checked
 * here, so `iguazu check` catches a missing or incompatible plugin too.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "log_internal.h"

#define SVC(field) offsetof(igz_service_t, field)

const igz_option_t igz__service_options[] = {
    {"log_level", IGZ_OPT_ENUM, "info", 0, SVC(log_level), "least severe level that is logged",
     "error|warn|info|debug|trace"},
    {"log_format", IGZ_OPT_ENUM, "text", 0, SVC(log_format), "log lines as text or JSON lines",
     "text|json"},
    {"flush_interval", IGZ_OPT_DURATION, "1s", 0, SVC(flush_interval_ms),
     "a chunk is sealed and sent at the latest this long after its first record", NULL},
    {"grace", IGZ_OPT_DURATION, "5s", 0, SVC(grace_ms),
     "on SIGTERM/SIGINT, how long buffered chunks may take to flush before exit", NULL},
    {"mem_limit", IGZ_OPT_SIZE, "64MiB", 0, SVC(mem_limit),
     "buffered bytes at which every input is paused (resumed below 3/4 of it)", NULL},
    {"chunk_size", IGZ_OPT_SIZE, "2MiB", 0, SVC(chunk_size),
     "a chunk is sealed when it reaches this size", NULL},
    {"plugin_dirs", IGZ_OPT_STR_LIST, "", 0, SVC(plugin_dirs),
     "folders searched for plugins after IGUAZU_PLUGIN_PATH", NULL},
    {"plugins", IGZ_OPT_STR_LIST, "", 0, SVC(plugins),
     "plugin files loaded by explicit path (their descriptor gives kind and name)", NULL},
    {"exit_when_done", IGZ_OPT_BOOL, "false", 0, SVC(exit_when_done),
     "exit once every input is done and every chunk is delivered (batch jobs)", NULL},
    {"storage_path", IGZ_OPT_STR, NULL, 0, SVC(storage_path),
     "folder where chunks are kept on disk, so nothing accepted is lost across a crash", NULL},
    {"storage_sync", IGZ_OPT_ENUM, "normal", 0, SVC(storage_sync),
     "normal: written before acknowledged (survives a crash of iguazu); full: also synced "
     "(survives a power loss)",
     "normal|full"},
    {"storage_max_chunks_up", IGZ_OPT_INT, "64", 0, SVC(storage_max_chunks_up),
     "chunks read back from disk that may be in memory at once", NULL},
    {"storage_total_limit", IGZ_OPT_SIZE, "0", 0, SVC(storage_total_limit),
     "bytes of chunks on disk at which inputs are paused (0: no limit)", NULL},
    {"storage_full_policy", IGZ_OPT_ENUM, "pause", 0, SVC(storage_full_policy),
     "at storage_total_limit: pause the inputs, or drop the oldest chunks (logged and counted)",
     "pause|drop_oldest"},
    {"dead_letter_path", IGZ_OPT_STR, NULL, 0, SVC(dead_letter_path),
     "folder for chunks an output gave up on (default: storage_path/dead-letter)", NULL},
    IGZ_OPTION_END};

#define COM(field) offsetof(igz_common_conf_t, field)

static const igz_option_t input_common[] = {
    {"alias", IGZ_OPT_STR, NULL, 0, COM(alias), "instance name in logs and metrics", NULL},
    {"tag", IGZ_OPT_STR, NULL, 0, COM(tag), "tag of the records (default: the plugin name)", NULL},
    {"mem_limit", IGZ_OPT_SIZE, "0", 0, COM(mem_limit),
     "buffered bytes of this input at which it is paused (0: only the service limit)", NULL},
    IGZ_OPTION_END};

static const igz_option_t filter_common[] = {
    {"alias", IGZ_OPT_STR, NULL, 0, COM(alias), "instance name in logs and metrics", NULL},
    {"match", IGZ_OPT_STR, "*", 0, COM(match), "glob on the tag of the records to filter", NULL},
    IGZ_OPTION_END};

static const igz_option_t output_common[] = {
    {"alias", IGZ_OPT_STR, NULL, 0, COM(alias), "instance name in logs and metrics", NULL},
    {"match", IGZ_OPT_STR, "*", 0, COM(match), "glob on the tag of the chunks to deliver", NULL},
    {"retry_base", IGZ_OPT_DURATION, "1s", 0, COM(retry_base_ms),
     "first back-off; each retry doubles it, with full jitter", NULL},
    {"retry_max", IGZ_OPT_DURATION, "5m", 0, COM(retry_max_ms), "longest back-off", NULL},
    {"retry_limit", IGZ_OPT_INT, "10", 0, COM(retry_limit),
     "retries before a chunk is dead-lettered (-1: retry for ever)", NULL},
    {"workers", IGZ_OPT_INT, "1", 0, COM(workers), "chunks flushed at the same time", NULL},
    IGZ_OPTION_END};

const igz_option_t *igz__common_options(igz_kind_t kind)
{
    switch (kind) {
    case IGZ_KIND_INPUT:
        return input_common;
    case IGZ_KIND_FILTER:
        return filter_common;
    case IGZ_KIND_OUTPUT:
        return output_common;
    }
    return NULL;
}

int igz__read_file(const char *path, char **text, size_t *len, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "open() \"%s\" failed (%d: %s)", path, errno, strerror(errno));
        return IGZ_ENOENT;
    }
    igz_buf_t b = IGZ_BUF_INIT;
    char chunk[65536];
    size_t n;
    int rc = 0;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && !rc)
        rc = igz_buf_append(&b, chunk, n);
    if (!rc && ferror(f)) {
        snprintf(err, errlen, "read() \"%s\" failed (%d: %s)", path, errno, strerror(errno));
        rc = IGZ_EIO;
    }
    fclose(f);
    if (!rc)
        rc = igz_buf_append(&b, "", 1);
    if (rc) {
        if (rc == IGZ_ENOMEM)
            snprintf(err, errlen, "out of memory reading \"%s\"", path);
        igz_buf_free(&b);
        return rc;
    }
    *text = b.data;
    *len = b.len - 1;
    return 0;
}

/* Expand ${VAR} and ${VAR:-default} in one string node; "$$" is a literal "$". */
static int expand_string(igz_toml_node_t *n, char *err, size_t errlen)
{
    if (!memchr(n->str, '$', n->str_len))
        return 0;
    igz_buf_t out = IGZ_BUF_INIT;
    const char *p = n->str, *end = n->str + n->str_len;
    int rc = 0;
    while (p < end && !rc) {
        if (p[0] == '$' && p + 1 < end && p[1] == '$') {
            rc = igz_buf_append(&out, "$", 1);
            p += 2;
            continue;
        }
        if (p[0] != '$' || p + 1 >= end || p[1] != '{') {
            rc = igz_buf_append(&out, p, 1);
            p++;
            continue;
        }
        const char *close = memchr(p + 2, '}', (size_t)(end - p - 2));
        if (!close) {
            snprintf(err, errlen, "%s:%u: unterminated \"${\" in a string", n->file, n->line);
            rc = IGZ_ECONFIG;
            break;
        }
        const char *name = p + 2;
        const char *dflt = NULL;
        size_t nlen = (size_t)(close - name);
        for (const char *q = name; q + 1 < close; q++) {
            if (q[0] == ':' && q[1] == '-') {
                dflt = q + 2;
                nlen = (size_t)(q - name);
                break;
            }
        }
        char var[256];
        if (nlen == 0 || nlen >= sizeof var) {
            snprintf(err, errlen, "%s:%u: bad variable name in \"${...}\"", n->file, n->line);
            rc = IGZ_ECONFIG;
            break;
        }
        memcpy(var, name, nlen);
        var[nlen] = '\0';
        const char *val = getenv(var);
        if (val && (*val || !dflt))
            rc = igz_buf_append_str(&out, val);
        else if (dflt)
            rc = igz_buf_append(&out, dflt, (size_t)(close - dflt));
        else {
            snprintf(err, errlen,
                     "%s:%u: environment variable \"%s\" is not set (give a default with "
                     "${%s:-default})",
                     n->file, n->line, var, var);
            rc = IGZ_ECONFIG;
        }
        p = close + 1;
    }
    if (!rc)
        rc = igz_buf_append(&out, "", 1);
    if (rc) {
        if (rc == IGZ_ENOMEM)
            snprintf(err, errlen, "out of memory");
        igz_buf_free(&out);
        return rc;
    }
    free(n->str);
    n->str = out.data;
    n->str_len = out.len - 1;
    return 0;
}

static int expand_tree(igz_toml_node_t *n, char *err, size_t errlen)
{
    if (n->type == IGZ_CONF_STRING)
        return expand_string(n, err, errlen);
    if (n->type == IGZ_CONF_TABLE || n->type == IGZ_CONF_ARRAY)
        for (size_t i = 0; i < n->len; i++) {
            int rc = expand_tree(n->vals[i], err, errlen);
            if (rc)
                return rc;
        }
    return 0;
}

static igz_plugin_handle_t *find_loaded(igz_config_t *cfg, igz_kind_t kind, const char *name)
{
    for (igz_plugin_handle_t *h = cfg->plugins; h; h = h->next)
        if (h->desc.kind == kind && strcmp(h->desc.name, name) == 0)
            return h;
    return NULL;
}

/* "unknown input plugin "x" (known: csv, gen); did you mean "csv"?" */
static void unknown_plugin(igz_config_t *cfg, igz_kind_t kind, const char *name,
                           const igz_toml_node_t *node, char *err, size_t errlen)
{
    char **paths = NULL;
    size_t n = 0;
    const char *names[128];
    char *owned[128];
    size_t k = 0;
    if (igz__plugin_list(&cfg->search, &paths, &n) == 0) {
        const char *prefix = igz__kind_prefix(kind);
        for (size_t i = 0; i < n && k < 128; i++) {
            const char *b = strrchr(paths[i], '/');
            b = b ? b + 1 : paths[i];
            if (strncmp(b, prefix, strlen(prefix)) == 0) {
                owned[k] = strndup(b + strlen(prefix), strlen(b) - strlen(prefix) - 3);
                if (owned[k])
                    names[k] = owned[k], k++;
            }
        }
    }
    for (igz_plugin_handle_t *h = cfg->plugins; h && k < 128; h = h->next)
        if (h->desc.kind == kind && (owned[k] = strdup(h->desc.name)))
            names[k] = owned[k], k++;
    char known[1024] = "";
    size_t kl = 0;
    for (size_t i = 0; i < k && kl < sizeof known - 64; i++)
        kl += (size_t)snprintf(known + kl, sizeof known - kl, "%s%s", i ? ", " : "", names[i]);
    const char *near = igz__closest(name, names, k);
    const char *kind_word = kind == IGZ_KIND_INPUT    ? "input"
                            : kind == IGZ_KIND_FILTER ? "filter"
                                                      : "output";
    snprintf(err, errlen, "%s:%u: unknown %s plugin \"%s\" (known: %s)%s%s%s", node->file,
             node->line, kind_word, name, k ? known : "none found", near ? "; did you mean \"" : "",
             near ? near : "", near ? "\"?" : "");
    for (size_t i = 0; i < k; i++)
        free(owned[i]);
    for (size_t i = 0; i < n; i++)
        free(paths[i]);
    free(paths);
}

static int resolve_plugin(igz_config_t *cfg, igz_kind_t kind, const char *name,
                          const igz_toml_node_t *node, igz_plugin_handle_t **out, char *err,
                          size_t errlen)
{
    igz_plugin_handle_t *h = find_loaded(cfg, kind, name);
    if (h) {
        *out = h;
        return 0;
    }
    char *path = igz__plugin_find(&cfg->search, kind, name);
    if (!path) {
        unknown_plugin(cfg, kind, name, node, err, errlen);
        return IGZ_ECONFIG;
    }
    char why[1024];
    int rc = igz__plugin_open(path, &h, why, sizeof why);
    free(path);
    if (rc) {
        snprintf(err, errlen, "%s:%u: %s", node->file, node->line, why);
        return rc;
    }
    if (h->desc.kind != kind || strcmp(h->desc.name, name) != 0) {
        snprintf(err, errlen, "%s:%u: plugin file \"%s\" declares %s \"%s\", not %s \"%s\"",
                 node->file, node->line, h->path, igz__kind_section(h->desc.kind), h->desc.name,
                 igz__kind_section(kind), name);
        igz__plugin_close(h);
        return IGZ_ECONFIG;
    }
    h->next = cfg->plugins;
    cfg->plugins = h;
    *out = h;
    return 0;
}

static int add_instance(igz_config_t *cfg, igz_kind_t kind, const char *name,
                        const igz_toml_node_t *table, char *err, size_t errlen)
{
    igz_plugin_handle_t *h;
    int rc = resolve_plugin(cfg, kind, name, table, &h, err, errlen);
    if (rc)
        return rc;
    igz_instance_conf_t *ni = realloc(cfg->instances, (cfg->n_instances + 1) * sizeof *ni);
    if (!ni)
        return IGZ_ENOMEM;
    cfg->instances = ni;
    igz_instance_conf_t *ic = &ni[cfg->n_instances];
    ic->kind = kind;
    ic->name = strdup(name);
    ic->node = table;
    ic->plugin = h;
    if (!ic->name)
        return IGZ_ENOMEM;
    cfg->n_instances++;
    return 0;
}

static int load_section(igz_config_t *cfg, igz_kind_t kind, char *err, size_t errlen)
{
    const igz_toml_node_t *sec = igz_conf_get(cfg->root, igz__kind_section(kind));
    if (!sec)
        return 0;
    if (sec->type != IGZ_CONF_TABLE) {
        snprintf(err, errlen, "%s:%u: \"%s\" must be a table of plugins such as [[%s.NAME]]",
                 cfg->path, sec->line, igz__kind_section(kind), igz__kind_section(kind));
        return IGZ_ECONFIG;
    }
    for (size_t i = 0; i < sec->len; i++) {
        const char *name = sec->keys[i];
        const igz_toml_node_t *v = sec->vals[i];
        int rc = 0;
        if (v->type == IGZ_CONF_TABLE) { /* [inputs.gen]: one instance */
            rc = add_instance(cfg, kind, name, v, err, errlen);
        } else if (v->type == IGZ_CONF_ARRAY) {
            for (size_t j = 0; j < v->len && !rc; j++) {
                if (v->vals[j]->type != IGZ_CONF_TABLE) {
                    snprintf(err, errlen, "%s:%u: %s.%s must be tables ([[%s.%s]])", cfg->path,
                             v->vals[j]->line, igz__kind_section(kind), name,
                             igz__kind_section(kind), name);
                    return IGZ_ECONFIG;
                }
                rc = add_instance(cfg, kind, name, v->vals[j], err, errlen);
            }
        } else {
            snprintf(err, errlen, "%s:%u: %s.%s must be a table ([[%s.%s]])", cfg->path, v->line,
                     igz__kind_section(kind), name, igz__kind_section(kind), name);
            return IGZ_ECONFIG;
        }
        if (rc == IGZ_ENOMEM)
            snprintf(err, errlen, "out of memory");
        if (rc)
            return rc;
    }
    return 0;
}

static int load_explicit_plugins(igz_config_t *cfg, char *err, size_t errlen)
{
    for (size_t i = 0; i < cfg->service.plugins.n; i++) {
        igz_plugin_handle_t *h;
        char why[1024];
        int rc = igz__plugin_open(cfg->service.plugins.v[i], &h, why, sizeof why);
        if (rc) {
            const igz_toml_node_t *s = igz_conf_get(cfg->root, "service");
            const igz_toml_node_t *n = s ? igz_conf_get(s, "plugins") : NULL;
            snprintf(err, errlen, "%s:%u: %s", cfg->path, n ? n->line : 0, why);
            return rc;
        }
        h->next = cfg->plugins;
        cfg->plugins = h;
    }
    return 0;
}

int igz__config_load(const char *path, igz_config_t **out, char *err, size_t errlen)
{
    *out = NULL;
    igz_config_t *cfg = calloc(1, sizeof *cfg);
    if (!cfg || !(cfg->path = strdup(path))) {
        free(cfg);
        snprintf(err, errlen, "out of memory");
        return IGZ_ENOMEM;
    }
    char *text = NULL;
    size_t len = 0;
    int rc = igz__read_file(path, &text, &len, err, errlen);
    if (rc)
        goto fail;
    char why[512];
    rc = igz_toml_parse(text, len, path, &cfg->root, why, sizeof why);
    free(text);
    if (rc) {
        if (rc == IGZ_ENOMEM)
            snprintf(err, errlen, "out of memory");
        else
            snprintf(err, errlen, "%s:%s", path, why);
        goto fail;
    }
    rc = expand_tree(cfg->root, err, errlen);
    if (rc)
        goto fail;
    static const char *const top[] = {"service", "inputs", "filters", "outputs"};
    for (size_t i = 0; i < cfg->root->len; i++) {
        const char *k = cfg->root->keys[i];
        bool ok = false;
        for (size_t j = 0; j < 4; j++)
            ok = ok || strcmp(k, top[j]) == 0;
        if (!ok) {
            const char *near = igz__closest(k, top, 4);
            snprintf(err, errlen,
                     "%s:%u: unknown section \"%s\"%s%s%s (sections: service, inputs, "
                     "filters, outputs)",
                     path, cfg->root->vals[i]->line, k, near ? "; did you mean \"" : "",
                     near ? near : "", near ? "\"?" : "");
            rc = IGZ_ECONFIG;
            goto fail;
        }
    }
    const igz_toml_node_t *svc = igz_conf_get(cfg->root, "service");
    static igz_toml_node_t empty_table = {.type = IGZ_CONF_TABLE, .file = "(none)"};
    if (svc && svc->type != IGZ_CONF_TABLE) {
        snprintf(err, errlen, "%s:%u: \"service\" must be a table ([service])", path, svc->line);
        rc = IGZ_ECONFIG;
        goto fail;
    }
    rc = igz__schema_apply(igz__service_options, NULL, svc ? svc : &empty_table, "[service]",
                           &cfg->service, &cfg->service_allocs, err, errlen);
    if (rc)
        goto fail;
    if (cfg->service.chunk_size < 1024 || cfg->service.flush_interval_ms < 1) {
        snprintf(err, errlen,
                 "%s: [service] chunk_size must be at least 1KiB and flush_interval "
                 "at least 1ms",
                 path);
        rc = IGZ_ECONFIG;
        goto fail;
    }
    igz_log_level_t lvl;
    if (igz__log_level_parse(cfg->service.log_level, &lvl) == 0)
        igz__log_configure(lvl, strcmp(cfg->service.log_format, "json") == 0);
    rc = igz__plugin_path_init(&cfg->search, &cfg->service.plugin_dirs);
    if (rc) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    rc = load_explicit_plugins(cfg, err, errlen);
    for (igz_kind_t k = IGZ_KIND_INPUT; !rc && k <= IGZ_KIND_OUTPUT; k++)
        rc = load_section(cfg, k, err, errlen);
    if (rc)
        goto fail;
    *out = cfg;
    return 0;
fail:
    igz__config_free(cfg);
    return rc;
}

void igz__config_free(igz_config_t *cfg)
{
    if (!cfg)
        return;
    for (size_t i = 0; i < cfg->n_instances; i++)
        free(cfg->instances[i].name);
    free(cfg->instances);
    igz_plugin_handle_t *h = cfg->plugins;
    while (h) {
        igz_plugin_handle_t *next = h->next;
        igz__plugin_close(h);
        h = next;
    }
    igz__plugin_path_free(&cfg->search);
    igz__schema_free(cfg->service_allocs);
    igz_toml_free(cfg->root);
    free(cfg->path);
    free(cfg);
}
