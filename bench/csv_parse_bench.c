/*
 * csv_parse_bench.c - how fast in_csv's parsing core is on retail-shaped rows.
 *
 * Why in memory: the figure wanted is the CPU cost of parsing and typing,
 * apart from disk and page cache. N rows shaped like the UK online-retail
 * file (quoted descriptions with commas, empty customer ids, cancellations
 * with negative quantities, non-ASCII text) are generated, then fed in
 * 64 KiB blocks: once parse-only, once converting all 8 columns. Best of 3.
 *
 * Usage: csv_parse_bench [rows]   (default 2000000)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "iguazu/buf.h"
#include "iguazu/error.h"
#include "in_csv_parser.h"
#include "in_csv_types.h"

static const char *const descs[] = {
    "WHITE HANGING HEART T-LIGHT HOLDER",
    "\"SET/10 IVORY POLKADOT PARTY CANDLES, BOXED\"",
    "JUMBO BAG RED RETROSPOT",
    "\"GLASS STAR FROSTED T-LIGHT HOLDER, SMALL\"",
    "",
    "CR\303\210ME BRUL\303\211E SET \342\202\254",
    "REGENCY CAKESTAND 3 TIER",
    "\"PACK OF 12 \"\"VINTAGE\"\" DOILIES\"",
};
static const char *const countries[] = {"United Kingdom", "United Kingdom", "United Kingdom",
                                        "France",         "Germany",        "EIRE",
                                        "Espa\303\261a"};

static unsigned bench_rand(unsigned *s)
{
    *s = *s * 1103515245u + 12345u;
    return *s >> 8;
}

static int generate(igz_buf_t *b, long rows)
{
    unsigned s = 1;
    int rc = igz_buf_append_str(
        b, "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n");
    for (long i = 0; i < rows && !rc; i++) {
        bool cancel = bench_rand(&s) % 50 == 0;
        char cust[8] = "";
        if (bench_rand(&s) % 4)
            snprintf(cust, sizeof cust, "%u", 12346 + bench_rand(&s) % 6000);
        unsigned q = 1 + bench_rand(&s) % 48, cents = 10 + bench_rand(&s) % 2000;
        rc = igz_buf_printf(
            b, "%s%u,%u%s,%s,%s%u,%u/%u/%u %u:%02u,%u.%02u,%s,%s\n", cancel ? "C" : "",
            536365 + (unsigned)(i / 20), 10000 + bench_rand(&s) % 90000,
            bench_rand(&s) % 3 ? "" : "A", descs[bench_rand(&s) % (sizeof descs / sizeof *descs)],
            cancel ? "-" : "", q, 1 + bench_rand(&s) % 12, 1 + bench_rand(&s) % 28,
            2010 + bench_rand(&s) % 2, bench_rand(&s) % 24, bench_rand(&s) % 60, cents / 100,
            cents % 100, cust, countries[bench_rand(&s) % (sizeof countries / sizeof *countries)]);
    }
    return rc;
}

typedef struct bench_state {
    long rows, fields, errors, nulls;
    int64_t checksum;
    bool typed;
    in_csv_type_t types[8];
} bench_state_t;

static int on_row(void *ud, const in_csv_row_t *row)
{
    bench_state_t *st = ud;
    st->rows++;
    st->fields += (long)row->nfields;
    if (!st->typed || row->line == 1)
        return 0;
    if (row->nfields != 8) {
        st->errors++;
        return 0;
    }
    for (int c = 0; c < 8; c++) {
        in_csv_value_t v;
        int rc =
            in_csv_convert(&st->types[c], row->fields[c].data, row->fields[c].len, &v, NULL, 0);
        if (rc == IGZ_ENOMEM)
            return rc;
        if (rc) {
            st->errors++;
            continue;
        }
        if (v.null)
            st->nulls++;
        else if (v.kind == IN_CSV_INT || v.kind == IN_CSV_TIME)
            st->checksum += v.v.i;
        else if (v.kind == IN_CSV_FLOAT)
            st->checksum += (int64_t)(v.v.f * 100);
        else
            st->checksum += (int64_t)v.v.s.len;
    }
    return 0;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int run(const igz_buf_t *data, bench_state_t *st, double *secs)
{
    in_csv_parser_t *p;
    int rc = in_csv_parser_new(&p, NULL, on_row, st);
    if (rc)
        return rc;
    double t0 = now();
    const size_t block = 64 * 1024;
    for (size_t i = 0; i < data->len && !rc; i += block)
        rc = in_csv_parser_feed(p, data->data + i, data->len - i < block ? data->len - i : block);
    if (!rc)
        rc = in_csv_parser_finish(p);
    *secs = now() - t0;
    in_csv_parser_free(p);
    return rc;
}

int main(int argc, char **argv)
{
    long rows = argc > 1 ? atol(argv[1]) : 2000000;
    if (rows <= 0) {
        fprintf(stderr, "usage: %s [rows]\n", argv[0]);
        return 2;
    }
    igz_buf_t data = IGZ_BUF_INIT;
    if (generate(&data, rows)) {
        fprintf(stderr, "out of memory generating %ld rows\n", rows);
        return 1;
    }
    printf("%ld rows, %.1f MB, %.1f bytes/row\n", rows, (double)data.len / 1e6,
           (double)data.len / (double)rows);

    static const char *const specs[8] = {"string", "string", "string", "int", "time:%m/%d/%Y %H:%M",
                                         "float",  "int",    "string"};
    for (int typed = 0; typed < 2; typed++) {
        double best = 1e30;
        bench_state_t st;
        for (int rep = 0; rep < 3; rep++) {
            memset(&st, 0, sizeof st);
            st.typed = typed;
            for (int c = 0; c < 8; c++) {
                char err[128];
                if (in_csv_type_compile(&st.types[c], specs[c], NULL, err, sizeof err)) {
                    fprintf(stderr, "type \"%s\": %s\n", specs[c], err);
                    return 1;
                }
            }
            double secs = 0;
            int rc = run(&data, &st, &secs);
            for (int c = 0; c < 8; c++)
                in_csv_type_free(&st.types[c]);
            if (rc) {
                fprintf(stderr, "parse failed: %s\n", igz_strerror(rc));
                return 1;
            }
            if (secs < best)
                best = secs;
        }
        if (st.rows != rows + 1 || st.errors) {
            fprintf(stderr, "wrong result: %ld rows, %ld errors\n", st.rows, st.errors);
            return 1;
        }
        printf("%-22s %6.3f s  %10.0f rows/s  %7.1f MB/s  (%ld fields, %ld nulls)\n",
               typed ? "parse + 8 typed columns" : "parse only", best, (double)rows / best,
               (double)data.len / 1e6 / best, st.fields, st.nulls);
    }
    igz_buf_free(&data);
    return 0;
}
