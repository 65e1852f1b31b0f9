/*
 * test_csv_oom.c - out of memory at every allocation of in_csv's parsing core.
 *
 * malloc, calloc and realloc are wrapped at link time (-Wl,--wrap); the N-th
 * call fails, once (transient) or from then on (persistent), for N = 1, 2,
 * ... until a run completes untouched. Every run must end in 0 or
 * IGZ_ENOMEM, never crash, and (under ASan) leak nothing.
 */
#include "csv/csv_rows.h"
#include "igz_test.h"
#include "in_csv_types.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t k, size_t n);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t k, size_t n);
void *__wrap_realloc(void *p, size_t n);

static long oom_countdown = -1; /* calls left before failing; -1: never fail */
static bool oom_persistent, oom_fired;

static bool oom_fail(void)
{
    if (oom_countdown < 0)
        return false;
    if (oom_countdown > 0) {
        oom_countdown--;
        return false;
    }
    oom_fired = true;
    if (!oom_persistent)
        oom_countdown = -1;
    return true;
}

void *__wrap_malloc(size_t n)
{
    return oom_fail() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t k, size_t n)
{
    return oom_fail() ? NULL : __real_calloc(k, n);
}

void *__wrap_realloc(void *p, size_t n)
{
    return oom_fail() ? NULL : __real_realloc(p, n);
}

/* Parse and type a text that needs every allocation the core makes. */
static int scenario(size_t *rows)
{
    static const char *specs[] = {"int", "float", "time:%m/%d/%Y %H:%M", "string"};
    in_csv_type_t types[4];
    int rc = 0, ntypes = 0;
    for (; ntypes < 4 && !rc; ntypes++)
        rc = in_csv_type_compile(&types[ntypes], specs[ntypes], "Europe/London", NULL, 0);
    if (rc)
        ntypes--; /* the failed one needs no free */

    igz_buf_t text = IGZ_BUF_INIT;
    if (!rc)
        rc = igz_buf_append_str(&text, "q,p,d,s\n1,2.5,12/1/2010 8:26,\"a \"\"b\"\"\"\n-3,");
    for (int i = 0; i < 300 && !rc; i++) /* a float past the 255-byte stack copy */
        rc = igz_buf_append(&text, i ? "0" : "1", 1);
    if (!rc)
        rc = igz_buf_append_str(&text, ",6/1/2011 8:26,\"long,");
    for (int i = 0; i < 2000 && !rc; i++) /* a row that outgrows the carry buffer */
        rc = igz_buf_append(&text, "x,", 2);
    if (!rc)
        rc = igz_buf_append_str(&text, "\"\n");
    for (int i = 0; i < 100 && !rc; i++) /* a row that outgrows the field arrays */
        rc = igz_buf_append(&text, "1,", 2);
    if (!rc)
        rc = igz_buf_append_str(&text, "1\n");

    trows_t t = {0};
    if (!rc)
        rc = trows_parse(text.data, text.len, NULL, FEED_RANDOM, 5, 97, &t);
    for (size_t r = 1; r < t.n && !rc; r++) {
        for (int c = 0; c < 4 && c < (int)t.r[r].r.nfields && !rc; c++) {
            in_csv_value_t v;
            char why[128];
            int x = in_csv_convert(&types[c], t.r[r].f[c], t.r[r].flen[c], &v, why, sizeof why);
            if (x == IGZ_ENOMEM)
                rc = x;
        }
    }
    *rows = t.n;
    trows_free(&t);
    igz_buf_free(&text);
    for (int k = 0; k < ntypes; k++)
        in_csv_type_free(&types[k]);
    return rc;
}

TEST(untouched_run_is_complete)
{
    size_t rows = 0;
    CHECK_INT(scenario(&rows), 0);
    CHECK_INT(rows, 4);
}

static void every_failure_point(bool persistent)
{
    int bad = 0, points = 0;
    for (long n = 0; n < 100000; n++) {
        oom_countdown = n;
        oom_persistent = persistent;
        oom_fired = false;
        size_t rows = 0;
        int rc = scenario(&rows);
        oom_countdown = -1;
        if (rc != 0 && rc != IGZ_ENOMEM && bad++ < 5)
            fprintf(stderr, "failure at call %ld: %d\n", n, rc);
        if (!oom_fired) {
            CHECK_INT(rc, 0); /* nothing failed: the full result */
            CHECK_INT(rows, 4);
            break;
        }
        points++;
    }
    CHECK_INT(bad, 0);
    CHECK(points > 20); /* the scenario does allocate a lot */
    printf("%s: %d failure points, each ended cleanly\n", persistent ? "persistent" : "transient",
           points);
}

TEST(persistent_failures)
{
    every_failure_point(true);
}

TEST(transient_failures)
{
    every_failure_point(false);
}

int main(void)
{
    RUN(untouched_run_is_complete);
    RUN(persistent_failures);
    RUN(transient_failures);
    return TEST_SUMMARY();
}
