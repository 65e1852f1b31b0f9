/*
 * mpack.h - msgpack encoding primitives into an igz_buf_t (internal).
 *
 * Shared by the record writer and the JSON transcoder so that both produce
 * the smallest encoding for every value. Each function reserves before it
 * writes and returns 0 or IGZ_ENOMEM with the buffer unchanged.
 */
#ifndef IGZ_MPACK_H
#define IGZ_MPACK_H

#include <string.h>
#include "iguazu/buf.h"
#include "iguazu/error.h"

static inline void igz__mp_be16(char *p, uint16_t v)
{
    p[0] = (char)(v >> 8);
    p[1] = (char)v;
}

static inline void igz__mp_be32(char *p, uint32_t v)
{
    p[0] = (char)(v >> 24);
    p[1] = (char)(v >> 16);
    p[2] = (char)(v >> 8);
    p[3] = (char)v;
}

static inline void igz__mp_be64(char *p, uint64_t v)
{
    igz__mp_be32(p, (uint32_t)(v >> 32));
    igz__mp_be32(p + 4, (uint32_t)v);
}

static inline int igz__mp_nil(igz_buf_t *b)
{
    if (igz_buf_reserve(b, 1))
        return IGZ_ENOMEM;
    b->data[b->len++] = (char)0xc0;
    return 0;
}

static inline int igz__mp_bool(igz_buf_t *b, bool v)
{
    if (igz_buf_reserve(b, 1))
        return IGZ_ENOMEM;
    b->data[b->len++] = (char)(v ? 0xc3 : 0xc2);
    return 0;
}

static inline int igz__mp_uint(igz_buf_t *b, uint64_t v)
{
    if (igz_buf_reserve(b, 9))
        return IGZ_ENOMEM;
    char *p = b->data + b->len;
    if (v < 128) {
        p[0] = (char)v;
        b->len += 1;
    } else if (v <= 0xff) {
        p[0] = (char)0xcc;
        p[1] = (char)v;
        b->len += 2;
    } else if (v <= 0xffff) {
        p[0] = (char)0xcd;
        igz__mp_be16(p + 1, (uint16_t)v);
        b->len += 3;
    } else if (v <= 0xffffffffu) {
        p[0] = (char)0xce;
        igz__mp_be32(p + 1, (uint32_t)v);
        b->len += 5;
    } else {
        p[0] = (char)0xcf;
        igz__mp_be64(p + 1, v);
        b->len += 9;
    }
    return 0;
}

static inline int igz__mp_int(igz_buf_t *b, int64_t v)
{
    if (v >= 0)
        return igz__mp_uint(b, (uint64_t)v);
    if (igz_buf_reserve(b, 9))
        return IGZ_ENOMEM;
    char *p = b->data + b->len;
    if (v >= -32) {
        p[0] = (char)(int8_t)v;
        b->len += 1;
    } else if (v >= INT8_MIN) {
        p[0] = (char)0xd0;
        p[1] = (char)(int8_t)v;
        b->len += 2;
    } else if (v >= INT16_MIN) {
        p[0] = (char)0xd1;
        igz__mp_be16(p + 1, (uint16_t)(int16_t)v);
        b->len += 3;
    } else if (v >= INT32_MIN) {
        p[0] = (char)0xd2;
        igz__mp_be32(p + 1, (uint32_t)(int32_t)v);
        b->len += 5;
    } else {
        p[0] = (char)0xd3;
        igz__mp_be64(p + 1, (uint64_t)v);
        b->len += 9;
    }
    return 0;
}

static inline int igz__mp_float(igz_buf_t *b, double v)
{
    if (igz_buf_reserve(b, 9))
        return IGZ_ENOMEM;
    uint64_t u;
    memcpy(&u, &v, 8);
    b->data[b->len] = (char)0xcb;
    igz__mp_be64(b->data + b->len + 1, u);
    b->len += 9;
    return 0;
}

/* Header of a str (raw = 0) or bin (raw = 1) of n bytes. */
static inline int igz__mp_str_hdr(igz_buf_t *b, size_t n, int raw)
{
    if (n > 0xffffffffu)
        return IGZ_ERANGE;
    if (igz_buf_reserve(b, 5))
        return IGZ_ENOMEM;
    char *p = b->data + b->len;
    if (!raw && n < 32) {
        p[0] = (char)(0xa0 | n);
        b->len += 1;
    } else if (n <= 0xff) {
        p[0] = (char)(raw ? 0xc4 : 0xd9);
        p[1] = (char)n;
        b->len += 2;
    } else if (n <= 0xffff) {
        p[0] = (char)(raw ? 0xc5 : 0xda);
        igz__mp_be16(p + 1, (uint16_t)n);
        b->len += 3;
    } else {
        p[0] = (char)(raw ? 0xc6 : 0xdb);
        igz__mp_be32(p + 1, (uint32_t)n);
        b->len += 5;
    }
    return 0;
}

static inline int igz__mp_str(igz_buf_t *b, const char *s, size_t n)
{
    if (igz_buf_reserve(b, n + 5))
        return IGZ_ENOMEM;
    int rc = igz__mp_str_hdr(b, n, 0);
    if (rc)
        return rc;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    return 0;
}

/* Header of an array (map = 0) or map (map = 1) of n elements (pairs). */
static inline int igz__mp_container_hdr(igz_buf_t *b, uint32_t n, int map)
{
    if (igz_buf_reserve(b, 5))
        return IGZ_ENOMEM;
    char *p = b->data + b->len;
    if (n < 16) {
        p[0] = (char)((map ? 0x80 : 0x90) | n);
        b->len += 1;
    } else if (n <= 0xffff) {
        p[0] = (char)(map ? 0xde : 0xdc);
        igz__mp_be16(p + 1, (uint16_t)n);
        b->len += 3;
    } else {
        p[0] = (char)(map ? 0xdf : 0xdd);
        igz__mp_be32(p + 1, n);
        b->len += 5;
    }
    return 0;
}

/* The timestamp extension (type -1): timestamp 64 when it fits (seconds < 2^34, the common case),
 * timestamp 96 otherwise. */
static inline int igz__mp_time(igz_buf_t *b, int64_t ns)
{
    int64_t sec = ns / 1000000000;
    int64_t nsec = ns % 1000000000;
    if (nsec < 0) {
        nsec += 1000000000;
        sec -= 1;
    }
    if (igz_buf_reserve(b, 15))
        return IGZ_ENOMEM;
    char *p = b->data + b->len;
    if (sec >= 0 && sec < (INT64_C(1) << 34)) {
        uint64_t v = ((uint64_t)nsec << 34) | (uint64_t)sec;
        p[0] = (char)0xd7;
        p[1] = (char)-1;
        igz__mp_be64(p + 2, v);
        b->len += 10;
    } else {
        p[0] = (char)0xc7;
        p[1] = 12;
        p[2] = (char)-1;
        igz__mp_be32(p + 3, (uint32_t)nsec);
        igz__mp_be64(p + 7, (uint64_t)sec);
        b->len += 15;
    }
    return 0;
}

#endif
