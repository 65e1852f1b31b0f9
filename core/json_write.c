/*
 * json_write.c - rendering msgpack values as JSON (json.h).
 *
 * Every out_file and out_stdout record goes through here, so the common
 * cases are direct: ASCII runs are copied in one piece, integers are
 * formatted by hand, and only strings that need escaping take the slow path.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "iguazu/error.h"
#include "iguazu/json.h"

#define MAX_DEPTH 512

/* Length of the valid UTF-8 sequence at p (1-4), or 0 when invalid. */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
    unsigned c = p[0];
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf)
        return n >= 2 && (p[1] & 0xc0) == 0x80 ? 2 : 0;
    if (c >= 0xe0 && c <= 0xef) {
        if (n < 3 || (p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80)
            return 0;
        if (c == 0xe0 && p[1] < 0xa0)
            return 0; /* overlong */
        if (c == 0xed && p[1] >= 0xa0)
            return 0; /* surrogate */
        return 3;
    }
    if (c >= 0xf0 && c <= 0xf4) {
        if (n < 4 || (p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80 || (p[3] & 0xc0) != 0x80)
            return 0;
        if (c == 0xf0 && p[1] < 0x90)
            return 0;
        if (c == 0xf4 && p[1] >= 0x90)
            return 0;
        return 4;
    }
    return 0;
}

int igz_json_quote(const char *s, size_t len, igz_buf_t *out)
{
    static const char hex[] = "0123456789abcdef";
    /* worst case: every byte becomes \u00XX (6) or U+FFFD (3) */
    if (len > (SIZE_MAX - 2) / 6 || igz_buf_reserve(out, len + 2))
        return IGZ_ENOMEM;
    size_t start = out->len;
    out->data[out->len++] = '"';
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    while (p < end) {
        const unsigned char *run = p;
        while (p < end && *p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\')
            p++;
        if (p > run && igz_buf_append(out, run, (size_t)(p - run)))
            goto oom;
        if (p >= end)
            break;
        char esc[8];
        size_t n = 0, used = 1;
        unsigned c = *p;
        if (c == '"' || c == '\\') {
            esc[0] = '\\';
            esc[1] = (char)c;
            n = 2;
        } else if (c < 0x20) {
            esc[0] = '\\';
            n = 2;
            switch (c) {
            case '\n':
                esc[1] = 'n';
                break;
            case '\r':
                esc[1] = 'r';
                break;
            case '\t':
                esc[1] = 't';
                break;
            case '\b':
                esc[1] = 'b';
                break;
            case '\f':
                esc[1] = 'f';
                break;
            default:
                memcpy(esc, "\\u00", 4);
                esc[4] = hex[c >> 4];
                esc[5] = hex[c & 15];
                n = 6;
            }
        } else {
            used = utf8_seq(p, (size_t)(end - p));
            if (used) {
                memcpy(esc, p, used);
                n = used;
            } else {
                memcpy(esc, "\xef\xbf\xbd", 3); /* U+FFFD for a byte that is not UTF-8 */
                n = 3;
                used = 1;
            }
        }
        if (igz_buf_append(out, esc, n))
            goto oom;
        p += used;
    }
    if (igz_buf_append(out, "\"", 1))
        goto oom;
    return 0;
oom:
    out->len = start;
    return IGZ_ENOMEM;
}

/* Days from 1970-01-01 to a civil date and back (proleptic Gregorian). */
static void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = (int64_t)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yy + (*m <= 2));
}

int igz_json_time(igz_time_t t, igz_buf_t *out)
{
    int64_t sec = t / 1000000000, ns = t % 1000000000;
    if (ns < 0) {
        ns += 1000000000;
        sec--;
    }
    int64_t days = sec / 86400, rem = sec % 86400;
    if (rem < 0) {
        rem += 86400;
        days--;
    }
    int y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    return igz_buf_printf(out, "%04d-%02u-%02uT%02d:%02d:%02d.%09dZ", y, m, d, (int)(rem / 3600),
                          (int)(rem / 60 % 60), (int)(rem % 60), (int)ns);
}

static int put_base64(const char *s, size_t n, igz_buf_t *out)
{
    static const char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    if (igz_buf_reserve(out, (n + 2) / 3 * 4 + 2))
        return IGZ_ENOMEM;
    char *o = out->data + out->len;
    *o++ = '"';
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    for (; i + 3 <= n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
        *o++ = tbl[v >> 18];
        *o++ = tbl[(v >> 12) & 63];
        *o++ = tbl[(v >> 6) & 63];
        *o++ = tbl[v & 63];
    }
    if (i < n) {
        uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0);
        *o++ = tbl[v >> 18];
        *o++ = tbl[(v >> 12) & 63];
        *o++ = i + 1 < n ? tbl[(v >> 6) & 63] : '=';
        *o++ = '=';
    }
    *o++ = '"';
    out->len = (size_t)(o - out->data);
    return 0;
}

static int put_int(int64_t v, igz_buf_t *out)
{
    char tmp[24];
    char *e = tmp + sizeof tmp, *p = e;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    return igz_buf_append(out, p, (size_t)(e - p));
}

static int put_double(double f, igz_buf_t *out)
{
    if (!isfinite(f))
        return igz_buf_append(out, "null", 4);
    char tmp[40];
    /* the shortest of %.15g / %.17g that reads back to the same double */
    int n = snprintf(tmp, sizeof tmp, "%.15g", f);
    double back;
    if (sscanf(tmp, "%lf", &back) != 1 || back != f)
        n = snprintf(tmp, sizeof tmp, "%.17g", f);
    /* keep it a JSON number that reads back as a float, and never a locale's comma */
    for (int i = 0; i < n; i++)
        if (tmp[i] == ',')
            tmp[i] = '.';
    if (!strpbrk(tmp, ".eEn") && n + 2 < (int)sizeof tmp) {
        tmp[n++] = '.';
        tmp[n++] = '0';
    }
    return igz_buf_append(out, tmp, (size_t)n);
}

static int render(const igz_value_t *v, igz_buf_t *out, int depth);

static int render_key(const igz_value_t *k, igz_buf_t *out, int depth)
{
    if (k->type == IGZ_T_STR)
        return igz_json_quote(k->s, k->len, out);
    /* a non-string key becomes the JSON text of the key, quoted */
    igz_buf_t tmp = IGZ_BUF_INIT;
    int rc = render(k, &tmp, depth);
    if (!rc)
        rc = igz_json_quote(tmp.data ? tmp.data : "", tmp.len, out);
    igz_buf_free(&tmp);
    return rc;
}

static int render(const igz_value_t *v, igz_buf_t *out, int depth)
{
    if (depth > MAX_DEPTH)
        return IGZ_EPARSE;
    switch (v->type) {
    case IGZ_T_NIL:
        return igz_buf_append(out, "null", 4);
    case IGZ_T_BOOL:
        return v->v.b ? igz_buf_append(out, "true", 4) : igz_buf_append(out, "false", 5);
    case IGZ_T_INT:
        return put_int(v->v.i, out);
    case IGZ_T_UINT:
        return igz_buf_printf(out, "%llu", (unsigned long long)v->v.u);
    case IGZ_T_FLOAT:
        return put_double(v->v.f, out);
    case IGZ_T_STR:
        return igz_json_quote(v->s, v->len, out);
    case IGZ_T_BIN:
        return put_base64(v->s, v->len, out);
    case IGZ_T_TIME: {
        int rc = igz_buf_append(out, "\"", 1);
        if (!rc)
            rc = igz_json_time(v->v.t, out);
        if (!rc)
            rc = igz_buf_append(out, "\"", 1);
        return rc;
    }
    case IGZ_T_EXT:
        return igz_buf_append(out, "null", 4);
    case IGZ_T_ARRAY:
    case IGZ_T_MAP: {
        bool map = v->type == IGZ_T_MAP;
        int rc = igz_buf_append(out, map ? "{" : "[", 1);
        igz_iter_t it;
        igz_value_t k, e;
        if (!rc)
            rc = igz_iter_init(&it, v);
        bool first = true;
        while (!rc) {
            int more = igz_iter_next(&it, &k, &e);
            if (more <= 0) {
                rc = more;
                break;
            }
            if (!first && (rc = igz_buf_append(out, ",", 1)))
                break;
            first = false;
            if (map &&
                ((rc = render_key(&k, out, depth + 1)) || (rc = igz_buf_append(out, ":", 1))))
                break;
            rc = render(&e, out, depth + 1);
        }
        if (!rc)
            rc = igz_buf_append(out, map ? "}" : "]", 1);
        return rc;
    }
    }
    return IGZ_EPARSE;
}

int igz_json_from_value(const igz_value_t *v, igz_buf_t *out)
{
    size_t start = out->len;
    int rc = render(v, out, 0);
    if (rc)
        out->len = start;
    return rc;
}
