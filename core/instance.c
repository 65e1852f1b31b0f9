/*
 * instance.c - one configured plugin instance: its configuration, its
 * context, and the accessors of plugin.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"
#include "storage.h"
#include "log_internal.h"

void igz__log_instance_name(const struct igz_instance *ins, char *out, size_t n)
{
    if (strcmp(ins->alias, ins->plugin_name) == 0)
        snprintf(out, n, "%s", ins->plugin_name);
    else
        snprintf(out, n, "%s %s", ins->plugin_name, ins->alias);
}

int igz__instance_create(igz_engine_t *e, const igz_instance_conf_t *ic, int index,
                         igz_instance_t **out, char *err, size_t errlen)
{
    *out = NULL;
    const igz_plugin_t *d = &ic->plugin->desc;
    igz_instance_t *ins = calloc(1, sizeof *ins);
    if (!ins)
        goto oom;
    ins->engine = e;
    ins->plugin = ic->plugin;
    ins->kind = d->kind;
    queue_init(&ins->open_chunks);
    queue_init(&ins->pending);
    queue_init(&ins->node);
    ins->plugin_name = strdup(ic->plugin->file_name);
    if (!ins->plugin_name)
        goto oom;
    if (d->config_size && !(ins->config = calloc(1, d->config_size)))
        goto oom;

    char what[256];
    snprintf(what, sizeof what, "[[%s.%s]]", igz__kind_section(d->kind), ic->name);
    const igz_option_t *common = igz__common_options(d->kind);
    int rc = igz__schema_apply(common, d->options, ic->node, what, &ins->common,
                               &ins->common_allocs, err, errlen);
    if (!rc)
        rc = igz__schema_apply(d->options, common, ic->node, what, ins->config, &ins->config_allocs,
                               err, errlen);
    if (rc) {
        igz__instance_free(ins);
        return rc;
    }
    if (ins->common.alias)
        ins->alias = strdup(ins->common.alias);
    else if (asprintf(&ins->alias, "%s.%d", ic->name, index) < 0)
        ins->alias = NULL;
    if (!ins->alias)
        goto oom;
    if (d->kind == IGZ_KIND_INPUT && !ins->common.tag)
        ins->common.tag = d->name;
    if (d->kind == IGZ_KIND_OUTPUT) {
        if (ins->common.workers < 1 || ins->common.workers > 64) {
            snprintf(err, errlen, "%s:%u: \"workers\" of %s must be between 1 and 64",
                     ic->node->file, ic->node->line, what);
            igz__instance_free(ins);
            return IGZ_ECONFIG;
        }
        if (ins->common.retry_base_ms < 1)
            ins->common.retry_base_ms = 1;
        if (ins->common.retry_max_ms < ins->common.retry_base_ms)
            ins->common.retry_max_ms = ins->common.retry_base_ms;
    }
    *out = ins;
    return 0;
oom:
    snprintf(err, errlen, "out of memory");
    igz__instance_free(ins);
    return IGZ_ENOMEM;
}

void igz__instance_free(igz_instance_t *ins)
{
    if (!ins)
        return;
    igz__metrics_free(ins->metrics);
    igz__schema_free(ins->common_allocs);
    igz__schema_free(ins->config_allocs);
    free(ins->config);
    free(ins->plugin_name);
    free(ins->alias);
    free(ins->state_dir);
    free(ins);
}

uv_loop_t *igz_instance_loop(const igz_instance_t *ins)
{
    return &ins->engine->loop;
}

const char *igz_instance_plugin_name(const igz_instance_t *ins)
{
    return ins->plugin_name;
}

const char *igz_instance_alias(const igz_instance_t *ins)
{
    return ins->alias;
}

const char *igz_instance_tag(const igz_instance_t *ins)
{
    return ins->common.tag ? ins->common.tag : ins->plugin->desc.name;
}

const char *igz_instance_state_dir(igz_instance_t *ins)
{
    if (ins->state_dir)
        return ins->state_dir;
    const char *root = ins->engine->svc->storage_path;
    if (!root)
        return NULL;
    /* one folder per instance, named by its alias (which users keep stable across restarts) */
    char safe[256];
    size_t i = 0;
    for (; ins->alias[i] && i + 1 < sizeof safe; i++) {
        char c = ins->alias[i];
        safe[i] = (c == '/' || c == '\0' || (i == 0 && c == '.')) ? '_' : c;
    }
    safe[i] = '\0';
    char *dir = NULL;
    if (asprintf(&dir, "%s/state/%s", root, safe) < 0)
        return NULL;
    char err[512];
    if (igz__mkdirs(dir, err, sizeof err)) {
        igz_error(ins, "%s", err);
        free(dir);
        return NULL;
    }
    ins->state_dir = dir;
    return dir;
}

bool igz_input_paused(const igz_instance_t *ins)
{
    return ins->paused;
}
