/* buf.c - the growable byte buffer of buf.h. Growth doubles, so appends are amortised O(1). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iguazu/buf.h"
#include "iguazu/error.h"

void igz_buf_init(igz_buf_t *b)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

void igz_buf_free(igz_buf_t *b)
{
    free(b->data);
    igz_buf_init(b);
}

int igz_buf_reserve(igz_buf_t *b, size_t extra)
{
    if (extra <= b->cap - b->len)
        return 0;
    if (extra > SIZE_MAX / 2 - b->len)
        return IGZ_ENOMEM;
    size_t want = b->len + extra;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < want)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p)
        return IGZ_ENOMEM;
    b->data = p;
    b->cap = cap;
    return 0;
}

int igz_buf_append(igz_buf_t *b, const void *p, size_t n)
{
    if (n == 0)
        return 0;
    int rc = igz_buf_reserve(b, n);
    if (rc)
        return rc;
    memcpy(b->data + b->len, p, n);
    b->len += n;
    return 0;
}

int igz_buf_append_str(igz_buf_t *b, const char *s)
{
    return igz_buf_append(b, s, strlen(s));
}

int igz_buf_printf(igz_buf_t *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return IGZ_EINVAL;
    int rc = igz_buf_reserve(b, (size_t)n + 1);
    if (rc)
        return rc;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 0;
}
