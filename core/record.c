/*
 * record.c - the record writer and the zero-copy reader of record.h.
 *
 * The writer opens maps and arrays without knowing their size: it writes the
 * smallest header (fixmap/fixarray, one byte) and, when a container closes
 * with 16 or more elements, moves its contents to make room for the larger
 * header. Records are mostly small maps, so the move is rare and cheap, and
 * the output is always the canonical smallest encoding.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "iguazu/error.h"
#include "iguazu/record.h"
#include "mpack.h"

igz_time_t igz_time_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (igz_time_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* ---- writer ------------------------------------------------------------ */

void igz_writer_init(igz_writer_t *w)
{
    memset(w, 0, sizeof *w);
}

void igz_writer_free(igz_writer_t *w)
{
    igz_buf_free(&w->buf);
    igz_writer_init(w);
}

void igz_writer_reset(igz_writer_t *w)
{
    w->buf.len = 0;
    w->records = 0;
    w->error = 0;
    w->depth = 0;
    w->rec_start = 0;
}

static int fail(igz_writer_t *w, int rc)
{
    if (!w->error)
        w->error = rc;
    return w->error;
}

/* Count one element in the enclosing container. */
static inline void count_one(igz_writer_t *w)
{
    if (w->depth > 0)
        w->stack[w->depth - 1].count++;
}

static int open_container(igz_writer_t *w, int is_map)
{
    if (w->error)
        return w->error;
    if (w->depth >= IGZ_WRITER_MAX_DEPTH)
        return fail(w, IGZ_ERANGE);
    count_one(w);
    size_t at = w->buf.len;
    int rc = igz__mp_container_hdr(&w->buf, 0, is_map);
    if (rc)
        return fail(w, rc);
    w->stack[w->depth].at = at;
    w->stack[w->depth].count = 0;
    w->stack[w->depth].is_map = (uint8_t)is_map;
    w->depth++;
    return 0;
}

static int close_container(igz_writer_t *w, int is_map)
{
    if (w->error)
        return w->error;
    if (w->depth == 0 || w->stack[w->depth - 1].is_map != is_map)
        return fail(w, IGZ_EINVAL);
    uint32_t n = w->stack[w->depth - 1].count;
    size_t at = w->stack[w->depth - 1].at;
    if (is_map) {
        if (n % 2)
            return fail(w, IGZ_EINVAL); /* a key without its value */
        n /= 2;
    }
    w->depth--;
    if (n < 16) {
        w->buf.data[at] = (char)((is_map ? 0x80 : 0x90) | n);
        return 0;
    }
    size_t extra = n <= 0xffff ? 2 : 4;
    if (igz_buf_reserve(&w->buf, extra))
        return fail(w, IGZ_ENOMEM);
    char *p = w->buf.data + at;
    memmove(p + 1 + extra, p + 1, w->buf.len - at - 1);
    w->buf.len += extra;
    if (extra == 2) {
        p[0] = (char)(is_map ? 0xde : 0xdc);
        igz__mp_be16(p + 1, (uint16_t)n);
    } else {
        p[0] = (char)(is_map ? 0xdf : 0xdd);
        igz__mp_be32(p + 1, n);
    }
    return 0;
}

int igz_record_begin(igz_writer_t *w, igz_time_t t)
{
    if (w->error)
        return w->error;
    if (w->depth != 0)
        return fail(w, IGZ_EINVAL);
    w->rec_start = w->buf.len;
    int rc = igz_buf_reserve(&w->buf, 1);
    if (rc)
        return fail(w, rc);
    w->buf.data[w->buf.len++] = (char)0x93; /* [time, metadata, body] */
    rc = igz__mp_time(&w->buf, t);
    if (rc)
        return fail(w, rc);
    /* depth 0 is the record itself: a pseudo-array whose count we don't need */
    w->stack[0].at = w->rec_start;
    w->stack[0].count = 1;
    w->stack[0].is_map = 0;
    w->depth = 1;
    return open_container(w, 1);
}

int igz_record_body(igz_writer_t *w)
{
    if (w->error)
        return w->error;
    if (w->depth != 2)
        return fail(w, IGZ_EINVAL);
    int rc = close_container(w, 1);
    if (rc)
        return rc;
    return open_container(w, 1);
}

int igz_record_end(igz_writer_t *w)
{
    int rc = w->error;
    if (!rc && (w->depth != 2 || w->stack[0].count != 3))
        rc = IGZ_EINVAL;
    if (!rc)
        rc = close_container(w, 1);
    if (rc) {
        /* drop the unfinished record so the writer can go on */
        w->buf.len = w->rec_start;
        w->depth = 0;
        w->error = 0;
        return rc;
    }
    w->depth = 0;
    w->records++;
    w->rec_start = w->buf.len;
    return 0;
}

int igz_record_copy(igz_writer_t *w, const void *raw, size_t len)
{
    if (w->error)
        return w->error;
    if (w->depth != 0)
        return fail(w, IGZ_EINVAL);
    int rc = igz_buf_append(&w->buf, raw, len);
    if (rc)
        return fail(w, rc);
    w->records++;
    w->rec_start = w->buf.len;
    return 0;
}

#define WRITE_SCALAR(expr)                                                                         \
    do {                                                                                           \
        if (w->error)                                                                              \
            return w->error;                                                                       \
        int rc_ = (expr);                                                                          \
        if (rc_)                                                                                   \
            return fail(w, rc_);                                                                   \
        count_one(w);                                                                              \
        return 0;                                                                                  \
    } while (0)

int igz_w_key(igz_writer_t *w, const char *k, size_t len)
{
    WRITE_SCALAR(igz__mp_str(&w->buf, k, len));
}

int igz_w_keyz(igz_writer_t *w, const char *k)
{
    WRITE_SCALAR(igz__mp_str(&w->buf, k, strlen(k)));
}

int igz_w_str(igz_writer_t *w, const char *s, size_t len)
{
    WRITE_SCALAR(igz__mp_str(&w->buf, s, len));
}

int igz_w_strz(igz_writer_t *w, const char *s)
{
    WRITE_SCALAR(igz__mp_str(&w->buf, s, strlen(s)));
}

static int put_bin(igz_buf_t *b, const void *p, size_t len)
{
    int rc = igz_buf_reserve(b, len + 5);
    if (!rc)
        rc = igz__mp_str_hdr(b, len, 1);
    if (!rc) {
        memcpy(b->data + b->len, p, len);
        b->len += len;
    }
    return rc;
}

int igz_w_bin(igz_writer_t *w, const void *p, size_t len)
{
    WRITE_SCALAR(put_bin(&w->buf, p, len));
}

int igz_w_int(igz_writer_t *w, int64_t v)
{
    WRITE_SCALAR(igz__mp_int(&w->buf, v));
}

int igz_w_uint(igz_writer_t *w, uint64_t v)
{
    WRITE_SCALAR(igz__mp_uint(&w->buf, v));
}

int igz_w_float(igz_writer_t *w, double v)
{
    WRITE_SCALAR(igz__mp_float(&w->buf, v));
}

int igz_w_bool(igz_writer_t *w, bool v)
{
    WRITE_SCALAR(igz__mp_bool(&w->buf, v));
}

int igz_w_nil(igz_writer_t *w)
{
    WRITE_SCALAR(igz__mp_nil(&w->buf));
}

int igz_w_time(igz_writer_t *w, igz_time_t t)
{
    WRITE_SCALAR(igz__mp_time(&w->buf, t));
}

int igz_w_map_begin(igz_writer_t *w)
{
    return open_container(w, 1);
}

int igz_w_map_end(igz_writer_t *w)
{
    if (w->depth <= 2)
        return fail(w, IGZ_EINVAL); /* the record's own maps close through igz_record_* */
    return close_container(w, 1);
}

int igz_w_array_begin(igz_writer_t *w)
{
    return open_container(w, 0);
}

int igz_w_array_end(igz_writer_t *w)
{
    if (w->depth <= 1)
        return fail(w, IGZ_EINVAL);
    return close_container(w, 0);
}

int igz_w_msgpack(igz_writer_t *w, const void *p, size_t len)
{
    if (w->error)
        return w->error;
    igz_value_t v;
    int rc = igz_value_decode(p, len, &v);
    if (rc || v.raw_len != len)
        return fail(w, rc ? rc : IGZ_EPARSE);
    WRITE_SCALAR(igz_buf_append(&w->buf, p, len));
}
