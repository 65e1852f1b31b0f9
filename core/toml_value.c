/*
 * toml_value.c - TOML values: strings of the four kinds, integers, floats,
 * booleans, date-times, arrays and inline tables.
 */
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "iguazu/buf.h"
#include "toml_internal.h"

/* ---- strings ------------------------------------------------------------------ */

static int put_utf8(igz_buf_t *b, uint32_t cp)
{
    char u[4];
    size_t n;
    if (cp < 0x80) {
        u[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xc0 | cp >> 6);
        u[1] = (char)(0x80 | (cp & 0x3f));
        n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xe0 | cp >> 12);
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        u[2] = (char)(0x80 | (cp & 0x3f));
        n = 3;
    } else {
        u[0] = (char)(0xf0 | cp >> 18);
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
        u[3] = (char)(0x80 | (cp & 0x3f));
        n = 4;
    }
    return igz_buf_append(b, u, n);
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static int escape(igz_toml_parser_t *P, igz_buf_t *b)
{
    /* P->p is on the backslash */
    if (P->p + 1 >= P->end)
        return igz__toml_fail(P, "unterminated escape sequence");
    char c = P->p[1];
    P->p += 2;
    char plain;
    switch (c) {
    case 'b':
        plain = '\b';
        break;
    case 't':
        plain = '\t';
        break;
    case 'n':
        plain = '\n';
        break;
    case 'f':
        plain = '\f';
        break;
    case 'r':
        plain = '\r';
        break;
    case '"':
        plain = '"';
        break;
    case '\\':
        plain = '\\';
        break;
    case 'u':
    case 'U': {
        int digits = c == 'u' ? 4 : 8;
        if (P->end - P->p < digits)
            return igz__toml_fail(P, "short \\%c escape", c);
        uint32_t cp = 0;
        for (int i = 0; i < digits; i++) {
            int h = hexval(P->p[i]);
            if (h < 0)
                return igz__toml_fail(P, "invalid \\%c escape", c);
            cp = cp << 4 | (uint32_t)h;
        }
        P->p += digits;
        if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return igz__toml_fail(P, "\\%c escape is not a unicode scalar value", c);
        if (put_utf8(b, cp))
            P->oom = 1;
        return P->oom ? -1 : 0;
    }
    default:
        return igz__toml_fail(P, "invalid escape sequence \"\\%c\"", c);
    }
    if (igz_buf_append(b, &plain, 1)) {
        P->oom = 1;
        return -1;
    }
    return 0;
}

static int bad_char(unsigned char c)
{
    return (c < 0x20 && c != '\t') || c == 0x7f;
}

int igz__toml_string(igz_toml_parser_t *P, char **out, size_t *len)
{
    char q = *P->p;
    int literal = q == '\'';
    int multi = P->p + 2 < P->end && P->p[1] == q && P->p[2] == q;
    igz_buf_t b = IGZ_BUF_INIT;
    P->p += multi ? 3 : 1;
    if (multi) /* a newline right after the opening quotes is not part of the string */
        igz__toml_newline(P);
    for (;;) {
        if (P->p >= P->end) {
            igz__toml_fail(P, "unterminated string");
            goto fail;
        }
        char c = *P->p;
        if (c == q) {
            if (!multi) {
                P->p++;
                break;
            }
            if (P->p + 2 < P->end && P->p[1] == q && P->p[2] == q) {
                /* up to two more quotes right before the closing three belong to the string */
                size_t extra = 0;
                while (extra < 2 && P->p + 3 + extra < P->end && P->p[3 + extra] == q)
                    extra++;
                if (extra && igz_buf_append(&b, P->p, extra))
                    goto oom;
                P->p += 3 + extra;
                break;
            }
            if (igz_buf_append(&b, P->p, 1))
                goto oom;
            P->p++;
            continue;
        }
        if (!literal && c == '\\') {
            if (multi) {
                /* a line-ending backslash trims the newline and the whitespace after it */
                const char *s = P->p + 1;
                while (s < P->end && (*s == ' ' || *s == '\t'))
                    s++;
                if (s < P->end && (*s == '\n' || (*s == '\r' && s + 1 < P->end && s[1] == '\n'))) {
                    P->p = s;
                    for (;;) {
                        igz__toml_skip_ws(P);
                        if (!igz__toml_newline(P))
                            break;
                    }
                    continue;
                }
            }
            if (escape(P, &b))
                goto fail;
            continue;
        }
        if (c == '\n' || c == '\r') {
            if (!multi) {
                igz__toml_fail(P, "newline in a single-line string");
                goto fail;
            }
            const char *at = P->p;
            if (!igz__toml_newline(P)) {
                igz__toml_fail(P, "a carriage return must be followed by a newline");
                goto fail;
            }
            if (igz_buf_append(&b, at, (size_t)(P->p - at)))
                goto oom;
            continue;
        }
        if (bad_char((unsigned char)c)) {
            igz__toml_fail(P, "control character U+%04X in a string", (unsigned)(unsigned char)c);
            goto fail;
        }
        const char *run = P->p;
        while (P->p < P->end && *P->p != q && *P->p != '\\' && *P->p != '\n' && *P->p != '\r' &&
               !bad_char((unsigned char)*P->p))
            P->p++;
        if (literal)
            while (P->p < P->end && *P->p == '\\') { /* backslashes are plain in literals */
                P->p++;
                while (P->p < P->end && *P->p != q && *P->p != '\\' && *P->p != '\n' &&
                       *P->p != '\r' && !bad_char((unsigned char)*P->p))
                    P->p++;
            }
        if (igz_buf_append(&b, run, (size_t)(P->p - run)))
            goto oom;
    }
    if (igz_buf_append(&b, "", 1))
        goto oom;
    *out = b.data;
    *len = b.len - 1;
    return 0;
oom:
    P->oom = 1;
fail:
    igz_buf_free(&b);
    return -1;
}

/* ---- numbers and date-times --------------------------------------------------------- */

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int digits_at(const char *p, const char *end, int n)
{
    if (end - p < n)
        return 0;
    for (int i = 0; i < n; i++)
        if (!is_digit(p[i]))
            return 0;
    return 1;
}

static int num2(const char *p)
{
    return (p[0] - '0') * 10 + (p[1] - '0');
}

static int days_in_month(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return d[m - 1];
}

/* HH:MM:SS[.frac] at p; returns its length or 0. */
static size_t scan_time(igz_toml_parser_t *P, const char *p)
{
    if (!digits_at(p, P->end, 2) || P->end - p < 8 || p[2] != ':' || !digits_at(p + 3, P->end, 2) ||
        p[5] != ':' || !digits_at(p + 6, P->end, 2))
        return 0;
    if (num2(p) > 23 || num2(p + 3) > 59 || num2(p + 6) > 60)
        return (size_t)-1;
    size_t n = 8;
    if (p + n < P->end && p[n] == '.') {
        size_t f = n + 1;
        while (p + f < P->end && is_digit(p[f]))
            f++;
        if (f == n + 1)
            return (size_t)-1;
        n = f;
    }
    return n;
}

static igz_toml_node_t *datetime(igz_toml_parser_t *P)
{
    const char *s = P->p;
    igz_conf_type_t type;
    size_t n = 0;
    if (digits_at(s, P->end, 4) && s + 4 < P->end && s[4] == '-') {
        if (!digits_at(s + 5, P->end, 2) || P->end - s < 10 || s[7] != '-' ||
            !digits_at(s + 8, P->end, 2)) {
            igz__toml_fail(P, "invalid date");
            return NULL;
        }
        int y = atoi(s), mo = num2(s + 5), d = num2(s + 8);
        if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo)) {
            igz__toml_fail(P, "invalid date %.10s", s);
            return NULL;
        }
        n = 10;
        type = IGZ_CONF_DATE_LOCAL;
        if (s + n < P->end && (s[n] == 'T' || s[n] == 't' ||
                               (s[n] == ' ' && s + n + 1 < P->end && is_digit(s[n + 1])))) {
            size_t t = scan_time(P, s + n + 1);
            if (t == 0 || t == (size_t)-1) {
                igz__toml_fail(P, "invalid time in date-time");
                return NULL;
            }
            n += 1 + t;
            type = IGZ_CONF_DATETIME_LOCAL;
            if (s + n < P->end && (s[n] == 'Z' || s[n] == 'z')) {
                n++;
                type = IGZ_CONF_DATETIME;
            } else if (s + n < P->end && (s[n] == '+' || s[n] == '-')) {
                const char *o = s + n + 1;
                if (!digits_at(o, P->end, 2) || P->end - o < 5 || o[2] != ':' ||
                    !digits_at(o + 3, P->end, 2) || num2(o) > 23 || num2(o + 3) > 59) {
                    igz__toml_fail(P, "invalid time zone offset");
                    return NULL;
                }
                n += 6;
                type = IGZ_CONF_DATETIME;
            }
        }
    } else {
        size_t t = scan_time(P, s);
        if (t == 0 || t == (size_t)-1) {
            igz__toml_fail(P, "invalid time");
            return NULL;
        }
        n = t;
        type = IGZ_CONF_TIME_LOCAL;
    }
    igz_toml_node_t *v = igz__toml_node_new(P, type);
    if (!v || !(v->str = malloc(n + 1))) {
        P->oom = 1;
        free(v);
        return NULL;
    }
    memcpy(v->str, s, n);
    v->str[n] = '\0';
    for (size_t i = 0; i < n; i++) /* RFC 3339 form: "T" and "Z" upper case */
        if (v->str[i] == 't' || v->str[i] == 'z' || (i == 10 && v->str[i] == ' '))
            v->str[i] = v->str[i] == 'z' ? 'Z' : 'T';
    v->str_len = n;
    P->p += n;
    return v;
}

/* Copy the digits of [s, e) without underscores into out, checking that
 * every underscore stands between two digits (allowed by is_d). */
static int strip_underscores(igz_toml_parser_t *P, const char *s, const char *e, char *out,
                             size_t outlen, int (*is_d)(char))
{
    size_t n = 0;
    for (const char *p = s; p < e; p++) {
        if (*p == '_') {
            if (p == s || p + 1 >= e || !is_d(p[-1]) || !is_d(p[1]))
                return igz__toml_fail(P, "an underscore must stand between two digits");
            continue;
        }
        if (n + 1 >= outlen)
            return igz__toml_fail(P, "number too long");
        out[n++] = *p;
    }
    out[n] = '\0';
    return 0;
}

static int is_hex_digit(char c)
{
    return hexval(c) >= 0;
}

static igz_toml_node_t *number(igz_toml_parser_t *P)
{
    const char *s = P->p, *e = s;
    while (e < P->end && (igz__toml_is_bare(*e) || *e == '.' || *e == '+'))
        e++;
    /* an exponent sign is part of the number: 1e-5 */
    size_t len = (size_t)(e - s);
    char buf[128];
    const char *body = s;
    int neg = 0;
    if (*body == '+' || *body == '-') {
        neg = *body == '-';
        body++;
    }
    size_t blen = (size_t)(e - body);
    if ((blen == 3 && (memcmp(body, "inf", 3) == 0 || memcmp(body, "nan", 3) == 0))) {
        igz_toml_node_t *v = igz__toml_node_new(P, IGZ_CONF_FLOAT);
        if (!v)
            return NULL;
        v->f = body[0] == 'i' ? (neg ? -INFINITY : INFINITY) : (neg ? -NAN : NAN);
        P->p = e;
        return v;
    }
    if (blen >= 2 && body[0] == '0' && (body[1] == 'x' || body[1] == 'o' || body[1] == 'b')) {
        if (body != s) {
            igz__toml_fail(P, "a sign is not allowed on hex, octal or binary integers");
            return NULL;
        }
        int base = body[1] == 'x' ? 16 : body[1] == 'o' ? 8 : 2;
        if (strip_underscores(P, body + 2, e, buf, sizeof buf, is_hex_digit))
            return NULL;
        if (!buf[0]) {
            igz__toml_fail(P, "digits expected after \"0%c\"", body[1]);
            return NULL;
        }
        uint64_t u = 0;
        for (const char *p = buf; *p; p++) {
            int d = hexval(*p);
            if (d < 0 || d >= base) {
                igz__toml_fail(P, "invalid digit '%c' in a base %d integer", *p, base);
                return NULL;
            }
            if (u > ((uint64_t)INT64_MAX - (uint64_t)d) / (uint64_t)base) {
                igz__toml_fail(P, "integer out of range");
                return NULL;
            }
            u = u * (uint64_t)base + (uint64_t)d;
        }
        igz_toml_node_t *v = igz__toml_node_new(P, IGZ_CONF_INTEGER);
        if (v)
            v->i = (int64_t)u;
        P->p = e;
        return v;
    }
    /* decimal integer or float: validate the shape, then convert */
    const char *p = body;
    const char *int_end = p;
    while (int_end < e && (is_digit(*int_end) || *int_end == '_'))
        int_end++;
    if (int_end == p) {
        igz__toml_fail(P, "invalid value \"%.*s\"", (int)(len > 40 ? 40 : len), s);
        return NULL;
    }
    if (p[0] == '0' && int_end - p > 1) {
        igz__toml_fail(P, "leading zeros are not allowed");
        return NULL;
    }
    int is_float = 0;
    const char *q = int_end;
    if (q < e && *q == '.') {
        is_float = 1;
        q++;
        const char *f = q;
        while (q < e && (is_digit(*q) || *q == '_'))
            q++;
        if (q == f || !is_digit(*f)) {
            igz__toml_fail(P, "digits expected after the decimal point");
            return NULL;
        }
    }
    if (q < e && (*q == 'e' || *q == 'E')) {
        is_float = 1;
        q++;
        if (q < e && (*q == '+' || *q == '-'))
            q++;
        const char *x = q;
        while (q < e && (is_digit(*q) || *q == '_'))
            q++;
        if (q == x || !is_digit(*x)) {
            igz__toml_fail(P, "digits expected in the exponent");
            return NULL;
        }
    }
    if (q != e) {
        igz__toml_fail(P, "invalid number \"%.*s\"", (int)(len > 40 ? 40 : len), s);
        return NULL;
    }
    /* underscores: each must sit between two digits */
    for (const char *u = s; u < e; u++)
        if (*u == '_' && (u == s || u + 1 >= e || !is_digit(u[-1]) || !is_digit(u[1]))) {
            igz__toml_fail(P, "an underscore must stand between two digits");
            return NULL;
        }
    size_t k = 0;
    for (const char *u = s; u < e && k + 1 < sizeof buf; u++)
        if (*u != '_')
            buf[k++] = *u;
    buf[k] = '\0';
    igz_toml_node_t *v;
    if (is_float) {
        v = igz__toml_node_new(P, IGZ_CONF_FLOAT);
        if (!v)
            return NULL;
        static locale_t c_locale;
        if (!c_locale)
            c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
        errno = 0;
        v->f = c_locale ? strtod_l(buf, NULL, c_locale) : strtod(buf, NULL);
    } else {
        errno = 0;
        long long i = strtoll(buf, NULL, 10);
        if (errno == ERANGE) {
            igz__toml_fail(P, "integer out of range");
            return NULL;
        }
        v = igz__toml_node_new(P, IGZ_CONF_INTEGER);
        if (!v)
            return NULL;
        v->i = i;
    }
    P->p = e;
    return v;
}

/* ---- arrays and inline tables --------------------------------------------------------- */

static void mark_inline(igz_toml_node_t *n)
{
    n->flags |= IGZ_TOML_INLINE;
    for (size_t i = 0; i < n->len; i++)
        if (n->vals[i]->type == IGZ_CONF_TABLE && (n->vals[i]->flags & IGZ_TOML_DOTTED))
            mark_inline(n->vals[i]);
}

static igz_toml_node_t *array(igz_toml_parser_t *P)
{
    igz_toml_node_t *a = igz__toml_node_new(P, IGZ_CONF_ARRAY);
    if (!a)
        return NULL;
    a->flags |= IGZ_TOML_INLINE;
    P->p++;
    for (;;) {
        if (igz__toml_skip_ws_nl(P))
            goto fail;
        if (P->p < P->end && *P->p == ']') {
            P->p++;
            return a;
        }
        uint32_t line = P->line;
        igz_toml_node_t *v = igz__toml_value(P);
        if (!v)
            goto fail;
        v->line = line;
        if (igz__toml_add(P, a, NULL, 0, v))
            goto fail;
        if (igz__toml_skip_ws_nl(P))
            goto fail;
        if (P->p < P->end && *P->p == ',') {
            P->p++;
            continue;
        }
        if (P->p < P->end && *P->p == ']') {
            P->p++;
            return a;
        }
        igz__toml_fail(P, "expected ',' or ']' in an array");
        goto fail;
    }
fail:
    igz_toml_free_node(a);
    return NULL;
}

static igz_toml_node_t *inline_table(igz_toml_parser_t *P)
{
    igz_toml_node_t *t = igz__toml_node_new(P, IGZ_CONF_TABLE);
    if (!t)
        return NULL;
    P->p++;
    igz__toml_skip_ws(P);
    if (P->p < P->end && *P->p == '}') {
        P->p++;
        t->flags |= IGZ_TOML_INLINE;
        return t;
    }
    for (;;) {
        igz__toml_skip_ws(P);
        if (igz__toml_keyval(P, t))
            goto fail;
        igz__toml_skip_ws(P);
        if (P->p < P->end && *P->p == ',') {
            P->p++;
            igz__toml_skip_ws(P);
            if (P->p < P->end && *P->p == '}') {
                igz__toml_fail(P, "trailing comma in an inline table");
                goto fail;
            }
            continue;
        }
        if (P->p < P->end && *P->p == '}') {
            P->p++;
            mark_inline(t);
            return t;
        }
        igz__toml_fail(P, "expected ',' or '}' in an inline table");
        goto fail;
    }
fail:
    igz_toml_free_node(t);
    return NULL;
}

igz_toml_node_t *igz__toml_value(igz_toml_parser_t *P)
{
    if (P->p >= P->end || *P->p == '\n' || *P->p == '\r' || *P->p == '#') {
        igz__toml_fail(P, "expected a value");
        return NULL;
    }
    if (++P->depth > IGZ_TOML_MAX_DEPTH) {
        igz__toml_fail(P, "values nested too deeply");
        return NULL;
    }
    igz_toml_node_t *v = NULL;
    char c = *P->p;
    if (c == '"' || c == '\'') {
        v = igz__toml_node_new(P, IGZ_CONF_STRING);
        if (v && igz__toml_string(P, &v->str, &v->str_len)) {
            free(v);
            v = NULL;
        }
    } else if (c == '[') {
        v = array(P);
    } else if (c == '{') {
        v = inline_table(P);
    } else if (P->end - P->p >= 4 && memcmp(P->p, "true", 4) == 0 &&
               (P->end - P->p == 4 || !igz__toml_is_bare(P->p[4]))) {
        if ((v = igz__toml_node_new(P, IGZ_CONF_BOOL)))
            v->b = true;
        P->p += 4;
    } else if (P->end - P->p >= 5 && memcmp(P->p, "false", 5) == 0 &&
               (P->end - P->p == 5 || !igz__toml_is_bare(P->p[5]))) {
        if ((v = igz__toml_node_new(P, IGZ_CONF_BOOL)))
            v->b = false;
        P->p += 5;
    } else if ((digits_at(P->p, P->end, 4) && P->p + 4 < P->end && P->p[4] == '-') ||
               (digits_at(P->p, P->end, 2) && P->p + 2 < P->end && P->p[2] == ':')) {
        v = datetime(P);
    } else if (is_digit(c) || c == '+' || c == '-' || c == 'i' || c == 'n') {
        v = number(P);
    } else {
        igz__toml_fail(P, "invalid value starting with '%c'", c);
    }
    P->depth--;
    return v;
}
