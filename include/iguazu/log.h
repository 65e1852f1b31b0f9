/*
 * log.h - logging for the core and plugins.
 *
 * Lines go to stderr, as text ("2024-05-01T10:00:00.123Z info [out_s3 lake] uploaded ...")
 * or as JSON lines, by `[service] log_format`. Messages follow one style:
 * lowercase, no final period, names in double quotes.
 */
#ifndef IGUAZU_LOG_H
#define IGUAZU_LOG_H

#include <stdarg.h>
#include "common.h"

IGZ_BEGIN_DECLS

typedef enum igz_log_level {
    IGZ_LOG_ERROR = 0,
    IGZ_LOG_WARN,
    IGZ_LOG_INFO,
    IGZ_LOG_DEBUG,
    IGZ_LOG_TRACE
} igz_log_level_t;

struct igz_instance;

/* Log for a plugin instance (prefix "[in_gen alias]"), or for the core when
 * ins is NULL. Never fails; lines above the configured level are skipped. */
IGZ_API void igz_log(const struct igz_instance *ins, igz_log_level_t level, const char *fmt, ...)
    IGZ_PRINTF(3, 4);
IGZ_API void igz_logv(const struct igz_instance *ins, igz_log_level_t level, const char *fmt,
                      va_list ap);
/* True when a line at level would be printed (to skip expensive formatting). */
IGZ_API bool igz_log_enabled(igz_log_level_t level);

#define igz_error(ins, ...) igz_log((ins), IGZ_LOG_ERROR, __VA_ARGS__)
#define igz_warn(ins, ...)  igz_log((ins), IGZ_LOG_WARN, __VA_ARGS__)
#define igz_info(ins, ...)  igz_log((ins), IGZ_LOG_INFO, __VA_ARGS__)
#define igz_debug(ins, ...) igz_log((ins), IGZ_LOG_DEBUG, __VA_ARGS__)

IGZ_END_DECLS

#endif
