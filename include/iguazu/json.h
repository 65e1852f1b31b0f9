/*
 * json.h - msgpack values as JSON. (The JSON to msgpack transcoder comes with
 * the HTTP input; its functions will be added here.)
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
