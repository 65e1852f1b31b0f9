/*
 * metrics.c - plugin-defined counters and gauges, kept per instance in a
 * short list (a plugin has a handful; lookups happen at registration only).
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct igz_metric_node {
    igz_metric_kind_t kind;
    char *name, *help, *label_key, *label_value;
    double value;
    igz_metric_node_t *next;
};

static bool same(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static void node_free(igz_metric_node_t *m)
{
    free(m->name);
    free(m->help);
    free(m->label_key);
    free(m->label_value);
    free(m);
}

igz_metric_t *igz_metric_get(struct igz_instance *ins, igz_metric_kind_t kind, const char *name,
                             const char *help, const char *label_key, const char *label_value)
{
    for (igz_metric_node_t *m = ins->metrics; m; m = m->next)
        if (strcmp(m->name, name) == 0 && same(m->label_key, label_key) &&
            same(m->label_value, label_value))
            return (igz_metric_t *)m;
    igz_metric_node_t *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->kind = kind;
    m->name = strdup(name);
    m->help = strdup(help ? help : "");
    m->label_key = label_key ? strdup(label_key) : NULL;
    m->label_value = label_value ? strdup(label_value) : NULL;
    if (!m->name || !m->help || (label_key && !m->label_key) || (label_value && !m->label_value)) {
        node_free(m);
        return NULL;
    }
    m->next = ins->metrics;
    ins->metrics = m;
    return (igz_metric_t *)m;
}

void igz_metric_add(igz_metric_t *m, double v)
{
    if (m)
        ((igz_metric_node_t *)m)->value += v;
}

void igz_metric_set(igz_metric_t *m, double v)
{
    if (m)
        ((igz_metric_node_t *)m)->value = v;
}

double igz_metric_value(const igz_metric_t *m)
{
    return m ? ((const igz_metric_node_t *)m)->value : 0;
}

void igz__metrics_free(igz_metric_node_t *m)
{
    while (m) {
        igz_metric_node_t *next = m->next;
        node_free(m);
        m = next;
    }
}
