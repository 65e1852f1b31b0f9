/*
 * json_rows.h - test helper: the smallest JSON reader csv-spectrum needs, an
 * array of flat objects whose values are strings (or one bare object).
 * Written for the test data, not for untrusted input.
 */
#ifndef JSON_ROWS_H
#define JSON_ROWS_H

#include <stdlib.h>
#include <string.h>

#include "iguazu/buf.h"

typedef struct jobj {
    int n;
    char *k[32], *v[32];
    size_t vl[32];
} jobj_t;

static const char *js_ws(const char *p)
{
    while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')
        p++;
    return p;
}

static void js_utf8(igz_buf_t *b, unsigned c)
{
    char u[4];
    size_t n;
    if (c < 0x80) {
        u[0] = (char)c;
        n = 1;
    } else if (c < 0x800) {
        u[0] = (char)(0xC0 | c >> 6);
        u[1] = (char)(0x80 | (c & 0x3F));
        n = 2;
    } else {
        u[0] = (char)(0xE0 | c >> 12);
        u[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        u[2] = (char)(0x80 | (c & 0x3F));
        n = 3;
    }
    igz_buf_append(b, u, n);
}

/* A string at p (at its opening quote); returns the position after it or NULL. */
static const char *js_str(const char *p, char **out, size_t *len)
{
    if (*p++ != '"')
        return NULL;
    igz_buf_t b = IGZ_BUF_INIT;
    igz_buf_reserve(&b, 1);
    for (; *p && *p != '"'; p++) {
        if (*p != '\\') {
            igz_buf_append(&b, p, 1);
            continue;
        }
        p++;
        const char *esc = strchr("\"\\/bfnrt", *p);
        if (*p == 'u') {
            unsigned c = 0;
            for (int k = 1; k <= 4; k++)
                c = c * 16 + (unsigned)(p[k] <= '9' ? p[k] - '0' : (p[k] | 0x20) - 'a' + 10);
            js_utf8(&b, c);
            p += 4;
        } else if (esc && *p) {
            igz_buf_append(&b, &"\"\\/\b\f\n\r\t"[esc - "\"\\/bfnrt"], 1);
        } else {
            igz_buf_free(&b);
            return NULL;
        }
    }
    if (*p != '"') {
        igz_buf_free(&b);
        return NULL;
    }
    *len = b.len;
    igz_buf_append(&b, "", 1);
    *out = b.data;
    return p + 1;
}

static const char *js_obj(const char *p, jobj_t *o)
{
    memset(o, 0, sizeof *o);
    p = js_ws(p);
    if (*p++ != '{')
        return NULL;
    for (p = js_ws(p); *p != '}';) {
        size_t kl;
        if (o->n == 32 || !(p = js_str(js_ws(p), &o->k[o->n], &kl)))
            return NULL;
        p = js_ws(p);
        if (*p++ != ':' || !(p = js_str(js_ws(p), &o->v[o->n], &o->vl[o->n])))
            return NULL;
        o->n++;
        p = js_ws(p);
        if (*p == ',')
            p = js_ws(p + 1);
    }
    return p + 1;
}

static void js_free(jobj_t *o, int n)
{
    for (int i = 0; i < n; i++)
        for (int k = 0; k < o[i].n; k++) {
            free(o[i].k[k]);
            free(o[i].v[k]);
        }
}

/* Returns the number of objects read into o (at most max) or -1. */
static int js_rows(const char *text, jobj_t *o, int max)
{
    const char *p = js_ws(text);
    if (*p == '{') /* csv-spectrum's location_coordinates.json is a bare object */
        return js_obj(p, &o[0]) ? 1 : -1;
    if (*p++ != '[')
        return -1;
    int n = 0;
    for (p = js_ws(p); *p && *p != ']' && n < max; p = js_ws(p)) {
        if (!(p = js_obj(p, &o[n++]))) {
            js_free(o, n);
            return -1;
        }
        p = js_ws(p);
        if (*p == ',')
            p++;
    }
    return n;
}

#endif
