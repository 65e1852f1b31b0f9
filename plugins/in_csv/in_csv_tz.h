/*
 * in_csv_tz.h - time zones for in_csv's time conversion, without tzset().
 *
 * Why our own: localtime/mktime go through the process-wide TZ variable and
 * tzset(), which a plugin must not touch (other plugins and the engine share
 * it) and which is slow per call. A zone is read once from its TZif file
 * (RFC 8536) and answered by binary search; times past the file's last
 * transition follow the POSIX TZ rule in its footer.
 */
#ifndef IN_CSV_TZ_H
#define IN_CSV_TZ_H

#include <stddef.h>
#include <stdint.h>

typedef struct in_csv_tz in_csv_tz_t;

/*
 * Load the zone name ("Europe/London") from $TZDIR or /usr/share/zoneinfo.
 * Returns 0, IGZ_EINVAL (a name with "..", or not a TZif file; err says
 * why), IGZ_ENOENT (no such zone), IGZ_EIO or IGZ_ENOMEM. err may be NULL.
 */
int in_csv_tz_load(in_csv_tz_t **out, const char *name, char *err, size_t errlen);

/* Parse TZif data already in memory (for tests). Same returns as load. */
int in_csv_tz_from_tzif(in_csv_tz_t **out, const unsigned char *data, size_t len, char *err,
                        size_t errlen);

/* Free a zone. NULL is allowed. Cannot fail. */
void in_csv_tz_free(in_csv_tz_t *z);

/* Offset from UTC (seconds east) in force at utc (seconds since the epoch). Cannot fail. */
int32_t in_csv_tz_offset_at(const in_csv_tz_t *z, int64_t utc);

/*
 * The UTC time of a local wall-clock time (seconds since the epoch, read as
 * if local were UTC). An ambiguous time (clocks going back) gives the first
 * occurrence; a time in a gap (clocks going forward) is moved forward by the
 * gap, as the clock would show it. Cannot fail.
 */
int64_t in_csv_tz_local_to_utc(const in_csv_tz_t *z, int64_t local);

/* Days since 1970-01-01 of a proleptic Gregorian date (month 1-12). Cannot fail. */
int64_t in_csv_days_from_civil(int64_t y, unsigned m, unsigned d);

#endif
