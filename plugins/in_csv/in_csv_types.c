/*
 * in_csv_types.c - type specs and the int, float and bool conversions.
 *
 * Why hand-written: strtoll/strtod need a NUL-terminated copy, accept things
 * a column of numbers should refuse (leading "0x", "1e5" for an int,
 * trailing junk unless checked) and strtod follows the process locale (a
 * "de_DE" locale reads "2.55" as 2). Integers are read digit by digit with
 * an exact overflow check; floats take the exact fast path (at most 19
 * significant digits and a power of ten up to 22: one correctly rounded
 * IEEE operation) and fall back to strtod_l() in the "C" locale for the rest.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* strtod_l() */
#endif
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iguazu/error.h"
#include "in_csv_time.h"
#include "in_csv_types.h"

static bool in_csv_blank(char c)
{
    return c == ' ' || c == '\t';
}

static char in_csv_lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Case-insensitive: do the n bytes at s spell the lower-case word w? */
static bool in_csv_word(const char *s, size_t n, const char *w)
{
    size_t k = 0;
    for (; k < n && w[k]; k++)
        if (in_csv_lower(s[k]) != w[k])
            return false;
    return k == n && !w[k];
}

int in_csv_parse_int(const char *s, size_t n, int64_t *out)
{
    size_t i = 0;
    bool neg = false;
    if (n && (s[0] == '-' || s[0] == '+')) {
        neg = s[0] == '-';
        i = 1;
    }
    if (i == n)
        return IGZ_EPARSE;
    /* the magnitude may reach 2^63 for a negative number */
    const uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    uint64_t v = 0;
    bool over = false;
    for (; i < n; i++) {
        unsigned d = (unsigned)(unsigned char)s[i] - '0';
        if (d > 9)
            return IGZ_EPARSE;
        if (v > (limit - d) / 10)
            over = true;
        else
            v = v * 10 + d;
    }
    if (over)
        return IGZ_ERANGE;
    if (neg)
        *out = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
    else
        *out = (int64_t)v;
    return 0;
}

static pthread_once_t in_csv_c_once = PTHREAD_ONCE_INIT;
static locale_t in_csv_c_locale;

static void in_csv_c_locale_init(void)
{
    in_csv_c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

/* The exact powers of ten a double holds. */
static const double in_csv_p10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                    1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                    1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* strtod_l() on a NUL-terminated copy of a syntax-checked number. */
static int in_csv_float_slow(const char *s, size_t n, double *out)
{
    if (pthread_once(&in_csv_c_once, in_csv_c_locale_init) != 0 || !in_csv_c_locale)
        return IGZ_ENOMEM;
    char small[256];
    char *copy = n < sizeof small ? small : malloc(n + 1);
    if (!copy)
        return IGZ_ENOMEM;
    memcpy(copy, s, n);
    copy[n] = '\0';
    char *end;
    double v = strtod_l(copy, &end, in_csv_c_locale);
    bool whole = end == copy + n;
    if (copy != small)
        free(copy);
    if (!whole)
        return IGZ_EPARSE; /* cannot happen after the syntax check */
    if (isinf(v))
        return IGZ_ERANGE;
    *out = v;
    return 0;
}

int in_csv_parse_float(const char *s, size_t n, double *out)
{
    size_t i = 0;
    bool neg = false;
    if (n && (s[0] == '-' || s[0] == '+')) {
        neg = s[0] == '-';
        i = 1;
    }
    if (in_csv_word(s + i, n - i, "nan")) {
        *out = neg ? -NAN : NAN;
        return 0;
    }
    if (in_csv_word(s + i, n - i, "inf") || in_csv_word(s + i, n - i, "infinity")) {
        *out = neg ? -INFINITY : INFINITY;
        return 0;
    }
    /* [digits][.digits][(e|E)[sign]digits], at least one digit before the exponent */
    uint64_t m = 0;
    int sig = 0;       /* significant digits taken into m */
    bool exact = true; /* no significant digit dropped */
    long scale = 0;    /* power of ten to apply to m */
    size_t digits = 0;
    for (; i < n && (unsigned)(s[i] - '0') <= 9; i++, digits++) {
        if (m == 0 && s[i] == '0')
            continue;
        if (sig < 19) {
            m = m * 10 + (uint64_t)(s[i] - '0');
            sig++;
        } else {
            exact = false;
            scale++;
        }
    }
    if (i < n && s[i] == '.') {
        for (i++; i < n && (unsigned)(s[i] - '0') <= 9; i++, digits++) {
            if (m == 0 && s[i] == '0') {
                scale--;
                continue;
            }
            if (sig < 19) {
                m = m * 10 + (uint64_t)(s[i] - '0');
                sig++;
                scale--;
            } else {
                exact = false;
            }
        }
    }
    if (!digits)
        return IGZ_EPARSE;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        bool eneg = false;
        if (i < n && (s[i] == '-' || s[i] == '+')) {
            eneg = s[i] == '-';
            i++;
        }
        if (i == n)
            return IGZ_EPARSE;
        long e = 0;
        for (; i < n && (unsigned)(s[i] - '0') <= 9; i++)
            if (e < 100000)
                e = e * 10 + (s[i] - '0');
        if (i < n)
            return IGZ_EPARSE;
        scale += eneg ? -e : e;
    }
    if (i < n)
        return IGZ_EPARSE;
    if (m == 0) {
        *out = neg ? -0.0 : 0.0;
        return 0;
    }
    if (exact && m <= (UINT64_C(1) << 53) && scale >= -22 && scale <= 22) {
        double v = (double)m;
        v = scale < 0 ? v / in_csv_p10[-scale] : v * in_csv_p10[scale];
        *out = neg ? -v : v;
        return 0;
    }
    return in_csv_float_slow(s, n, out);
}

int in_csv_parse_bool(const char *s, size_t n, bool *out)
{
    static const char *const yes[] = {"true", "1", "yes"};
    static const char *const no[] = {"false", "0", "no"};
    for (size_t k = 0; k < sizeof yes / sizeof *yes; k++) {
        if (in_csv_word(s, n, yes[k])) {
            *out = true;
            return 0;
        }
        if (in_csv_word(s, n, no[k])) {
            *out = false;
            return 0;
        }
    }
    return IGZ_EPARSE;
}

static void in_csv_errf(char *err, size_t errlen, const char *fmt, const char *arg)
{
    if (err && errlen)
        snprintf(err, errlen, fmt, arg);
}

int in_csv_type_compile(in_csv_type_t *t, const char *spec, const char *zone, char *err,
                        size_t errlen)
{
    memset(t, 0, sizeof *t);
    if (err && errlen)
        err[0] = '\0';
    if (!spec) {
        in_csv_errf(err, errlen, "%s", "missing type");
        return IGZ_EINVAL;
    }
    if (strcmp(spec, "string") == 0)
        t->kind = IN_CSV_STRING;
    else if (strcmp(spec, "int") == 0)
        t->kind = IN_CSV_INT;
    else if (strcmp(spec, "float") == 0)
        t->kind = IN_CSV_FLOAT;
    else if (strcmp(spec, "bool") == 0)
        t->kind = IN_CSV_BOOL;
    else if (strncmp(spec, "time:", 5) == 0) {
        t->kind = IN_CSV_TIME;
        return in_csv_time_compile(t, spec + 5, zone, err, errlen);
    } else {
        in_csv_errf(err, errlen,
                    "unknown type \"%.64s\" (expected string, int, float, bool or time:FORMAT)",
                    spec);
        return IGZ_EINVAL;
    }
    return 0;
}

void in_csv_type_free(in_csv_type_t *t)
{
    in_csv_tz_free(t->zone);
    t->zone = NULL;
}

/* reason = prefix "VALUE" [": " detail], the value shortened and escaped. */
static void in_csv_reason(char *r, size_t rl, const char *prefix, const char *s, size_t n,
                          const char *detail)
{
    if (!r || !rl)
        return;
    enum { SHOWN = 64 };
    char v[SHOWN * 4 + 1]; /* every byte may become "\xNN" */
    size_t o = 0, cut = n > SHOWN ? SHOWN : n;
    while (cut < n && cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
        cut--; /* do not split a UTF-8 sequence */
    for (size_t k = 0; k < cut; k++) {
        unsigned char c = (unsigned char)s[k];
        if (c == '"' || c == '\\') {
            v[o++] = '\\';
            v[o++] = (char)c;
        } else if (c < 0x20 || c == 0x7f) {
            snprintf(v + o, sizeof v - o, "\\x%02x", c);
            o += 4;
        } else {
            v[o++] = (char)c;
        }
    }
    v[o] = '\0';
    snprintf(r, rl, "%s \"%s%s\"%s%s", prefix, v, cut < n ? "..." : "", detail ? ": " : "",
             detail ? detail : "");
}

int in_csv_convert(const in_csv_type_t *t, const char *s, size_t n, in_csv_value_t *out,
                   char *reason, size_t reason_len)
{
    out->kind = t->kind;
    out->null = false;
    if (reason && reason_len)
        reason[0] = '\0';
    if (t->kind == IN_CSV_STRING) {
        out->v.s.data = s;
        out->v.s.len = n;
        return 0;
    }
    const char *s0 = s;
    size_t n0 = n;
    while (n && in_csv_blank(*s)) {
        s++;
        n--;
    }
    while (n && in_csv_blank(s[n - 1]))
        n--;
    if (!n) {
        out->null = true;
        return 0;
    }
    int rc;
    const char *what = "invalid value", *detail = NULL;
    switch (t->kind) {
    case IN_CSV_INT:
        rc = in_csv_parse_int(s, n, &out->v.i);
        what = "invalid integer";
        break;
    case IN_CSV_FLOAT:
        rc = in_csv_parse_float(s, n, &out->v.f);
        what = "invalid float";
        break;
    case IN_CSV_BOOL:
        rc = in_csv_parse_bool(s, n, &out->v.b);
        what = "invalid bool";
        break;
    default:
        rc = in_csv_time_parse(t, s, n, &out->v.ns, &detail);
        what = "invalid time";
        break;
    }
    if (rc == 0)
        return 0;
    if (rc == IGZ_ERANGE)
        in_csv_reason(reason, reason_len, "value out of range", s0, n0, detail);
    else if (rc == IGZ_ENOMEM)
        in_csv_reason(reason, reason_len, "out of memory converting", s0, n0, NULL);
    else
        in_csv_reason(reason, reason_len, what, s0, n0, detail);
    return rc;
}
