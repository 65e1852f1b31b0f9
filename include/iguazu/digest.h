/*
 * digest.h - hashes and checksums that cloud outputs and the chunk store need.
 *
 * SHA-256 (payload hashes, x-amz-content-sha256), HMAC-SHA256 (request
 * signing), MD5 in base64 (Content-MD5, needed by Object Lock buckets) and
 * the base64 form of a CRC32C (x-amz-checksum-crc32c; the CRC itself is
 * igz_crc32c of checksum.h). One-shot calls take
 * caller memory and keep nothing; the streaming SHA-256 context is for
 * payloads hashed piece by piece (a file read in blocks on the thread pool).
 * Every function is thread-safe.
 */
#ifndef IGUAZU_DIGEST_H
#define IGUAZU_DIGEST_H

#include "common.h"
#include "checksum.h"

IGZ_BEGIN_DECLS

#define IGZ_SHA256_LEN     32 /* bytes of a SHA-256 digest */
#define IGZ_SHA256_HEX_LEN 64 /* characters of its hex form, without the NUL */
#define IGZ_MD5_BASE64_LEN 24 /* characters of an MD5 digest in base64, without the NUL */
#define IGZ_CRC32C_B64_LEN 8  /* characters of a CRC32C in base64, without the NUL */

/*
 * Write n bytes of p as 2n lowercase hex digits plus a NUL into out (which
 * holds 2n + 1 chars). Cannot fail.
 */
IGZ_API void igz_hex_encode(const void *p, size_t n, char *out);

/* SHA-256 of n bytes at p (p may be NULL when n is 0) into out. Returns 0 or IGZ_EINVAL. */
IGZ_API int igz_sha256(const void *p, size_t n, uint8_t out[IGZ_SHA256_LEN]);

/*
 * SHA-256 of n bytes at p as 64 lowercase hex digits plus a NUL: the form of
 * x-amz-content-sha256. Returns 0 or IGZ_EINVAL; out is "" on failure.
 */
IGZ_API int igz_sha256_hex(const void *p, size_t n, char out[IGZ_SHA256_HEX_LEN + 1]);

/*
 * HMAC-SHA256 of n bytes at msg under a key of keylen bytes, into out.
 * Returns 0, IGZ_ENOMEM or IGZ_EINVAL; out is unspecified on failure.
 */
IGZ_API int igz_hmac_sha256(const void *key, size_t keylen, const void *msg, size_t n,
                            uint8_t out[IGZ_SHA256_LEN]);

/*
 * MD5 of n bytes at p in base64 (24 characters plus a NUL): the value of a
 * Content-MD5 header. Returns 0 or IGZ_EINVAL; out is "" on failure.
 */
IGZ_API int igz_md5_base64(const void *p, size_t n, char out[IGZ_MD5_BASE64_LEN + 1]);

/*
 * crc (from igz_crc32c of checksum.h) as 4 big-endian bytes in base64, 8
 * characters plus a NUL: the value of an x-amz-checksum-crc32c header.
 * Cannot fail.
 */
IGZ_API void igz_crc32c_base64(uint32_t crc, char out[IGZ_CRC32C_B64_LEN + 1]);

/* A streaming SHA-256: _new, any number of _update, _final, _free. */
typedef struct igz_sha256 igz_sha256_t;

/*
 * Allocate a context ready for updates into *out, owned by the caller (free it
 * with igz_sha256_free). Returns 0 or IGZ_ENOMEM (*out is then NULL).
 */
IGZ_API int igz_sha256_new(igz_sha256_t **out);
/* Hash n more bytes. Returns 0 or IGZ_EINVAL (the context must then be freed or finalised). */
IGZ_API int igz_sha256_update(igz_sha256_t *h, const void *p, size_t n);
/*
 * Write the digest of everything updated so far and restart the context, so
 * it can hash another message. Returns 0 or IGZ_EINVAL.
 */
IGZ_API int igz_sha256_final(igz_sha256_t *h, uint8_t out[IGZ_SHA256_LEN]);
/* Release a context (NULL is allowed). Cannot fail. */
IGZ_API void igz_sha256_free(igz_sha256_t *h);

IGZ_END_DECLS

#endif
