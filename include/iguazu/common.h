/*
 * common.h - visibility and version macros shared by every public header.
 *
 * Everything libiguazu exports is marked IGZ_API; the library is built with
 * -fvisibility=hidden so that nothing else leaks into a plugin's namespace.
 */
#ifndef IGUAZU_COMMON_H
#define IGUAZU_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#if defined(__GNUC__)
#define IGZ_API          __attribute__((visibility("default")))
#define IGZ_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define IGZ_API
#define IGZ_PRINTF(f, a)
#endif

#ifdef __cplusplus
#define IGZ_BEGIN_DECLS extern "C" {
#define IGZ_END_DECLS   }
#else
#define IGZ_BEGIN_DECLS
#define IGZ_END_DECLS
#endif

#endif
