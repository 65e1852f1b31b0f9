/*
 * json.h - JSON to msgpack and back, in one pass.
 *
 * The JSON reader follows RFC 8259 strictly (it accepts every y_ case of
 * JSONTestSuite and rejects every n_ case): no trailing commas, no comments,
 * no leading zeros, UTF-8 validated, surrogate pairs joined, lone surrogates
 * rejected. Numbers without fraction or exponent that fit int64/uint64 become
 * msgpack integers, all others float64. Objects become maps in document
 * order, duplicate keys kept as they are.
 *
 * The JSON writer renders any msgpack value: strings escaped per RFC 8259
 * (invalid UTF-8 replaced by U+FFFD), NaN and infinities as null, binary as a
 * base64 string, timestamps as RFC 3339 strings with nanoseconds in UTC
 * ("2024-01-31T12:00:00.123456789Z"), other extensions as null.
 */
#ifndef IGUAZU_JSON_H
#define IGUAZU_JSON_H

#include "common.h"
#include "buf.h"
#include "record.h"

IGZ_BEGIN_DECLS

typedef struct igz_json_error {
    size_t offset;   /* byte offset of the error in the input */
    uint32_t line;   /* 1-based */
    uint32_t column; /* 1-based, in bytes */
    char reason[96]; /* e.g. "expected ',' or '}' after object member" */
} igz_json_error_t;

/* Transcode exactly one JSON text (surrounding whitespace allowed) into one
 * msgpack value appended to out. Returns 0, IGZ_EPARSE with *err filled (err
 * may be NULL) and out restored to its length before the call, or IGZ_ENOMEM.
 * Nesting is limited to 512 levels (deeper is IGZ_EPARSE). */
IGZ_API int igz_json_to_msgpack(const char *json, size_t len, igz_buf_t *out,
                                igz_json_error_t *err);

/* Same, appended to a record writer as one value (a map value, an array
 * element, or a whole body when the writer is at the body position it is
 * used as the body only if it is an object). Errors as above; on IGZ_EPARSE
 * the writer is left as before the call (no sticky error is set). */
IGZ_API int igz_w_json(igz_writer_t *w, const char *json, size_t len, igz_json_error_t *err);

/* Render one msgpack value as compact JSON appended to out. Returns 0,
 * IGZ_ENOMEM, or IGZ_EPARSE for malformed msgpack (out restored). */
IGZ_API int igz_json_from_value(const igz_value_t *v, igz_buf_t *out);

/* Append a JSON string literal (quotes included) for s. Invalid UTF-8 is
 * replaced by U+FFFD. Returns 0 or IGZ_ENOMEM. */
IGZ_API int igz_json_quote(const char *s, size_t len, igz_buf_t *out);

/* Render a time as RFC 3339 UTC with nanoseconds into out (without quotes).
 * Returns 0 or IGZ_ENOMEM. */
IGZ_API int igz_json_time(igz_time_t t, igz_buf_t *out);

IGZ_END_DECLS

#endif
