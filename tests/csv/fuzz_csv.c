/*
 * fuzz_csv.c - libFuzzer target for in_csv's parsing core.
 *
 * The first two bytes choose the options (line ends, delimiter, quote, empty
 * lines, lazy quotes, small row and field limits); the rest is parsed whole,
 * byte by byte (short inputs) and in two random block splits, which must
 * all give the same rows, and the rows must tile the input. Every field then
 * goes through each type converter, and the raw input through the converters
 * and the TZif reader. Any disagreement aborts.
 */
#include "csv/csv_rows.h"
#include "in_csv_types.h"

static const char *const fuzz_specs[] = {"int",
                                         "float",
                                         "bool",
                                         "time:%m/%d/%Y %H:%M",
                                         "time:%Y-%m-%dT%H:%M:%S.%f%z",
                                         "time:%a, %e %b %y %I:%M %p %j",
                                         "time:%s"};
#define FUZZ_NSPECS (sizeof fuzz_specs / sizeof *fuzz_specs)

static in_csv_type_t fuzz_types[FUZZ_NSPECS];
static int fuzz_ready;

static void fuzz_check(int cond, const char *what)
{
    if (!cond) {
        fprintf(stderr, "fuzz_csv: %s\n", what);
        abort();
    }
}

static void fuzz_convert_all(const char *s, size_t n)
{
    for (size_t k = 0; k < FUZZ_NSPECS; k++) {
        in_csv_value_t v;
        char reason[160];
        reason[0] = 'x';
        int rc = in_csv_convert(&fuzz_types[k], s, n, &v, reason, sizeof reason);
        fuzz_check(rc == 0 || rc == IGZ_EPARSE || rc == IGZ_ERANGE, "unexpected convert code");
        fuzz_check(memchr(reason, '\0', sizeof reason) != NULL, "reason not terminated");
        fuzz_check(rc != 0 || reason[0] == '\0', "reason left on success");
        fuzz_check(rc == 0 || reason[0] != '\0', "no reason on failure");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!fuzz_ready) {
        for (size_t k = 0; k < FUZZ_NSPECS; k++)
            fuzz_check(in_csv_type_compile(&fuzz_types[k], fuzz_specs[k], k == 3 ? "+02:00" : NULL,
                                           NULL, 0) == 0,
                       "compile");
        fuzz_ready = 1;
    }
    if (size < 2)
        return 0;
    static const char delims[] = {',', ';', '\t', '|'};
    in_csv_opts_t o = IN_CSV_OPTS_INIT;
    o.eol = (in_csv_eol_t)(data[0] & 3);
    o.keep_empty = data[0] & 4;
    o.lazy_quotes = data[0] & 8;
    o.no_bom = data[0] & 16;
    o.max_row = data[0] & 32 ? 1 + data[1] % 64 : 0;
    o.max_fields = data[0] & 64 ? 1 + data[1] % 8 : 0;
    o.delim = delims[(data[1] >> 4) & 3];
    o.quote = data[1] & 0x40 ? '\'' : '"';
    const char *text = (const char *)data + 2;
    size_t len = size - 2;

    trows_t whole = {0};
    fuzz_check(trows_parse(text, len, &o, FEED_WHOLE, 0, 0, &whole) == 0, "parse whole");
    unsigned seed = 2166136261u;
    for (size_t i = 0; i < size; i++)
        seed = (seed ^ data[i]) * 16777619u;
    for (int round = 0; round < 3; round++) {
        int mode = round == 0 ? FEED_BYTES : FEED_RANDOM;
        if (mode == FEED_BYTES && len > 4096)
            continue;
        trows_t t = {0};
        fuzz_check(trows_parse(text, len, &o, mode, seed + (unsigned)round, 1 + (seed >> 8) % 300,
                               &t) == 0,
                   "parse split");
        fuzz_check(t.ser.len == whole.ser.len &&
                       (!t.ser.len || memcmp(t.ser.data, whole.ser.data, t.ser.len) == 0),
                   "block splits give different rows");
        trows_free(&t);
    }

    uint64_t next = 0;
    for (size_t i = 0; i < whole.n; i++) {
        const in_csv_row_t *r = &whole.r[i].r;
        fuzz_check(r->start >= next && r->end > r->start && r->end <= len, "row bounds");
        fuzz_check(!o.keep_empty || r->start == next || (i == 0 && r->start == 3),
                   "rows do not tile");
        fuzz_check(r->raw_len <= r->end - r->start &&
                       memcmp(whole.r[i].raw, text + r->start, r->raw_len) == 0,
                   "raw is not the file's text");
        fuzz_check((r->error == 0) == (r->reason == NULL), "reason without error");
        fuzz_check(r->lines >= 1, "lines");
        next = r->end;
        for (size_t k = 0; k < r->nfields; k++)
            fuzz_convert_all(whole.r[i].f[k], whole.r[i].flen[k]);
    }
    trows_free(&whole);

    fuzz_convert_all(text, len);
    in_csv_tz_t *z;
    if (in_csv_tz_from_tzif(&z, data, size, NULL, 0) == 0) {
        for (int64_t u = -4000000000; u < 8000000000; u += 123456789)
            (void)in_csv_tz_local_to_utc(z, u + in_csv_tz_offset_at(z, u));
        in_csv_tz_free(z);
    }
    return 0;
}
