/* log_internal.h - what the engine sets in the logger. */
#ifndef IGZ_LOG_INTERNAL_H
#define IGZ_LOG_INTERNAL_H

#include "iguazu/log.h"

void igz__log_configure(igz_log_level_t level, int json);
/* "error" ... "trace"; returns 0 or -1 for an unknown name. */
int igz__log_level_parse(const char *s, igz_log_level_t *out);
/* "in_gen alias" for the prefix of an instance's lines (in instance.c). */
void igz__log_instance_name(const struct igz_instance *ins, char *out, size_t n);

#endif
