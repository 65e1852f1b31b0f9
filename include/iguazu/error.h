/*
 * error.h - error codes of libiguazu.
 *
 * Public calls return int: 0 on success or a negative IGZ_E* code. Codes that
 * mirror errno have the same meaning (IGZ_ENOMEM is -ENOMEM). libuv's rule
 * holds everywhere: when a function that takes a callback returns an error,
 * the callback is never called.
 */
#ifndef IGUAZU_ERROR_H
#define IGUAZU_ERROR_H

#include <errno.h>
#include "common.h"

IGZ_BEGIN_DECLS

/* X(NAME, value, message). System codes reuse errno values; Iguazu's own start at 10000. */
#define IGZ_ERRNO_MAP(X)                                                                           \
    X(ENOMEM, -ENOMEM, "out of memory")                                                            \
    X(EINVAL, -EINVAL, "invalid argument")                                                         \
    X(ENOENT, -ENOENT, "no such file or directory")                                                \
    X(EIO, -EIO, "input/output error")                                                             \
    X(ENOSPC, -ENOSPC, "no space left on device")                                                  \
    X(EAGAIN, -EAGAIN, "resource temporarily unavailable")                                         \
    X(ERANGE, -ERANGE, "value out of range")                                                       \
    X(EEXIST, -EEXIST, "already exists")                                                           \
    X(ECANCELED, -ECANCELED, "operation canceled")                                                 \
    X(ETIMEDOUT, -ETIMEDOUT, "timed out")                                                          \
    X(EPARSE, -10001, "parse error")                                                               \
    X(ECONFIG, -10002, "configuration error")                                                      \
    X(EABI, -10003, "incompatible plugin ABI")                                                     \
    X(ENOTPLUGIN, -10004, "not an iguazu plugin")                                                  \
    X(EPLUGIN, -10005, "plugin error")                                                             \
    X(ETYPE, -10006, "wrong type")                                                                 \
    X(EEOF, -10007, "unexpected end of data")

enum {
#define IGZ__ERR_ENUM(name, value, msg) IGZ_##name = (value),
    IGZ_ERRNO_MAP(IGZ__ERR_ENUM)
#undef IGZ__ERR_ENUM
        IGZ_OK = 0
};

/* A static message for code (never NULL; "unknown error" for unknown codes). */
IGZ_API const char *igz_strerror(int code);
/* The symbolic name of code, e.g. "ENOMEM" (never NULL). */
IGZ_API const char *igz_err_name(int code);

IGZ_END_DECLS

#endif
