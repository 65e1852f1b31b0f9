/*
 * in_csv_time.c - strftime-like time formats, compiled once, read fast.
 *
 * Why not strptime(): it follows the process locale (month names), wants a
 * NUL-terminated copy, is slow, and its result still has to go through
 * timegm()/mktime() and the global TZ. Here a format becomes a short list of
 * steps; reading a field walks the steps once, takes numbers with or without
 * zero padding ("12/1/2010 8:26"), checks every range (Feb 29 only in leap
 * years) and computes the instant with plain calendar arithmetic.
 */
#include <stdio.h>
#include <string.h>

#include "iguazu/error.h"
#include "in_csv_time.h"

enum {
    T_LIT,     /* the character ch */
    T_SPACE,   /* any run of blanks, possibly empty */
    T_YEAR,    /* %Y: 1-4 digits */
    T_YEAR2,   /* %y: 1-2 digits, 69-99 -> 19xx, 00-68 -> 20xx */
    T_MONTH,   /* %m */
    T_DAY,     /* %d %e */
    T_YDAY,    /* %j */
    T_HOUR,    /* %H */
    T_HOUR12,  /* %I */
    T_AMPM,    /* %p */
    T_MIN,     /* %M */
    T_SEC,     /* %S, 0-60 */
    T_FRAC,    /* %f: fraction digits, nanoseconds kept */
    T_MONNAME, /* %b %B %h: English month name or abbreviation */
    T_DAYNAME, /* %a %A: English weekday name or abbreviation, ignored */
    T_ZONE,    /* %z: Z, +hh, +hhmm, +hh:mm */
    T_EPOCH    /* %s: seconds since the epoch */
};

enum {
    N_MDAY = 1, /* month or day given */
    N_YDAY = 2,
    N_H12 = 4,
    N_EPOCH = 8
};

static const char *const in_csv_months[12] = {"january",   "february", "march",    "april",
                                              "may",       "june",     "july",     "august",
                                              "september", "october",  "november", "december"};
static const char *const in_csv_days[7] = {"sunday",   "monday", "tuesday", "wednesday",
                                           "thursday", "friday", "saturday"};

static int in_csv_add_op(in_csv_type_t *t, unsigned char op, char ch)
{
    if (t->nops == IN_CSV_TIME_MAX_OPS)
        return IGZ_EINVAL;
    t->ops[t->nops].op = op;
    t->ops[t->nops].ch = ch;
    t->nops++;
    return 0;
}

/* "+02:00", "-0530", "+02", "Z", "UTC" -> seconds east; -1 when not a fixed offset. */
static int in_csv_fixed_offset(const char *z, int32_t *off)
{
    if (!z || !*z || strcmp(z, "UTC") == 0 || strcmp(z, "Z") == 0 || strcmp(z, "GMT") == 0) {
        *off = 0;
        return 0;
    }
    if (z[0] != '+' && z[0] != '-')
        return -1;
    const char *s = z + 1;
    int d[4], nd = 0;
    for (; *s && nd < 4; s++) {
        if (*s == ':' && nd == 2)
            continue;
        if (*s < '0' || *s > '9')
            return -1;
        d[nd++] = *s - '0';
    }
    if (*s || (nd != 2 && nd != 4) || (z[3] == ':' && nd != 4))
        return -1;
    int h = d[0] * 10 + d[1], m = nd == 4 ? d[2] * 10 + d[3] : 0;
    if (h > 23 || m > 59)
        return -1;
    *off = (int32_t)((h * 3600 + m * 60) * (z[0] == '-' ? -1 : 1));
    return 0;
}

int in_csv_time_compile(in_csv_type_t *t, const char *format, const char *zone, char *err,
                        size_t errlen)
{
    const char *f = format;
    int rc = 0;
    if (!*f) {
        if (err && errlen)
            snprintf(err, errlen,
                     "empty time format (expected time:FORMAT, e.g. time:%%Y-%%m-%%d)");
        return IGZ_EINVAL;
    }
    for (; *f && rc == 0; f++) {
        if (*f == ' ' || *f == '\t') {
            if (t->nops == 0 || t->ops[t->nops - 1].op != T_SPACE)
                rc = in_csv_add_op(t, T_SPACE, 0);
            continue;
        }
        if (*f != '%') {
            rc = in_csv_add_op(t, T_LIT, *f);
            continue;
        }
        f++;
        switch (*f) {
        case 'Y':
            rc = in_csv_add_op(t, T_YEAR, 0);
            break;
        case 'y':
            rc = in_csv_add_op(t, T_YEAR2, 0);
            break;
        case 'm':
            rc = in_csv_add_op(t, T_MONTH, 0);
            t->need |= N_MDAY;
            break;
        case 'd':
        case 'e':
            rc = in_csv_add_op(t, T_DAY, 0);
            t->need |= N_MDAY;
            break;
        case 'j':
            rc = in_csv_add_op(t, T_YDAY, 0);
            t->need |= N_YDAY;
            break;
        case 'H':
            rc = in_csv_add_op(t, T_HOUR, 0);
            break;
        case 'I':
            rc = in_csv_add_op(t, T_HOUR12, 0);
            t->need |= N_H12;
            break;
        case 'p':
            rc = in_csv_add_op(t, T_AMPM, 0);
            break;
        case 'M':
            rc = in_csv_add_op(t, T_MIN, 0);
            break;
        case 'S':
            rc = in_csv_add_op(t, T_SEC, 0);
            break;
        case 'f':
            rc = in_csv_add_op(t, T_FRAC, 0);
            break;
        case 'b':
        case 'B':
        case 'h':
            rc = in_csv_add_op(t, T_MONNAME, 0);
            t->need |= N_MDAY;
            break;
        case 'a':
        case 'A':
            rc = in_csv_add_op(t, T_DAYNAME, 0);
            break;
        case 'z':
            rc = in_csv_add_op(t, T_ZONE, 0);
            break;
        case 's':
            rc = in_csv_add_op(t, T_EPOCH, 0);
            t->need |= N_EPOCH;
            break;
        case 'n':
        case 't':
            rc = in_csv_add_op(t, T_SPACE, 0);
            break;
        case '%':
            rc = in_csv_add_op(t, T_LIT, '%');
            break;
        case 'T': /* %H:%M:%S */
            if (!(rc = in_csv_add_op(t, T_HOUR, 0)) && !(rc = in_csv_add_op(t, T_LIT, ':')) &&
                !(rc = in_csv_add_op(t, T_MIN, 0)) && !(rc = in_csv_add_op(t, T_LIT, ':')))
                rc = in_csv_add_op(t, T_SEC, 0);
            break;
        case 'R': /* %H:%M */
            if (!(rc = in_csv_add_op(t, T_HOUR, 0)) && !(rc = in_csv_add_op(t, T_LIT, ':')))
                rc = in_csv_add_op(t, T_MIN, 0);
            break;
        case 'F': /* %Y-%m-%d */
            t->need |= N_MDAY;
            if (!(rc = in_csv_add_op(t, T_YEAR, 0)) && !(rc = in_csv_add_op(t, T_LIT, '-')) &&
                !(rc = in_csv_add_op(t, T_MONTH, 0)) && !(rc = in_csv_add_op(t, T_LIT, '-')))
                rc = in_csv_add_op(t, T_DAY, 0);
            break;
        case 'D': /* %m/%d/%y */
            t->need |= N_MDAY;
            if (!(rc = in_csv_add_op(t, T_MONTH, 0)) && !(rc = in_csv_add_op(t, T_LIT, '/')) &&
                !(rc = in_csv_add_op(t, T_DAY, 0)) && !(rc = in_csv_add_op(t, T_LIT, '/')))
                rc = in_csv_add_op(t, T_YEAR2, 0);
            break;
        case '\0':
            if (err && errlen)
                snprintf(err, errlen, "time format \"%.64s\" ends with a lone %%", format);
            return IGZ_EINVAL;
        default:
            if (err && errlen)
                snprintf(err, errlen, "unknown conversion \"%%%c\" in time format \"%.64s\"", *f,
                         format);
            return IGZ_EINVAL;
        }
    }
    if (rc) {
        if (err && errlen)
            snprintf(err, errlen, "time format \"%.64s\" is too long (at most %d steps)", format,
                     IN_CSV_TIME_MAX_OPS);
        return rc;
    }
    if (in_csv_fixed_offset(zone, &t->tz_off) == 0)
        return 0;
    return in_csv_tz_load(&t->zone, zone, err, errlen);
}

/* Read 1 to max digits at s[*i] (after optional blanks). Returns false if none. */
static bool in_csv_num(const char *s, size_t n, size_t *i, unsigned max, unsigned *out)
{
    size_t k = *i;
    while (k < n && (s[k] == ' ' || s[k] == '\t'))
        k++;
    unsigned v = 0, got = 0;
    for (; k < n && got < max && (unsigned)(s[k] - '0') <= 9; k++, got++)
        v = v * 10 + (unsigned)(s[k] - '0');
    if (!got)
        return false;
    *i = k;
    *out = v;
    return true;
}

/* Match a name from names (lower case) in full or by its first three letters. */
static int in_csv_name(const char *s, size_t n, size_t *i, const char *const *names, int count)
{
    for (int k = 0; k < count; k++) {
        const char *w = names[k];
        size_t len = strlen(w), j = 0;
        while (j < len && *i + j < n && (s[*i + j] | 0x20) == w[j])
            j++;
        if (j == len || j >= 3) {
            if (j != len && j != 3)
                j = 3; /* "Sept": take "Sep" and leave the rest to fail later */
            *i += j;
            return k;
        }
    }
    return -1;
}

static bool in_csv_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned in_csv_mdays(int64_t y, unsigned m)
{
    static const unsigned char days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && in_csv_leap(y) ? 29 : days[m - 1];
}

#define FAIL(msg)                                                                                  \
    do {                                                                                           \
        *why = (msg);                                                                              \
        return IGZ_EPARSE;                                                                         \
    } while (0)

int in_csv_time_parse(const in_csv_type_t *t, const char *s, size_t n, int64_t *ns,
                      const char **why)
{
    int64_t year = 1970, epoch = 0;
    unsigned mon = 1, day = 1, yday = 1, hour = 0, min = 0, sec = 0, v;
    uint32_t frac = 0;
    int pm = -1;
    bool zoned = false, epoch_neg = false;
    int32_t zoff = 0;
    size_t i = 0;

    *why = NULL;
    for (unsigned k = 0; k < t->nops; k++) {
        const in_csv_time_op_t *op = &t->ops[k];
        switch (op->op) {
        case T_LIT:
            if (i == n || s[i] != op->ch)
                FAIL("text does not match the format");
            i++;
            break;
        case T_SPACE:
            while (i < n && (s[i] == ' ' || s[i] == '\t'))
                i++;
            break;
        case T_YEAR:
            if (!in_csv_num(s, n, &i, 4, &v))
                FAIL("expected the year (%Y)");
            year = v;
            break;
        case T_YEAR2:
            if (!in_csv_num(s, n, &i, 2, &v))
                FAIL("expected the year (%y)");
            year = v < 69 ? 2000 + v : 1900 + v;
            break;
        case T_MONTH:
            if (!in_csv_num(s, n, &i, 2, &mon))
                FAIL("expected the month (%m)");
            if (mon < 1 || mon > 12)
                FAIL("month out of range");
            break;
        case T_DAY:
            if (!in_csv_num(s, n, &i, 2, &day))
                FAIL("expected the day (%d)");
            if (day < 1 || day > 31)
                FAIL("day out of range");
            break;
        case T_YDAY:
            if (!in_csv_num(s, n, &i, 3, &yday))
                FAIL("expected the day of the year (%j)");
            if (yday < 1 || yday > 366)
                FAIL("day of the year out of range");
            break;
        case T_HOUR:
        case T_HOUR12:
            if (!in_csv_num(s, n, &i, 2, &hour))
                FAIL("expected the hour (%H or %I)");
            if (op->op == T_HOUR ? hour > 23 : hour < 1 || hour > 12)
                FAIL("hour out of range");
            break;
        case T_AMPM:
            if (i + 2 <= n && (s[i + 1] | 0x20) == 'm' &&
                ((s[i] | 0x20) == 'a' || (s[i] | 0x20) == 'p')) {
                pm = (s[i] | 0x20) == 'p';
                i += 2;
            } else {
                FAIL("expected AM or PM (%p)");
            }
            break;
        case T_MIN:
            if (!in_csv_num(s, n, &i, 2, &min))
                FAIL("expected the minute (%M)");
            if (min > 59)
                FAIL("minute out of range");
            break;
        case T_SEC:
            if (!in_csv_num(s, n, &i, 2, &sec))
                FAIL("expected the second (%S)");
            if (sec > 60)
                FAIL("second out of range");
            break;
        case T_FRAC: {
            uint32_t scale = 100000000;
            size_t start = i;
            for (; i < n && (unsigned)(s[i] - '0') <= 9; i++, scale /= 10)
                frac += (uint32_t)(s[i] - '0') * scale; /* digits past 9 add 0 */
            if (i == start)
                FAIL("expected fraction digits (%f)");
            break;
        }
        case T_MONNAME: {
            int m = in_csv_name(s, n, &i, in_csv_months, 12);
            if (m < 0)
                FAIL("unknown month name (%b)");
            mon = (unsigned)m + 1;
            break;
        }
        case T_DAYNAME:
            if (in_csv_name(s, n, &i, in_csv_days, 7) < 0)
                FAIL("unknown weekday name (%a)");
            break;
        case T_ZONE: {
            if (i < n && (s[i] == 'Z' || s[i] == 'z')) {
                i++;
                zoned = true;
                zoff = 0;
                break;
            }
            if (i == n || (s[i] != '+' && s[i] != '-'))
                FAIL("expected a zone offset (%z)");
            int sign = s[i] == '-' ? -1 : 1;
            unsigned hh, mm = 0;
            size_t j = i + 1;
            if (j + 2 > n || (unsigned)(s[j] - '0') > 9 || (unsigned)(s[j + 1] - '0') > 9)
                FAIL("expected a zone offset (%z)");
            hh = (unsigned)(s[j] - '0') * 10 + (unsigned)(s[j + 1] - '0');
            j += 2;
            size_t m0 = j + (j < n && s[j] == ':');
            if (m0 + 2 <= n && (unsigned)(s[m0] - '0') <= 9 && (unsigned)(s[m0 + 1] - '0') <= 9) {
                mm = (unsigned)(s[m0] - '0') * 10 + (unsigned)(s[m0 + 1] - '0');
                j = m0 + 2;
            }
            if (hh > 23 || mm > 59)
                FAIL("zone offset out of range");
            zoned = true;
            zoff = sign * (int32_t)(hh * 3600 + mm * 60);
            i = j;
            break;
        }
        case T_EPOCH: {
            bool neg = i < n && s[i] == '-';
            size_t start = i += neg;
            uint64_t e = 0;
            for (; i < n && (unsigned)(s[i] - '0') <= 9; i++) {
                if (e > UINT64_C(100000000000)) /* past year 5000: out of range anyway */
                    return *why = "outside the years 1677 to 2262", IGZ_ERANGE;
                e = e * 10 + (uint64_t)(s[i] - '0');
            }
            if (i == start)
                FAIL("expected seconds since the epoch (%s)");
            epoch = neg ? -(int64_t)e : (int64_t)e;
            epoch_neg = neg;
            break;
        }
        }
    }
    if (i != n)
        FAIL("trailing text after the time");

    int64_t secs;
    if (t->need & N_EPOCH) {
        secs = epoch;
    } else {
        int64_t days;
        if (t->need & N_H12)
            hour = hour % 12 + (pm == 1 ? 12 : 0);
        if ((t->need & N_YDAY) && !(t->need & N_MDAY)) {
            if (yday > (in_csv_leap(year) ? 366u : 365u))
                FAIL("day of the year out of range");
            days = in_csv_days_from_civil(year, 1, 1) + yday - 1;
        } else {
            if (day > in_csv_mdays(year, mon))
                FAIL("day out of range for the month");
            days = in_csv_days_from_civil(year, mon, day);
        }
        int64_t local = days * 86400 + hour * 3600 + min * 60 + sec;
        if (zoned)
            secs = local - zoff;
        else if (t->zone)
            secs = in_csv_tz_local_to_utc(t->zone, local);
        else
            secs = local - t->tz_off;
    }
    /* int64 nanoseconds reach from 1677-09-21 to 2262-04-11 */
    const int64_t max_s = INT64_MAX / 1000000000;
    if (secs > max_s || secs < -max_s ||
        (secs == max_s && frac > (uint32_t)(INT64_MAX % 1000000000))) {
        *why = "outside the years 1677 to 2262";
        return IGZ_ERANGE;
    }
    if ((t->need & N_EPOCH) && epoch_neg)
        *ns = secs * 1000000000 - frac; /* "-1.5" is 1.5 s before the epoch */
    else
        *ns = secs * 1000000000 + frac;
    return 0;
}
