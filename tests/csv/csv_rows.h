/*
 * csv_rows.h - test helper: run the in_csv parser over a buffer fed in
 * blocks of a chosen shape and keep every row (copied) plus a serialised
 * form, so that different block splits can be compared byte for byte.
 * Header-only: shared by the parser tests and the fuzz target.
 */
#ifndef CSV_ROWS_H
#define CSV_ROWS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iguazu/buf.h"
#include "iguazu/error.h"
#include "in_csv_parser.h"

typedef struct trow {
    in_csv_row_t r; /* fields and raw replaced by copies below */
    char **f;
    size_t *flen;
    char *raw;
} trow_t;

typedef struct trows {
    trow_t *r;
    size_t n, cap;
    igz_buf_t ser; /* every row, serialised */
    int fail_at;   /* the callback returns IGZ_ECANCELED for this row (1-based), 0: never */
} trows_t;

enum { FEED_WHOLE, FEED_BYTES, FEED_RANDOM };

static char *trows_dup(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d) {
        if (n)
            memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

static int trows_cb(void *ud, const in_csv_row_t *row)
{
    trows_t *t = ud;
    if (t->fail_at && (int)t->n + 1 == t->fail_at)
        return IGZ_ECANCELED;
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16;
        trow_t *r = realloc(t->r, cap * sizeof *r);
        if (!r)
            return IGZ_ENOMEM;
        t->r = r;
        t->cap = cap;
    }
    trow_t *x = &t->r[t->n];
    memset(x, 0, sizeof *x);
    x->r = *row;
    x->f = calloc(row->nfields + 1, sizeof *x->f);
    x->flen = calloc(row->nfields + 1, sizeof *x->flen);
    x->raw = trows_dup(row->raw, row->raw_len);
    if (!x->f || !x->flen || !x->raw) {
        free(x->f);
        free(x->flen);
        free(x->raw);
        return IGZ_ENOMEM;
    }
    t->n++; /* from here on trows_free() releases x */
    for (size_t k = 0; k < row->nfields; k++) {
        x->f[k] = trows_dup(row->fields[k].data, row->fields[k].len);
        if (!x->f[k])
            return IGZ_ENOMEM;
        x->flen[k] = row->fields[k].len;
    }
    x->r.fields = NULL;
    x->r.raw = x->raw;
    int rc = igz_buf_printf(
        &t->ser, "L%llu+%llu [%llu,%llu) e%d@%llu/%zu n%zu:", (unsigned long long)row->line,
        (unsigned long long)row->lines, (unsigned long long)row->start,
        (unsigned long long)row->end, row->error, (unsigned long long)row->error_offset,
        row->error_field, row->nfields);
    for (size_t k = 0; k < row->nfields && !rc; k++) {
        rc = igz_buf_printf(&t->ser, " %zu:", row->fields[k].len);
        if (!rc)
            rc = igz_buf_append(&t->ser, row->fields[k].data, row->fields[k].len);
    }
    if (!rc)
        rc = igz_buf_printf(&t->ser, " raw%zu:", row->raw_len);
    if (!rc)
        rc = igz_buf_append(&t->ser, row->raw, row->raw_len);
    if (!rc)
        rc = igz_buf_append(&t->ser, "\n", 1);
    return rc;
}

static void trows_free(trows_t *t)
{
    for (size_t i = 0; i < t->n; i++) {
        for (size_t k = 0; k < t->r[i].r.nfields; k++)
            free(t->r[i].f[k]);
        free(t->r[i].f);
        free(t->r[i].flen);
        free(t->r[i].raw);
    }
    free(t->r);
    igz_buf_free(&t->ser);
    memset(t, 0, sizeof *t);
}

static unsigned trows_rand(unsigned *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

/*
 * Parse data fed as one block, byte by byte or in random blocks of 1..max_block
 * bytes (seeded), then finish. Returns 0 or the first error of feed/finish.
 */
static int trows_parse(const char *data, size_t len, const in_csv_opts_t *o, int mode,
                       unsigned seed, size_t max_block, trows_t *out)
{
    in_csv_parser_t *p;
    int rc = in_csv_parser_new(&p, o, trows_cb, out);
    if (rc)
        return rc;
    unsigned s = seed ? seed : 1;
    for (size_t i = 0; i < len && !rc;) {
        size_t k = len - i;
        if (mode == FEED_BYTES)
            k = 1;
        else if (mode == FEED_RANDOM)
            k = 1 + trows_rand(&s) % (max_block ? max_block : 64);
        if (k > len - i)
            k = len - i;
        /* feed from a private copy, scribbled over afterwards: nothing may keep pointing in */
        char *blk = malloc(k ? k : 1);
        if (!blk) {
            rc = IGZ_ENOMEM;
            break;
        }
        memcpy(blk, data + i, k);
        rc = in_csv_parser_feed(p, blk, k);
        memset(blk, '#', k);
        free(blk);
        i += k;
    }
    if (!rc)
        rc = in_csv_parser_finish(p);
    in_csv_parser_free(p);
    return rc;
}

#endif
