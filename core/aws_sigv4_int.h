/*
 * aws_sigv4_int.h - the canonical forms of SigV4 (internal), shared by the
 * signer (aws_sigv4.c) and its canonicalisation helpers (aws_sigv4_canon.c),
 * kept apart so each file reads top to bottom.
 */
#ifndef IGZ_AWS_SIGV4_INT_H
#define IGZ_AWS_SIGV4_INT_H

#include "iguazu/aws_sigv4.h"

/*
 * Append to out the path to send: path itself (checked for control bytes) or,
 * with IGZ_SIGV4_RAW_PATH, path encoded once with '/' kept. NULL or "" is "/".
 * Returns 0, IGZ_ENOMEM or IGZ_EINVAL (no leading '/', control bytes).
 */
int igz__sigv4_wire_path(igz_buf_t *out, const char *path, unsigned flags);

/*
 * Append to out the canonical URI of the n-byte wire path p: normalised
 * unless IGZ_SIGV4_NO_NORMALIZE, encoded again unless IGZ_SIGV4_SINGLE_ENCODE.
 * Returns 0 or IGZ_ENOMEM.
 */
int igz__sigv4_canon_path(igz_buf_t *out, const char *p, size_t n, unsigned flags);

/*
 * Append to out the canonical query string of the raw parameters a[0..na)
 * and b[0..nb): every name and value encoded, pairs sorted by name then
 * value, joined with '&'. Returns 0, IGZ_ENOMEM or IGZ_EINVAL (a NULL name).
 */
int igz__sigv4_canon_query(igz_buf_t *out, const igz_sigv4_pair_t *a, size_t na,
                           const igz_sigv4_pair_t *b, size_t nb);

/*
 * Append to canon the canonical headers of a[0..na) and b[0..nb) (one
 * "name:value\n" line per lower-cased name, sorted, repeated names joined
 * with ',' in order) and to names the signed headers ("host;x-amz-date").
 * Sets *has_host. Returns 0, IGZ_ENOMEM or IGZ_EINVAL (an empty or invalid
 * name, a NULL value, a value with control characters).
 */
int igz__sigv4_canon_headers(igz_buf_t *canon, igz_buf_t *names, const igz_sigv4_pair_t *a,
                             size_t na, const igz_sigv4_pair_t *b, size_t nb, bool *has_host);

/* True if c may appear in an HTTP token (a method or a header name, RFC 9110). */
bool igz__sigv4_is_tchar(unsigned char c);

#endif
