/*
 * record.h - building and reading records without touching msgpack offsets.
 *
 * A record is the msgpack array [time, metadata, body]: time is the msgpack
 * timestamp extension (type -1) with nanosecond precision, metadata and body
 * are maps. A batch is records laid end to end in one buffer; it travels with
 * a tag.
 *
 * Writing: an igz_writer_t appends records to its own buffer. Maps and arrays
 * need no element count up front: the writer counts and patches the header
 * when the container ends. Errors are sticky: after the first failure every
 * call returns the same error and igz_writer_error() reports it, so a plugin
 * may check once per record.
 *
 * Reading: igz_reader_t walks a batch; igz_value_t points into the batch
 * (zero copy), so a value is valid only while the batch is, for instance
 * until the filter or flush callback that received it returns (or, for an
 * asynchronous flush, until igz_flush_done()).
 */
#ifndef IGUAZU_RECORD_H
#define IGUAZU_RECORD_H

#include "common.h"
#include "buf.h"

IGZ_BEGIN_DECLS

/* Nanoseconds since the Unix epoch, UTC. */
typedef int64_t igz_time_t;

/* The current wall-clock time in nanoseconds. Cannot fail. */
IGZ_API igz_time_t igz_time_now(void);

/* ---- writing ----------------------------------------------------------- */

#define IGZ_WRITER_MAX_DEPTH 32

typedef struct igz_writer {
    igz_buf_t buf;    /* read-only: the encoded records */
    uint32_t records; /* read-only: complete records in buf */
    int error;        /* private: sticky error, 0 when none */
    int depth;        /* private */
    size_t rec_start; /* private: where the open record began */
    struct {
        size_t at;      /* offset of the container header */
        uint32_t count; /* elements (maps: key/value pairs counted as keys+values) */
        uint8_t is_map;
    } stack[IGZ_WRITER_MAX_DEPTH]; /* private */
} igz_writer_t;

/* Initialise an empty writer (no allocation). Cannot fail. */
IGZ_API void igz_writer_init(igz_writer_t *w);
/* Release the buffer. Cannot fail. */
IGZ_API void igz_writer_free(igz_writer_t *w);
/* Drop all records and clear any error; keeps the memory. Cannot fail. */
IGZ_API void igz_writer_reset(igz_writer_t *w);
/* The sticky error (0 when none). */
static inline int igz_writer_error(const igz_writer_t *w)
{
    return w->error;
}

/*
 * Start a record with event time t: after this call the metadata map is open.
 * Add metadata pairs (or none), call igz_record_body() to open the body map,
 * add its pairs, then igz_record_end().
 */
IGZ_API int igz_record_begin(igz_writer_t *w, igz_time_t t);
IGZ_API int igz_record_body(igz_writer_t *w);
/* Close the record. Returns 0, or the sticky error, in which case the
 * unfinished record is removed from the buffer and the error is cleared so
 * that the writer can go on with the next record. */
IGZ_API int igz_record_end(igz_writer_t *w);
/* Append a complete encoded record (as read by igz_reader_next) unchanged. */
IGZ_API int igz_record_copy(igz_writer_t *w, const void *raw, size_t len);

/* Values. Inside a map, write the key (igz_w_key) before each value. */
IGZ_API int igz_w_key(igz_writer_t *w, const char *k, size_t len);
IGZ_API int igz_w_keyz(igz_writer_t *w, const char *k); /* NUL-terminated key */
IGZ_API int igz_w_str(igz_writer_t *w, const char *s, size_t len);
IGZ_API int igz_w_strz(igz_writer_t *w, const char *s);
IGZ_API int igz_w_bin(igz_writer_t *w, const void *p, size_t len);
IGZ_API int igz_w_int(igz_writer_t *w, int64_t v);
IGZ_API int igz_w_uint(igz_writer_t *w, uint64_t v);
IGZ_API int igz_w_float(igz_writer_t *w, double v);
IGZ_API int igz_w_bool(igz_writer_t *w, bool v);
IGZ_API int igz_w_nil(igz_writer_t *w);
IGZ_API int igz_w_time(igz_writer_t *w, igz_time_t t); /* msgpack timestamp ext */
IGZ_API int igz_w_map_begin(igz_writer_t *w);
IGZ_API int igz_w_map_end(igz_writer_t *w);
IGZ_API int igz_w_array_begin(igz_writer_t *w);
IGZ_API int igz_w_array_end(igz_writer_t *w);
/* Append one already-encoded msgpack value (checked: it must be exactly one
 * well-formed value, else IGZ_EPARSE). */
IGZ_API int igz_w_msgpack(igz_writer_t *w, const void *p, size_t len);

/* ---- reading ----------------------------------------------------------- */

typedef enum igz_type {
    IGZ_T_NIL,
    IGZ_T_BOOL,
    IGZ_T_INT,  /* fits int64_t */
    IGZ_T_UINT, /* larger than INT64_MAX */
    IGZ_T_FLOAT,
    IGZ_T_STR,
    IGZ_T_BIN,
    IGZ_T_ARRAY,
    IGZ_T_MAP,
    IGZ_T_TIME, /* msgpack timestamp extension */
    IGZ_T_EXT   /* any other extension */
} igz_type_t;

/* A decoded value pointing into the batch. Fields per type:
 * BOOL b; INT i; UINT u; FLOAT f; STR/BIN s+len; TIME t;
 * ARRAY/MAP len = element (pair) count and p = first element's encoding;
 * EXT s+len = payload, ext_type. raw/raw_len always span the whole encoding. */
typedef struct igz_value {
    igz_type_t type;
    union {
        bool b;
        int64_t i;
        uint64_t u;
        double f;
        igz_time_t t;
    } v;
    const char *s;
    uint32_t len;
    int8_t ext_type;
    const char *raw;
    size_t raw_len;
} igz_value_t;

/* Decode the value at p (at most n bytes). Returns 0, IGZ_EEOF (truncated) or
 * IGZ_EPARSE. Nesting deeper than 512 levels is IGZ_EPARSE. */
IGZ_API int igz_value_decode(const void *p, size_t n, igz_value_t *out);

typedef struct igz_record {
    igz_time_t time;
    igz_value_t meta; /* IGZ_T_MAP */
    igz_value_t body; /* IGZ_T_MAP */
    const char *raw;  /* the whole record */
    size_t raw_len;
} igz_record_t;

typedef struct igz_reader {
    const char *p;   /* private */
    const char *end; /* private */
} igz_reader_t;

IGZ_API void igz_reader_init(igz_reader_t *r, const void *data, size_t len);
/* Next record: 1 with *rec filled, 0 at the end, or IGZ_EPARSE / IGZ_EEOF
 * for a malformed batch (the reader stays at the bad record). */
IGZ_API int igz_reader_next(igz_reader_t *r, igz_record_t *rec);
/* Count the records of a batch; negative error when malformed. */
IGZ_API int64_t igz_batch_count(const void *data, size_t len);

/* Iterate the elements of an array or the pairs of a map. */
typedef struct igz_iter {
    const char *p;   /* private */
    const char *end; /* private */
    uint32_t left;   /* private */
    uint8_t is_map;  /* private */
} igz_iter_t;

/* Returns 0, or IGZ_ETYPE when v is neither array nor map. */
IGZ_API int igz_iter_init(igz_iter_t *it, const igz_value_t *v);
/* Maps: fills key and val; arrays: fills val (key may be NULL).
 * Returns 1, 0 at the end, or a negative error for malformed data. */
IGZ_API int igz_iter_next(igz_iter_t *it, igz_value_t *key, igz_value_t *val);

/* Look a key up in a map. Returns 1 found, 0 not found, negative on error. */
IGZ_API int igz_map_get(const igz_value_t *map, const char *key, size_t klen, igz_value_t *out);
/* Follow a dotted path ("a.b.c") through nested maps. Same returns. */
IGZ_API int igz_map_get_path(const igz_value_t *map, const char *path, igz_value_t *out);

/* True when a string value equals s (len bytes). */
IGZ_API bool igz_value_str_eq(const igz_value_t *v, const char *s, size_t len);

IGZ_END_DECLS

#endif
