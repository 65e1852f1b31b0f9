/*
 * buf.h - a growable byte buffer.
 *
 * Used for msgpack and JSON output alike. The buffer owns its memory; data is
 * valid until the next call that grows it or igz_buf_free().
 */
#ifndef IGUAZU_BUF_H
#define IGUAZU_BUF_H

#include "common.h"

IGZ_BEGIN_DECLS

typedef struct igz_buf {
    char *data; /* read-only for users: the bytes */
    size_t len; /* read-only for users: bytes in use */
    size_t cap; /* private */
} igz_buf_t;

#define IGZ_BUF_INIT                                                                               \
    {                                                                                              \
        NULL, 0, 0                                                                                 \
    }

/* Initialise an empty buffer (no allocation). Cannot fail. */
IGZ_API void igz_buf_init(igz_buf_t *b);
/* Release the memory; the buffer is empty and reusable afterwards. Cannot fail. */
IGZ_API void igz_buf_free(igz_buf_t *b);
/* Make room for at least extra more bytes. Returns 0 or IGZ_ENOMEM (buffer unchanged). */
IGZ_API int igz_buf_reserve(igz_buf_t *b, size_t extra);
/* Append n bytes. Returns 0 or IGZ_ENOMEM (buffer unchanged). */
IGZ_API int igz_buf_append(igz_buf_t *b, const void *p, size_t n);
/* Append a NUL-terminated string (without its NUL). Returns 0 or IGZ_ENOMEM. */
IGZ_API int igz_buf_append_str(igz_buf_t *b, const char *s);
/* Append formatted text. Returns 0, IGZ_ENOMEM or IGZ_EINVAL (bad format). */
IGZ_API int igz_buf_printf(igz_buf_t *b, const char *fmt, ...) IGZ_PRINTF(2, 3);
/* Forget the contents, keep the memory. Cannot fail. */
static inline void igz_buf_reset(igz_buf_t *b)
{
    b->len = 0;
}

IGZ_END_DECLS

#endif
