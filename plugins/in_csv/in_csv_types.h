/*
 * in_csv_types.h - typed conversion of CSV fields for in_csv.
 *
 * Why: a column's type is written once in the configuration ("int",
 * "float", "bool", "string", "time:%m/%d/%Y %H:%M") and applied to every row,
 * so the spec is compiled once into an in_csv_type_t and the per-field
 * conversion does no parsing of the spec, no allocation and no locale
 * lookup. Time formats are read by our own parser: strptime() depends on the
 * locale, is slow and wants zero padding that real files (the retail set's
 * "12/1/2010 8:26") do not have.
 *
 * Conversions never allocate (except a float longer than 255 characters) and
 * are thread-safe on a shared compiled type.
 */
#ifndef IN_CSV_TYPES_H
#define IN_CSV_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "in_csv_tz.h"

typedef enum in_csv_kind {
    IN_CSV_STRING = 0,
    IN_CSV_INT,
    IN_CSV_FLOAT,
    IN_CSV_BOOL,
    IN_CSV_TIME
} in_csv_kind_t;

#define IN_CSV_TIME_MAX_OPS 48

/* One step of a compiled time format. Private. */
typedef struct in_csv_time_op {
    unsigned char op;
    char ch;
} in_csv_time_op_t;

/*
 * A compiled type spec. Fill it with in_csv_type_compile(), release it with
 * in_csv_type_free(); read-only for users apart from kind.
 */
typedef struct in_csv_type {
    in_csv_kind_t kind;
    /* time only (private) */
    unsigned nops;
    in_csv_time_op_t ops[IN_CSV_TIME_MAX_OPS];
    unsigned need;     /* which fields the format sets */
    int32_t tz_off;    /* fixed zone: seconds east of UTC */
    in_csv_tz_t *zone; /* named zone, or NULL for a fixed one */
} in_csv_type_t;

/* A converted value. s points into the field given to in_csv_convert(). */
typedef struct in_csv_value {
    in_csv_kind_t kind;
    bool null; /* an empty (or blank) field of a non-string type */
    union {
        int64_t i;  /* IN_CSV_INT */
        double f;   /* IN_CSV_FLOAT */
        bool b;     /* IN_CSV_BOOL */
        int64_t ns; /* IN_CSV_TIME: nanoseconds since 1970-01-01 00:00:00 UTC */
        struct {
            const char *data;
            size_t len;
        } s; /* IN_CSV_STRING */
    } v;
} in_csv_value_t;

/*
 * Compile spec: "string", "int", "float", "bool" or "time:<format>". The
 * format takes %Y %y %m %d %e %j %H %I %p %M %S %f %z %b %B %h %a %A %s %T
 * %F %D %R %% and literal characters; a space matches any run of blanks;
 * numbers need no zero padding. zone applies to times without %z: NULL, ""
 * or "UTC" for UTC, a fixed offset such as "+02:00" / "-0530", or a name of
 * the tz database ("Europe/London", read from $TZDIR or
 * /usr/share/zoneinfo). Returns 0, IGZ_EINVAL (err says why, e.g. `unknown
 * type "integer"`), IGZ_ENOENT (no such zone) or IGZ_ENOMEM; err may be NULL.
 * On failure t needs no in_csv_type_free().
 */
int in_csv_type_compile(in_csv_type_t *t, const char *spec, const char *zone, char *err,
                        size_t errlen);

/* Release what a compiled type holds (a named zone). Cannot fail. */
void in_csv_type_free(in_csv_type_t *t);

/*
 * Convert the n bytes at s. Leading and trailing blanks are ignored for
 * non-string types; a field that is empty then gives a null value. Returns 0,
 * IGZ_EPARSE (bad syntax: reason like `invalid integer "12a"`), IGZ_ERANGE
 * (`value out of range "1e999"`) or IGZ_ENOMEM (only for huge floats).
 * reason (may be NULL) is always NUL-terminated when reason_len > 0.
 */
int in_csv_convert(const in_csv_type_t *t, const char *s, size_t n, in_csv_value_t *out,
                   char *reason, size_t reason_len);

/* The single conversions behind in_csv_convert(), on trimmed non-empty input. */
int in_csv_parse_int(const char *s, size_t n, int64_t *out);
int in_csv_parse_float(const char *s, size_t n, double *out);
int in_csv_parse_bool(const char *s, size_t n, bool *out);

#endif
