/*
 * metrics.h - counters and gauges per plugin instance.
 *
 * The core keeps its own per-instance metrics (records in and out, retries,
 * ...); a plugin adds its own here. Names are Prometheus-style snake case
 * without the "iguazu_" prefix, which the exporter adds with the instance as
 * a label. Metrics are owned by the instance and freed with it.
 */
#ifndef IGUAZU_METRICS_H
#define IGUAZU_METRICS_H

#include "common.h"

IGZ_BEGIN_DECLS

struct igz_instance;
typedef struct igz_metric igz_metric_t;

typedef enum igz_metric_kind { IGZ_METRIC_COUNTER = 1, IGZ_METRIC_GAUGE } igz_metric_kind_t;

/* Register a metric of ins. label_key/label_value may be NULL, or name one
 * extra label (e.g. "event_type"/"page_view") so that one name can have
 * several series. Returns the metric (the same one when called again with
 * the same name and label), or NULL when out of memory. */
IGZ_API igz_metric_t *igz_metric_get(struct igz_instance *ins, igz_metric_kind_t kind,
                                     const char *name, const char *help, const char *label_key,
                                     const char *label_value);
/* Cannot fail; m may be NULL (then nothing happens). */
IGZ_API void igz_metric_add(igz_metric_t *m, double v);
IGZ_API void igz_metric_set(igz_metric_t *m, double v);
IGZ_API double igz_metric_value(const igz_metric_t *m);

IGZ_END_DECLS

#endif
