/*
 * in_csv_time.h - the time formats of in_csv_types.h (internal to in_csv).
 *
 * Why separate: the format compiler and reader are the largest part of the
 * type conversions and have their own tests; in_csv_types.c only dispatches.
 */
#ifndef IN_CSV_TIME_H
#define IN_CSV_TIME_H

#include "in_csv_types.h"

/*
 * Compile the format after "time:" and the zone into t (kind already set).
 * Returns 0, IGZ_EINVAL, IGZ_ENOENT or IGZ_ENOMEM with err filled (may be NULL).
 */
int in_csv_time_compile(in_csv_type_t *t, const char *format, const char *zone, char *err,
                        size_t errlen);

/*
 * Read the n bytes at s (trimmed, non-empty) with t's format. Returns 0 with
 * *ns set, IGZ_EPARSE or IGZ_ERANGE with *why set to a static detail.
 */
int in_csv_time_parse(const in_csv_type_t *t, const char *s, size_t n, int64_t *ns,
                      const char **why);

#endif
