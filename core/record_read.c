/*
 * record_read.c - zero-copy msgpack decoding for record.h's reader.
 *
 * Values point into the caller's buffer; nothing is allocated. Every length
 * is checked against the end of the buffer before it is used, so a truncated
 * or hostile batch yields IGZ_EEOF / IGZ_EPARSE, never a read out of bounds.
 */
#include <string.h>

#include "iguazu/error.h"
#include "iguazu/record.h"

#define MAX_DEPTH 512

static inline uint16_t be16(const unsigned char *p)
{
    return (uint16_t)((p[0] << 8) | p[1]);
}

static inline uint32_t be32(const unsigned char *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static inline uint64_t be64(const unsigned char *p)
{
    return ((uint64_t)be32(p) << 32) | be32(p + 4);
}

/* Decode the header of the value at p: fills type and scalar fields; for
 * containers sets v->len (elements or pairs) and returns the header size in
 * *hdr. Returns 0 or a negative error. Does not walk into containers. */
static int decode_head(const unsigned char *p, const unsigned char *end, igz_value_t *v,
                       size_t *hdr, size_t *payload)
{
    size_t n = (size_t)(end - p);
    if (n < 1)
        return IGZ_EEOF;
    unsigned c = p[0];
    *payload = 0;
    v->s = NULL;
    v->len = 0;
    v->ext_type = 0;
#define NEED(k)                                                                                    \
    do {                                                                                           \
        if (n < (k))                                                                               \
            return IGZ_EEOF;                                                                       \
    } while (0)
    if (c <= 0x7f) {
        v->type = IGZ_T_INT;
        v->v.i = c;
        *hdr = 1;
    } else if (c >= 0xe0) {
        v->type = IGZ_T_INT;
        v->v.i = (int8_t)c;
        *hdr = 1;
    } else if ((c & 0xf0) == 0x80 || (c & 0xf0) == 0x90) {
        v->type = (c & 0xf0) == 0x80 ? IGZ_T_MAP : IGZ_T_ARRAY;
        v->len = c & 0x0f;
        *hdr = 1;
    } else if ((c & 0xe0) == 0xa0) {
        v->type = IGZ_T_STR;
        v->len = c & 0x1f;
        *hdr = 1;
        *payload = v->len;
    } else {
        switch (c) {
        case 0xc0:
            v->type = IGZ_T_NIL;
            *hdr = 1;
            break;
        case 0xc2:
        case 0xc3:
            v->type = IGZ_T_BOOL;
            v->v.b = c == 0xc3;
            *hdr = 1;
            break;
        case 0xc4:
        case 0xd9:
            NEED(2);
            v->type = c == 0xc4 ? IGZ_T_BIN : IGZ_T_STR;
            v->len = p[1];
            *hdr = 2;
            *payload = v->len;
            break;
        case 0xc5:
        case 0xda:
            NEED(3);
            v->type = c == 0xc5 ? IGZ_T_BIN : IGZ_T_STR;
            v->len = be16(p + 1);
            *hdr = 3;
            *payload = v->len;
            break;
        case 0xc6:
        case 0xdb:
            NEED(5);
            v->type = c == 0xc6 ? IGZ_T_BIN : IGZ_T_STR;
            v->len = be32(p + 1);
            *hdr = 5;
            *payload = v->len;
            break;
        case 0xc7:
        case 0xc8:
        case 0xc9: {
            size_t lh = c == 0xc7 ? 1 : c == 0xc8 ? 2 : 4;
            NEED(2 + lh);
            v->len = lh == 1 ? p[1] : lh == 2 ? be16(p + 1) : be32(p + 1);
            v->ext_type = (int8_t)p[1 + lh];
            *hdr = 2 + lh;
            *payload = v->len;
            v->type = IGZ_T_EXT;
            break;
        }
        case 0xca: {
            NEED(5);
            uint32_t u = be32(p + 1);
            float f;
            memcpy(&f, &u, 4);
            v->type = IGZ_T_FLOAT;
            v->v.f = f;
            *hdr = 5;
            break;
        }
        case 0xcb: {
            NEED(9);
            uint64_t u = be64(p + 1);
            v->type = IGZ_T_FLOAT;
            memcpy(&v->v.f, &u, 8);
            *hdr = 9;
            break;
        }
        case 0xcc:
            NEED(2);
            v->type = IGZ_T_INT;
            v->v.i = p[1];
            *hdr = 2;
            break;
        case 0xcd:
            NEED(3);
            v->type = IGZ_T_INT;
            v->v.i = be16(p + 1);
            *hdr = 3;
            break;
        case 0xce:
            NEED(5);
            v->type = IGZ_T_INT;
            v->v.i = be32(p + 1);
            *hdr = 5;
            break;
        case 0xcf: {
            NEED(9);
            uint64_t u = be64(p + 1);
            if (u > (uint64_t)INT64_MAX) {
                v->type = IGZ_T_UINT;
                v->v.u = u;
            } else {
                v->type = IGZ_T_INT;
                v->v.i = (int64_t)u;
            }
            *hdr = 9;
            break;
        }
        case 0xd0:
            NEED(2);
            v->type = IGZ_T_INT;
            v->v.i = (int8_t)p[1];
            *hdr = 2;
            break;
        case 0xd1:
            NEED(3);
            v->type = IGZ_T_INT;
            v->v.i = (int16_t)be16(p + 1);
            *hdr = 3;
            break;
        case 0xd2:
            NEED(5);
            v->type = IGZ_T_INT;
            v->v.i = (int32_t)be32(p + 1);
            *hdr = 5;
            break;
        case 0xd3:
            NEED(9);
            v->type = IGZ_T_INT;
            v->v.i = (int64_t)be64(p + 1);
            *hdr = 9;
            break;
        case 0xd4:
        case 0xd5:
        case 0xd6:
        case 0xd7:
        case 0xd8:
            NEED(2);
            v->type = IGZ_T_EXT;
            v->len = 1u << (c - 0xd4);
            v->ext_type = (int8_t)p[1];
            *hdr = 2;
            *payload = v->len;
            break;
        case 0xdc:
        case 0xde:
            NEED(3);
            v->type = c == 0xdc ? IGZ_T_ARRAY : IGZ_T_MAP;
            v->len = be16(p + 1);
            *hdr = 3;
            break;
        case 0xdd:
        case 0xdf:
            NEED(5);
            v->type = c == 0xdd ? IGZ_T_ARRAY : IGZ_T_MAP;
            v->len = be32(p + 1);
            *hdr = 5;
            break;
        default: /* 0xc1 is never used */
            return IGZ_EPARSE;
        }
    }
#undef NEED
    if (*payload > n - *hdr)
        return IGZ_EEOF;
    if (v->type == IGZ_T_STR || v->type == IGZ_T_BIN || v->type == IGZ_T_EXT)
        v->s = (const char *)p + *hdr;
    if (v->type == IGZ_T_EXT && v->ext_type == -1) {
        const unsigned char *q = p + *hdr;
        if (v->len == 4) {
            v->type = IGZ_T_TIME;
            v->v.t = (igz_time_t)be32(q) * 1000000000;
        } else if (v->len == 8) {
            uint64_t u = be64(q);
            uint64_t ns = u >> 34, sec = u & ((UINT64_C(1) << 34) - 1);
            if (ns > 999999999)
                return IGZ_EPARSE;
            v->type = IGZ_T_TIME;
            v->v.t = (igz_time_t)sec * 1000000000 + (igz_time_t)ns;
        } else if (v->len == 12) {
            uint32_t ns = be32(q);
            int64_t sec = (int64_t)be64(q + 4);
            if (ns > 999999999 || sec > INT64_MAX / 1000000000 - 1 ||
                sec < INT64_MIN / 1000000000 + 1)
                return IGZ_EPARSE;
            v->type = IGZ_T_TIME;
            v->v.t = sec * 1000000000 + ns;
        }
    }
    return 0;
}

/* Skip count values starting at p; iterative with an explicit budget so that
 * deep nesting cannot exhaust the C stack. */
static int skip_values(const unsigned char *p, const unsigned char *end, uint64_t count,
                       const unsigned char **out)
{
    uint64_t stack[MAX_DEPTH];
    int depth = 0;
    uint64_t left = count;
    for (;;) {
        while (left == 0) {
            if (depth == 0) {
                *out = p;
                return 0;
            }
            left = stack[--depth];
        }
        igz_value_t v;
        size_t hdr, payload;
        int rc = decode_head(p, end, &v, &hdr, &payload);
        if (rc)
            return rc;
        p += hdr + payload;
        left--;
        if (v.type == IGZ_T_ARRAY || v.type == IGZ_T_MAP) {
            uint64_t n = v.type == IGZ_T_MAP ? (uint64_t)v.len * 2 : v.len;
            if (n == 0)
                continue;
            if (n > (uint64_t)(end - p))
                return IGZ_EEOF; /* every element needs at least one byte */
            if (depth >= MAX_DEPTH)
                return IGZ_EPARSE;
            stack[depth++] = left;
            left = n;
        }
    }
}

int igz_value_decode(const void *data, size_t n, igz_value_t *out)
{
    const unsigned char *p = data, *end = p + n;
    size_t hdr, payload;
    int rc = decode_head(p, end, out, &hdr, &payload);
    if (rc)
        return rc;
    out->raw = (const char *)p;
    if (out->type == IGZ_T_ARRAY || out->type == IGZ_T_MAP) {
        const unsigned char *after;
        uint64_t cnt = out->type == IGZ_T_MAP ? (uint64_t)out->len * 2 : out->len;
        rc = skip_values(p + hdr, end, cnt, &after);
        if (rc)
            return rc;
        out->s = (const char *)p + hdr;
        out->raw_len = (size_t)(after - p);
    } else {
        out->raw_len = hdr + payload;
    }
    return 0;
}

void igz_reader_init(igz_reader_t *r, const void *data, size_t len)
{
    r->p = data;
    r->end = r->p + len;
}

int igz_reader_next(igz_reader_t *r, igz_record_t *rec)
{
    if (r->p >= r->end)
        return 0;
    igz_value_t arr;
    int rc = igz_value_decode(r->p, (size_t)(r->end - r->p), &arr);
    if (rc)
        return rc;
    if (arr.type != IGZ_T_ARRAY || arr.len != 3)
        return IGZ_EPARSE;
    const char *p = arr.s, *end = arr.raw + arr.raw_len;
    igz_value_t t;
    rc = igz_value_decode(p, (size_t)(end - p), &t);
    if (rc)
        return rc;
    if (t.type == IGZ_T_TIME)
        rec->time = t.v.t;
    else if (t.type == IGZ_T_INT) /* seconds, as some producers write */
        rec->time = t.v.i * 1000000000;
    else if (t.type == IGZ_T_FLOAT)
        rec->time = (igz_time_t)(t.v.f * 1e9);
    else
        return IGZ_EPARSE;
    p += t.raw_len;
    rc = igz_value_decode(p, (size_t)(end - p), &rec->meta);
    if (rc)
        return rc;
    p += rec->meta.raw_len;
    rc = igz_value_decode(p, (size_t)(end - p), &rec->body);
    if (rc)
        return rc;
    if (rec->meta.type != IGZ_T_MAP || rec->body.type != IGZ_T_MAP)
        return IGZ_EPARSE;
    rec->raw = arr.raw;
    rec->raw_len = arr.raw_len;
    r->p += arr.raw_len;
    return 1;
}

int64_t igz_batch_count(const void *data, size_t len)
{
    igz_reader_t r;
    igz_record_t rec;
    int64_t n = 0;
    int rc;
    igz_reader_init(&r, data, len);
    while ((rc = igz_reader_next(&r, &rec)) == 1)
        n++;
    return rc < 0 ? rc : n;
}

int igz_iter_init(igz_iter_t *it, const igz_value_t *v)
{
    if (v->type != IGZ_T_ARRAY && v->type != IGZ_T_MAP)
        return IGZ_ETYPE;
    it->p = v->s;
    it->end = v->raw + v->raw_len;
    it->left = v->len;
    it->is_map = v->type == IGZ_T_MAP;
    return 0;
}

int igz_iter_next(igz_iter_t *it, igz_value_t *key, igz_value_t *val)
{
    if (it->left == 0)
        return 0;
    int rc;
    if (it->is_map) {
        igz_value_t k;
        rc = igz_value_decode(it->p, (size_t)(it->end - it->p), &k);
        if (rc)
            return rc;
        it->p += k.raw_len;
        if (key)
            *key = k;
    }
    rc = igz_value_decode(it->p, (size_t)(it->end - it->p), val);
    if (rc)
        return rc;
    it->p += val->raw_len;
    it->left--;
    return 1;
}

bool igz_value_str_eq(const igz_value_t *v, const char *s, size_t len)
{
    return v->type == IGZ_T_STR && v->len == len && memcmp(v->s, s, len) == 0;
}

int igz_map_get(const igz_value_t *map, const char *key, size_t klen, igz_value_t *out)
{
    igz_iter_t it;
    int rc = igz_iter_init(&it, map);
    if (rc)
        return rc;
    igz_value_t k;
    while ((rc = igz_iter_next(&it, &k, out)) == 1)
        if (igz_value_str_eq(&k, key, klen))
            return 1;
    return rc;
}

int igz_map_get_path(const igz_value_t *map, const char *path, igz_value_t *out)
{
    /* a key that itself contains dots wins over the nested reading */
    int rc0 = igz_map_get(map, path, strlen(path), out);
    if (rc0 != 0)
        return rc0;
    igz_value_t cur = *map;
    const char *seg = path;
    for (;;) {
        const char *dot = strchr(seg, '.');
        size_t n = dot ? (size_t)(dot - seg) : strlen(seg);
        if (cur.type != IGZ_T_MAP)
            return 0;
        int rc = igz_map_get(&cur, seg, n, out);
        if (rc != 1)
            return rc;
        if (!dot)
            return 1;
        cur = *out;
        seg = dot + 1;
    }
}
