/*
 * in_csv_parser.h - a streaming RFC 4180 parser for in_csv.
 *
 * Why streaming and callback-driven: in_csv reads files in blocks (64 KiB
 * reads) and must never hold a whole file, yet it needs exact byte offsets to
 * resume after a restart and the raw text of every bad row for its reject
 * records. The parser is fed arbitrary blocks (a row or a field may span
 * them), calls back once per row, and keeps no more than one row (bounded by
 * max_row) of its own. Rows that lie inside one block are handed over without
 * a copy: field pointers point into the caller's block. Bytes are copied only
 * for a row that spans blocks and for quoted fields with doubled quotes.
 *
 * Malformed input never stops the parser: the row is delivered with an error
 * code and a reason (the caller makes a reject record) and parsing goes on
 * with the next row.
 *
 * Not thread-safe: one parser per file, used by one thread at a time.
 */
#ifndef IN_CSV_PARSER_H
#define IN_CSV_PARSER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Which bytes end a row. Inside quoted fields the same bytes are data, but
 * they still count as line ends for the line numbers of the rows after.
 */
typedef enum in_csv_eol {
    IN_CSV_EOL_ANY = 0, /* "\r\n", "\n" or a lone "\r" (the default) */
    IN_CSV_EOL_LF,      /* "\n" only; a "\r" is ordinary data */
    IN_CSV_EOL_CRLF,    /* "\r\n" only; a lone "\r" or "\n" is ordinary data */
    IN_CSV_EOL_CR       /* "\r" only; a "\n" is ordinary data */
} in_csv_eol_t;

/*
 * Row errors (in_csv_row_t.error). Only the first error of a row is reported,
 * except that TOO_LONG and TOO_MANY_FIELDS win: such rows carry no fields.
 */
typedef enum in_csv_row_error {
    IN_CSV_ROW_OK = 0,
    IN_CSV_ROW_QUOTE_IN_FIELD,   /* a quote inside an unquoted field: kept as text */
    IN_CSV_ROW_TEXT_AFTER_QUOTE, /* text after a closing quote: appended to the field */
    IN_CSV_ROW_UNTERMINATED,     /* input ended inside a quoted field */
    IN_CSV_ROW_TOO_LONG,         /* the row is longer than max_row: no fields */
    IN_CSV_ROW_TOO_MANY_FIELDS   /* the row has more than max_fields fields: no fields */
} in_csv_row_error_t;

typedef struct in_csv_opts {
    char delim;        /* field separator, default ',' */
    char quote;        /* quote character, default '"' */
    in_csv_eol_t eol;  /* default IN_CSV_EOL_ANY */
    bool keep_empty;   /* deliver empty lines as rows of one empty field (default: skip) */
    bool no_bom;       /* do not skip a UTF-8 byte order mark at offset 0 (default: skip) */
    bool lazy_quotes;  /* a quote inside an unquoted field is text, not an error */
    size_t max_row;    /* longest row in bytes, line end included; default 1 MiB */
    size_t max_fields; /* most fields in a row; default 16384 */
} in_csv_opts_t;

/* The defaults: ',' '"' any line end, empty lines skipped, strict quotes, 1 MiB rows, 16384 fields.
 */
#define IN_CSV_OPTS_INIT                                                                           \
    {                                                                                              \
        ',', '"', IN_CSV_EOL_ANY, false, false, false, 1024 * 1024, 16384                          \
    }

/* One field: its bytes without quotes, doubled quotes collapsed; not NUL-terminated. */
typedef struct in_csv_field {
    const char *data;
    size_t len;
} in_csv_field_t;

/*
 * One row, valid only during the row callback: fields and raw point into the
 * caller's block or into the parser's buffers.
 */
typedef struct in_csv_row {
    const in_csv_field_t *fields; /* nfields fields; none for TOO_LONG / TOO_MANY_FIELDS */
    size_t nfields;
    uint64_t line;         /* 1-based line number of the row's first line */
    uint64_t lines;        /* number of lines the row spans (quoted line breaks), >= 1 */
    uint64_t start;        /* file offset of the row's first byte */
    uint64_t end;          /* file offset after its line end: where the next row starts */
    const char *raw;       /* the row's bytes without the line end ... */
    size_t raw_len;        /* ... (the first max_row bytes only for TOO_LONG) */
    int error;             /* IN_CSV_ROW_OK or an IN_CSV_ROW_* code */
    const char *reason;    /* static text for error, NULL when error is IN_CSV_ROW_OK */
    uint64_t error_offset; /* file offset of the byte where the first error was seen */
    size_t error_field;    /* 0-based index of the field where it was seen */
} in_csv_row_t;

/*
 * Called once per row in file order. Return 0 to go on; a negative IGZ_E*
 * code stops parsing and is returned by the feed or finish call.
 */
typedef int (*in_csv_row_cb)(void *ud, const in_csv_row_t *row);

typedef struct in_csv_parser in_csv_parser_t;

/*
 * Create a parser positioned at offset 0, line 1. opts may be NULL for the
 * defaults; zero max_row / max_fields mean the defaults. Returns 0,
 * IGZ_EINVAL (delimiter equal to the quote or a line-end byte, no callback)
 * or IGZ_ENOMEM; *out is set only on success.
 */
int in_csv_parser_new(in_csv_parser_t **out, const in_csv_opts_t *opts, in_csv_row_cb cb, void *ud);

/* Free the parser and everything it holds. NULL is allowed. Cannot fail. */
void in_csv_parser_free(in_csv_parser_t *p);

/*
 * Parse the next len bytes of the file. Complete rows are delivered before it
 * returns; the incomplete end is kept for the next call, so the caller may
 * reuse its block at once. Returns 0, IGZ_ENOMEM or the callback's negative
 * code. After an error the parser's state is undefined until
 * in_csv_parser_reset() (for instance to the end offset of the last row the
 * caller has fully handled).
 */
int in_csv_parser_feed(in_csv_parser_t *p, const char *data, size_t len);

/*
 * End of input: deliver the last row if it has no line end (an open quoted
 * field gives an UNTERMINATED row). Afterwards the parser stands at the start
 * of a new row, offsets and line numbers going on. Errors as for feed.
 */
int in_csv_parser_finish(in_csv_parser_t *p);

/*
 * Forget any partial row and continue as if the next byte fed were at file
 * offset `offset`, on line `line` (1-based) - how a caller resumes from a
 * saved row end. The byte order mark is skipped only at offset 0. Cannot fail.
 */
void in_csv_parser_reset(in_csv_parser_t *p, uint64_t offset, uint64_t line);

/* The file offset the next byte fed will have. Cannot fail. */
uint64_t in_csv_parser_offset(const in_csv_parser_t *p);

#endif
