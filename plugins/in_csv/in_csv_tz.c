/*
 * in_csv_tz.c - TZif zones and POSIX TZ rules, for in_csv_tz.h.
 *
 * Why this way: the file gives every transition up to its end (2037 for
 * "fat" files, earlier for "slim" ones); the footer's POSIX rule
 * ("GMT0BST,M3.5.0/1,M10.5.0") covers the years after. Both are read once;
 * a lookup is a binary search or two rule dates computed with calendar
 * arithmetic. Leap-second records are ignored: Iguazu's times are POSIX
 * times, like the rest of the record pipeline.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iguazu/error.h"
#include "in_csv_tz.h"

/* A rule date: Jn (1-365, no Feb 29), n (0-365) or Mm.w.d; time in seconds after 00:00. */
typedef struct in_csv_tz_date {
    char kind; /* 'J', 'N' or 'M' */
    int m, w, d, n;
    int32_t time;
} in_csv_tz_date_t;

struct in_csv_tz {
    size_t n;      /* transitions */
    int64_t *at;   /* UTC seconds of each transition, ascending */
    int32_t *off;  /* offset from each transition on */
    int32_t first; /* offset before the first transition */
    bool has_rule; /* a footer rule covers times after the last transition */
    bool has_dst;
    int32_t std_off, dst_off; /* seconds east of UTC */
    in_csv_tz_date_t start, end;
};

int64_t in_csv_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    /* Count from 0000-03-01 so that the leap day ends the year. */
    int64_t yy = y - (m <= 2);
    int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
    int64_t yoe = yy - era * 400;                                  /* 0..399 */
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* 0..365 from March 1 */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;           /* 0..146096 */
    return era * 146097 + doe - 719468;                            /* 719468: 0000-03-01 to 1970 */
}

static int64_t in_csv_year_of(int64_t secs)
{
    int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    return yoe + era * 400 + (mp >= 10); /* January and February belong to the next year */
}

static bool in_csv_tz_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static void in_csv_tz_err(char *err, size_t errlen, const char *msg, const char *name)
{
    if (err && errlen)
        snprintf(err, errlen, msg, name);
}

/* ---- the POSIX TZ rule of the footer ---- */

/* [+-]hh[:mm[:ss]] with hours up to 167. Returns seconds or false. */
static bool in_csv_tz_hms(const char **ps, int32_t *out)
{
    const char *s = *ps;
    int sign = 1;
    if (*s == '+' || *s == '-')
        sign = *s++ == '-' ? -1 : 1;
    int32_t v[3] = {0, 0, 0};
    for (int k = 0; k < 3; k++) {
        if (k && *s != ':')
            break;
        if (k)
            s++;
        int digits = 0;
        while (*s >= '0' && *s <= '9' && digits < 3) {
            v[k] = v[k] * 10 + (*s++ - '0');
            digits++;
        }
        if (!digits)
            return false;
    }
    if (v[0] > 167 || v[1] > 59 || v[2] > 59)
        return false;
    *out = sign * (v[0] * 3600 + v[1] * 60 + v[2]);
    *ps = s;
    return true;
}

static bool in_csv_tz_name(const char **ps)
{
    const char *s = *ps;
    if (*s == '<') {
        const char *e = strchr(s, '>');
        if (!e || e - s < 4)
            return false;
        *ps = e + 1;
        return true;
    }
    int k = 0;
    while ((s[k] >= 'A' && s[k] <= 'Z') || (s[k] >= 'a' && s[k] <= 'z'))
        k++;
    if (k < 3)
        return false;
    *ps = s + k;
    return true;
}

static bool in_csv_tz_num(const char **ps, int *out, int lo, int hi)
{
    const char *s = *ps;
    int v = 0, digits = 0;
    while (*s >= '0' && *s <= '9' && digits < 4) {
        v = v * 10 + (*s++ - '0');
        digits++;
    }
    if (!digits || v < lo || v > hi)
        return false;
    *out = v;
    *ps = s;
    return true;
}

static bool in_csv_tz_date(const char **ps, in_csv_tz_date_t *d)
{
    const char *s = *ps;
    memset(d, 0, sizeof *d);
    d->time = 7200;
    if (*s == 'M') {
        s++;
        d->kind = 'M';
        if (!in_csv_tz_num(&s, &d->m, 1, 12) || *s++ != '.' || !in_csv_tz_num(&s, &d->w, 1, 5) ||
            *s++ != '.' || !in_csv_tz_num(&s, &d->d, 0, 6))
            return false;
    } else if (*s == 'J') {
        s++;
        d->kind = 'J';
        if (!in_csv_tz_num(&s, &d->n, 1, 365))
            return false;
    } else {
        d->kind = 'N';
        if (!in_csv_tz_num(&s, &d->n, 0, 365))
            return false;
    }
    if (*s == '/') {
        s++;
        if (!in_csv_tz_hms(&s, &d->time))
            return false;
    }
    *ps = s;
    return true;
}

/* "STDoff[DST[off][,start[/time],end[/time]]]"; an empty string means no rule. */
static bool in_csv_tz_rule(in_csv_tz_t *z, const char *s)
{
    if (!*s)
        return true;
    int32_t v;
    if (!in_csv_tz_name(&s) || !in_csv_tz_hms(&s, &v))
        return false;
    z->std_off = -v; /* POSIX counts west of UTC */
    z->has_rule = true;
    if (!*s)
        return true;
    if (!in_csv_tz_name(&s))
        return false;
    z->has_dst = true;
    z->dst_off = z->std_off + 3600;
    if (*s && *s != ',') {
        if (!in_csv_tz_hms(&s, &v))
            return false;
        z->dst_off = -v;
    }
    if (!*s) { /* POSIX leaves the default to the implementation: the US rule */
        z->start = (in_csv_tz_date_t){'M', 3, 2, 0, 0, 7200};
        z->end = (in_csv_tz_date_t){'M', 11, 1, 0, 0, 7200};
        return true;
    }
    if (*s++ != ',' || !in_csv_tz_date(&s, &z->start) || *s++ != ',' ||
        !in_csv_tz_date(&s, &z->end))
        return false;
    return *s == '\0';
}

/* Local seconds (in the offset then in force) at which date d happens in year y. */
static int64_t in_csv_tz_when(int64_t y, const in_csv_tz_date_t *d)
{
    int64_t days;
    if (d->kind == 'J') {
        days = in_csv_days_from_civil(y, 1, 1) + d->n - 1 + (in_csv_tz_leap(y) && d->n >= 60);
    } else if (d->kind == 'N') {
        days = in_csv_days_from_civil(y, 1, 1) + d->n;
    } else {
        static const unsigned char mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        int64_t first = in_csv_days_from_civil(y, (unsigned)d->m, 1);
        int wday = (int)(((first + 4) % 7 + 7) % 7); /* 1970-01-01 was a Thursday */
        int mday = 1 + (d->d - wday + 7) % 7 + (d->w - 1) * 7;
        int len = mdays[d->m - 1] + (d->m == 2 && in_csv_tz_leap(y));
        while (mday > len)
            mday -= 7;
        days = first + mday - 1;
    }
    return days * 86400 + d->time;
}

static int32_t in_csv_tz_rule_offset(const in_csv_tz_t *z, int64_t utc)
{
    if (!z->has_dst)
        return z->std_off;
    int64_t y = in_csv_year_of(utc + z->std_off);
    int64_t start = in_csv_tz_when(y, &z->start) - z->std_off;
    int64_t end = in_csv_tz_when(y, &z->end) - z->dst_off;
    bool dst = start < end ? utc >= start && utc < end : !(utc >= end && utc < start);
    return dst ? z->dst_off : z->std_off;
}

int32_t in_csv_tz_offset_at(const in_csv_tz_t *z, int64_t utc)
{
    if (z->n == 0)
        return z->has_rule ? in_csv_tz_rule_offset(z, utc) : z->first;
    if (utc < z->at[0])
        return z->first;
    if (utc >= z->at[z->n - 1] && z->has_rule)
        return in_csv_tz_rule_offset(z, utc);
    size_t lo = 0, hi = z->n; /* at[lo] <= utc < at[hi] */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (z->at[mid] <= utc)
            lo = mid;
        else
            hi = mid;
    }
    return z->off[lo];
}

int64_t in_csv_tz_local_to_utc(const in_csv_tz_t *z, int64_t local)
{
    /* The offsets in force a day before and a day after bracket any transition. */
    int32_t before = in_csv_tz_offset_at(z, local - 86400);
    int32_t after = in_csv_tz_offset_at(z, local + 86400);
    int64_t u1 = local - before, u2 = local - after;
    bool ok1 = in_csv_tz_offset_at(z, u1) == before;
    bool ok2 = in_csv_tz_offset_at(z, u2) == after;
    if (ok1 && ok2)
        return u1 < u2 ? u1 : u2;
    if (ok2)
        return u2;
    return u1; /* valid, or in a gap: moved forward by it */
}

/* ---- TZif ---- */

static int64_t in_csv_be(const unsigned char *p, int bytes)
{
    uint64_t v = 0;
    for (int k = 0; k < bytes; k++)
        v = v << 8 | p[k];
    if (bytes == 4)
        return (int32_t)(uint32_t)v;
    return (int64_t)v;
}

int in_csv_tz_from_tzif(in_csv_tz_t **out, const unsigned char *data, size_t len, char *err,
                        size_t errlen)
{
    const unsigned char *p = data, *end = data + len;
    int tbytes = 4;
    uint32_t cnt[6]; /* isut, isstd, leap, time, type, char */
    for (int pass = 0;; pass++) {
        if ((size_t)(end - p) < 44 || memcmp(p, "TZif", 4) != 0)
            goto bad;
        for (int k = 0; k < 6; k++)
            cnt[k] = (uint32_t)in_csv_be(p + 20 + 4 * k, 4);
        if (cnt[4] == 0 || cnt[0] > cnt[4] || cnt[1] > cnt[4] || cnt[3] > 1000000 || cnt[4] > 256 ||
            cnt[2] > 100000 || cnt[5] > 100000)
            goto bad;
        size_t body = (size_t)cnt[3] * (size_t)(tbytes + 1) + (size_t)cnt[4] * 6 + cnt[5] +
                      (size_t)cnt[2] * (size_t)(tbytes + 4) + cnt[1] + cnt[0];
        if (body > (size_t)(end - p) - 44)
            goto bad;
        if (pass == 1 || p[4] < '2')
            break;
        p += 44 + body; /* skip the 32-bit data: the 64-bit block follows */
        tbytes = 8;
    }
    const unsigned char *times = p + 44, *idx = times + (size_t)cnt[3] * (size_t)tbytes;
    const unsigned char *types = idx + cnt[3];
    in_csv_tz_t *z = calloc(1, sizeof *z);
    if (!z)
        return IGZ_ENOMEM;
    z->n = cnt[3];
    if (z->n) {
        z->at = malloc(z->n * sizeof *z->at);
        z->off = malloc(z->n * sizeof *z->off);
        if (!z->at || !z->off) {
            in_csv_tz_free(z);
            return IGZ_ENOMEM;
        }
    }
    for (size_t k = 0; k < z->n; k++) {
        z->at[k] = in_csv_be(times + k * (size_t)tbytes, tbytes);
        if (idx[k] >= cnt[4] || (k && z->at[k] <= z->at[k - 1])) {
            in_csv_tz_free(z);
            goto bad;
        }
        z->off[k] = (int32_t)in_csv_be(types + 6 * idx[k], 4);
    }
    z->first = (int32_t)in_csv_be(types, 4);
    if (tbytes == 8) {
        /* footer: "\n" TZ-string "\n" */
        const unsigned char *f =
            types + (size_t)cnt[4] * 6 + cnt[5] + (size_t)cnt[2] * 12 + cnt[1] + cnt[0];
        char rule[128];
        const unsigned char *nl =
            f < end && *f == '\n' ? memchr(f + 1, '\n', (size_t)(end - f - 1)) : NULL;
        if (nl && (size_t)(nl - f - 1) < sizeof rule) {
            memcpy(rule, f + 1, (size_t)(nl - f - 1));
            rule[nl - f - 1] = '\0';
            if (!in_csv_tz_rule(z, rule)) {
                in_csv_tz_free(z);
                goto bad;
            }
        }
    }
    *out = z;
    return 0;
bad:
    in_csv_tz_err(err, errlen, "%s", "not a valid TZif time zone file");
    return IGZ_EINVAL;
}

void in_csv_tz_free(in_csv_tz_t *z)
{
    if (!z)
        return;
    free(z->at);
    free(z->off);
    free(z);
}

int in_csv_tz_load(in_csv_tz_t **out, const char *name, char *err, size_t errlen)
{
    size_t nlen = strlen(name);
    bool ok = nlen > 0 && nlen < 200 && name[0] != '/' && name[0] != '.';
    for (size_t k = 0; ok && k < nlen; k++) {
        char c = name[k];
        ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
             c == '/' || c == '_' || c == '-' || c == '+' || (c == '.' && name[k + 1] != '.');
    }
    if (!ok) {
        in_csv_tz_err(err, errlen, "invalid time zone \"%.64s\"", name);
        return IGZ_EINVAL;
    }
    const char *dir = getenv("TZDIR");
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        in_csv_tz_err(err, errlen,
                      "unknown time zone \"%.64s\" (expected UTC, an offset like +02:00 or a "
                      "tz database name)",
                      name);
        return IGZ_ENOENT;
    }
    size_t cap = 256 * 1024, len;
    unsigned char *buf = malloc(cap);
    if (!buf) {
        fclose(f);
        return IGZ_ENOMEM;
    }
    len = fread(buf, 1, cap, f);
    bool bad = ferror(f) != 0;
    fclose(f);
    if (bad) {
        free(buf);
        in_csv_tz_err(err, errlen, "fread() time zone \"%.64s\" failed", name);
        return IGZ_EIO;
    }
    int rc = in_csv_tz_from_tzif(out, buf, len, err, errlen);
    free(buf);
    if (rc == IGZ_EINVAL)
        in_csv_tz_err(err, errlen, "time zone \"%.64s\" is not a valid TZif file", name);
    return rc;
}
