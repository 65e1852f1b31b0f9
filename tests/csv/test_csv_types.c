/*
 * test_csv_types.c - in_csv's typed conversions: int, float, bool, string,
 * time formats, fixed and named zones, and the retail data set's quirks.
 * Numbers and dates are also checked against libc (strtod, timegm,
 * localtime_r) on many generated values.
 */
#include <math.h>
#include <time.h>

#include "csv/csv_rows.h"
#include "igz_test.h"
#include "in_csv_types.h"

static char reason[256];

static in_csv_type_t compile(const char *spec, const char *zone)
{
    in_csv_type_t t;
    char err[256];
    int rc = in_csv_type_compile(&t, spec, zone, err, sizeof err);
    if (rc)
        fprintf(stderr, "compile \"%s\" zone \"%s\": %s\n", spec, zone ? zone : "", err);
    CHECK_INT(rc, 0);
    return t;
}

/* Convert s with t; returns the code, the value in *v and the reason in `reason`. */
static int conv(const in_csv_type_t *t, const char *s, in_csv_value_t *v)
{
    return in_csv_convert(t, s, strlen(s), v, reason, sizeof reason);
}

static int64_t conv_ns(const in_csv_type_t *t, const char *s)
{
    in_csv_value_t v;
    int rc = conv(t, s, &v);
    if (rc)
        fprintf(stderr, "\"%s\": %s\n", s, reason);
    CHECK_INT(rc, 0);
    return rc ? INT64_MIN : v.v.ns;
}

#define SEC 1000000000LL

TEST(integers)
{
    in_csv_type_t t = compile("int", NULL);
    in_csv_value_t v;
    CHECK_INT(conv(&t, "6", &v), 0);
    CHECK_INT(v.v.i, 6);
    CHECK_INT(v.kind, IN_CSV_INT);
    CHECK(!v.null);
    CHECK_INT(conv(&t, "-12", &v), 0); /* a cancellation's quantity */
    CHECK_INT(v.v.i, -12);
    CHECK_INT(conv(&t, " +7\t", &v), 0);
    CHECK_INT(v.v.i, 7);
    CHECK_INT(conv(&t, "9223372036854775807", &v), 0);
    CHECK(v.v.i == INT64_MAX);
    CHECK_INT(conv(&t, "-9223372036854775808", &v), 0);
    CHECK(v.v.i == INT64_MIN);
    CHECK_INT(conv(&t, "", &v), 0); /* an empty CustomerID */
    CHECK(v.null);
    CHECK_INT(conv(&t, "  ", &v), 0);
    CHECK(v.null);

    CHECK_INT(conv(&t, "12a", &v), IGZ_EPARSE);
    CHECK_STR(reason, "invalid integer \"12a\"");
    CHECK_INT(conv(&t, "9223372036854775808", &v), IGZ_ERANGE);
    CHECK_STR(reason, "value out of range \"9223372036854775808\"");
    CHECK_INT(conv(&t, "-9223372036854775809", &v), IGZ_ERANGE);
    CHECK_INT(conv(&t, "99999999999999999999x", &v), IGZ_EPARSE);
    const char *bad[] = {"-", "+", "1.0", "0x10", "1e3", "1 2", "--1", "\xc2\xbd"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        CHECK_INT(conv(&t, bad[i], &v), IGZ_EPARSE);
    CHECK_INT(conv(&t, "\"q\"\x01", &v), IGZ_EPARSE);
    CHECK_STR(reason, "invalid integer \"\\\"q\\\"\\x01\"");
    /* a long value is shortened in the reason */
    char big[300];
    memset(big, '7', sizeof big - 2);
    big[sizeof big - 2] = 'z';
    big[sizeof big - 1] = '\0';
    CHECK_INT(conv(&t, big, &v), IGZ_EPARSE);
    CHECK(strlen(reason) < 100);
    CHECK_CONTAINS(reason, "...\"");
    in_csv_type_free(&t);
}

TEST(floats)
{
    in_csv_type_t t = compile("float", NULL);
    in_csv_value_t v;
    struct {
        const char *s;
        double want;
    } good[] = {{"2.55", 2.55},
                {"-0.5", -0.5},
                {"1e3", 1000},
                {".5", 0.5},
                {"5.", 5},
                {"1E-2", 0.01},
                {"0", 0},
                {"+3.25e+2", 325},
                {"0.000001", 1e-6},
                {"165.0", 165.0},
                {"1e22", 1e22},
                {"1e23", 1e23},
                {"4.9e-324", 4.9e-324},
                {"1.7976931348623157e308", 1.7976931348623157e308},
                {"123456789012345678901234567890", 123456789012345678901234567890.0}};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        CHECK_INT(conv(&t, good[i].s, &v), 0);
        if (v.v.f != good[i].want)
            fprintf(stderr, "\"%s\" -> %.17g\n", good[i].s, v.v.f);
        CHECK(v.v.f == good[i].want);
    }
    CHECK_INT(conv(&t, "NaN", &v), 0);
    CHECK(isnan(v.v.f));
    CHECK_INT(conv(&t, "-inf", &v), 0);
    CHECK(isinf(v.v.f) && v.v.f < 0);
    CHECK_INT(conv(&t, "", &v), 0);
    CHECK(v.null);
    CHECK_INT(conv(&t, "1e999", &v), IGZ_ERANGE);
    CHECK_STR(reason, "value out of range \"1e999\"");
    const char *bad[] = {"abc", "1.2.3", "1e", "1e+", ".", "-", "1,5", "0x1p3", "1 e3", "infx"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        CHECK_INT(conv(&t, bad[i], &v), IGZ_EPARSE);
    CHECK_STR(reason, "invalid float \"infx\"");

    /* the same bits as strtod (C locale) on many generated numbers */
    unsigned s = 7;
    int mismatches = 0;
    for (int i = 0; i < 200000; i++) {
        char buf[64];
        int digits = 1 + (int)(trows_rand(&s) % 20), dot = (int)(trows_rand(&s) % (digits + 1));
        int o = 0;
        if (trows_rand(&s) % 4 == 0)
            buf[o++] = '-';
        for (int k = 0; k < digits; k++) {
            if (k == dot && k)
                buf[o++] = '.';
            buf[o++] = (char)('0' + trows_rand(&s) % 10);
        }
        if (trows_rand(&s) % 3 == 0)
            o += snprintf(buf + o, sizeof buf - (size_t)o, "e%d", (int)(trows_rand(&s) % 80) - 40);
        buf[o] = '\0';
        double want = strtod(buf, NULL);
        if (conv(&t, buf, &v) != 0 || memcmp(&v.v.f, &want, sizeof want) != 0) {
            if (mismatches++ < 5)
                fprintf(stderr, "\"%s\": %.17g, strtod %.17g\n", buf, v.v.f, want);
        }
    }
    CHECK_INT(mismatches, 0);
    in_csv_type_free(&t);
}

TEST(bools_and_strings)
{
    in_csv_type_t t = compile("bool", NULL);
    in_csv_value_t v;
    const char *yes[] = {"true", "TRUE", "True", "1", "yes", "Yes", " yes "};
    const char *no[] = {"false", "FALSE", "0", "no", "NO"};
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
        CHECK_INT(conv(&t, yes[i], &v), 0);
        CHECK(v.v.b == true);
    }
    for (size_t i = 0; i < sizeof no / sizeof *no; i++) {
        CHECK_INT(conv(&t, no[i], &v), 0);
        CHECK(v.v.b == false);
    }
    CHECK_INT(conv(&t, "maybe", &v), IGZ_EPARSE);
    CHECK_STR(reason, "invalid bool \"maybe\"");
    CHECK_INT(conv(&t, "2", &v), IGZ_EPARSE);
    CHECK_INT(conv(&t, "tru", &v), IGZ_EPARSE);
    in_csv_type_free(&t);

    t = compile("string", NULL);
    const char *s = " CAF\xc3\x89 \xe2\x82\xac ";
    CHECK_INT(conv(&t, s, &v), 0);
    CHECK_INT(v.kind, IN_CSV_STRING);
    CHECK(v.v.s.data == s && v.v.s.len == strlen(s)); /* untouched, not trimmed */
    CHECK_INT(conv(&t, "", &v), 0);
    CHECK(!v.null && v.v.s.len == 0);
    in_csv_type_free(&t);
}

TEST(type_spec_errors)
{
    in_csv_type_t t;
    char err[256];
    CHECK_INT(in_csv_type_compile(&t, "integer", NULL, err, sizeof err), IGZ_EINVAL);
    CHECK_STR(err, "unknown type \"integer\" (expected string, int, float, bool or time:FORMAT)");
    CHECK_INT(in_csv_type_compile(&t, "time:", NULL, err, sizeof err), IGZ_EINVAL);
    CHECK_CONTAINS(err, "empty time format");
    CHECK_INT(in_csv_type_compile(&t, "time:%Y-%Q", NULL, err, sizeof err), IGZ_EINVAL);
    CHECK_STR(err, "unknown conversion \"%Q\" in time format \"%Y-%Q\"");
    CHECK_INT(in_csv_type_compile(&t, "time:%Y%", NULL, err, sizeof err), IGZ_EINVAL);
    CHECK_CONTAINS(err, "lone %");
    CHECK_INT(in_csv_type_compile(&t, "time:%T%T%T%T%T%T%T%T%T%T", NULL, err, sizeof err),
              IGZ_EINVAL);
    CHECK_CONTAINS(err, "too long");
    CHECK_INT(in_csv_type_compile(&t, "time:%Y", "Mars/Olympus", err, sizeof err), IGZ_ENOENT);
    CHECK_STR(err, "unknown time zone \"Mars/Olympus\" (expected UTC, an offset like +02:00 or "
                   "a tz database name)");
    CHECK_INT(in_csv_type_compile(&t, "time:%Y", "../../etc/passwd", err, sizeof err), IGZ_EINVAL);
    CHECK_INT(in_csv_type_compile(&t, "time:%Y", "+25:00", err, sizeof err), IGZ_EINVAL);
    CHECK_INT(in_csv_type_compile(&t, NULL, NULL, NULL, 0), IGZ_EINVAL);
}

TEST(retail_dates)
{
    in_csv_type_t t = compile("time:%m/%d/%Y %H:%M", NULL);
    CHECK_INT(conv_ns(&t, "12/1/2010 8:26"), 1291191960 * SEC);
    CHECK_INT(conv_ns(&t, "12/09/2011 12:50"), 1323435000 * SEC);
    CHECK_INT(conv_ns(&t, "2/29/2012 0:00"), 1330473600 * SEC); /* leap year */
    CHECK_INT(conv_ns(&t, "2/29/2000 23:59"), 951868740 * SEC); /* divisible by 400 */
    in_csv_value_t v;
    CHECK_INT(conv(&t, "2/29/2011 8:26", &v), IGZ_EPARSE);
    CHECK_STR(reason, "invalid time \"2/29/2011 8:26\": day out of range for the month");
    CHECK_INT(conv(&t, "2/29/1900 8:26", &v), IGZ_EPARSE); /* divisible by 100 */
    CHECK_INT(conv(&t, "4/31/2011 8:26", &v), IGZ_EPARSE);
    CHECK_INT(conv(&t, "13/1/2010 8:26", &v), IGZ_EPARSE);
    CHECK_CONTAINS(reason, "month out of range");
    CHECK_INT(conv(&t, "12/1/2010 24:00", &v), IGZ_EPARSE);
    CHECK_CONTAINS(reason, "hour out of range");
    CHECK_INT(conv(&t, "12/1/2010 8:60", &v), IGZ_EPARSE);
    CHECK_INT(conv(&t, "12/1/2010", &v), IGZ_EPARSE);
    CHECK_STR(reason, "invalid time \"12/1/2010\": expected the hour (%H or %I)");
    CHECK_INT(conv(&t, "12/1/2010 8:26:00", &v), IGZ_EPARSE);
    CHECK_CONTAINS(reason, "trailing text");
    CHECK_INT(conv(&t, "12-1-2010 8:26", &v), IGZ_EPARSE);
    CHECK_CONTAINS(reason, "does not match the format");
    CHECK_INT(conv(&t, "1/1/1600 0:00", &v), IGZ_ERANGE);
    CHECK_STR(reason, "value out of range \"1/1/1600 0:00\": outside the years 1677 to 2262");
    CHECK_INT(conv(&t, "", &v), 0);
    CHECK(v.null);
    in_csv_type_free(&t);
}

TEST(time_conversions)
{
    in_csv_type_t t = compile("time:%Y-%m-%dT%H:%M:%S%z", NULL);
    int64_t base = 1709632800 * SEC; /* 2024-03-05 10:00:00 UTC */
    CHECK_INT(conv_ns(&t, "2024-03-05T10:00:00Z"), base);
    CHECK_INT(conv_ns(&t, "2024-03-05T15:30:00+05:30"), base);
    CHECK_INT(conv_ns(&t, "2024-03-05T02:00:00-0800"), base);
    CHECK_INT(conv_ns(&t, "2024-03-05T12:00:00+02"), base);
    in_csv_value_t v;
    CHECK_INT(conv(&t, "2024-03-05T10:00:00", &v), IGZ_EPARSE);
    CHECK_CONTAINS(reason, "expected a zone offset");
    CHECK_INT(conv(&t, "2024-03-05T10:00:00+24:00", &v), IGZ_EPARSE);
    in_csv_type_free(&t);

    t = compile("time:%d-%b-%y", NULL);
    CHECK_INT(conv_ns(&t, "01-Dec-10"), 1291161600 * SEC);
    CHECK_INT(conv_ns(&t, "1-DECEMBER-10"), 1291161600 * SEC);
    CHECK_INT(conv_ns(&t, "1-jan-70"), 0);
    CHECK_INT(conv_ns(&t, "1-jan-68"), 3092601600 * SEC); /* 2068 */
    CHECK_INT(conv(&t, "1-Foo-10", &v), IGZ_EPARSE);
    CHECK_CONTAINS(reason, "unknown month name");
    in_csv_type_free(&t);

    t = compile("time:%a, %e %B %Y %I:%M %p", NULL);
    CHECK_INT(conv_ns(&t, "Wed,  1 December 2010 12:30 AM"), (1291161600 + 1800) * SEC);
    CHECK_INT(conv_ns(&t, "wednesday, 1 December 2010 12:30 pm"), (1291161600 + 45000) * SEC);
    CHECK_INT(conv_ns(&t, "Wed, 1 December 2010 1:05 PM"), (1291161600 + 46800 + 300) * SEC);
    CHECK_INT(conv(&t, "Wed, 1 December 2010 13:05 PM", &v), IGZ_EPARSE);
    in_csv_type_free(&t);

    t = compile("time:%Y %j", NULL);
    CHECK_INT(conv_ns(&t, "2012 060"), 1330473600 * SEC); /* Feb 29 */
    CHECK_INT(conv_ns(&t, "2012 366"), 1356912000 * SEC);
    CHECK_INT(conv(&t, "2011 366", &v), IGZ_EPARSE);
    in_csv_type_free(&t);

    t = compile("time:%F %T.%f", NULL);
    CHECK_INT(conv_ns(&t, "1970-01-01 00:00:01.5"), SEC + 500000000);
    CHECK_INT(conv_ns(&t, "1970-01-01 00:00:00.123456789123"), 123456789);
    CHECK_INT(conv_ns(&t, "1969-12-31 23:59:59.25"), -750000000);
    CHECK_INT(conv_ns(&t, "2262-04-11 23:47:16.854775807"), INT64_MAX);
    CHECK_INT(conv(&t, "2262-04-11 23:47:16.854775808", &v), IGZ_ERANGE);
    in_csv_type_free(&t);

    t = compile("time:%s.%f", NULL);
    CHECK_INT(conv_ns(&t, "1291191960.25"), 1291191960 * SEC + 250000000);
    CHECK_INT(conv_ns(&t, "-1.5"), -SEC - 500000000);
    in_csv_type_free(&t);

    t = compile("time:%D %R %%", NULL);
    CHECK_INT(conv_ns(&t, "12/01/10 08:26 %"), 1291191960 * SEC);
    in_csv_type_free(&t);
}

/* Every date of 1678..2261 (sampled) against timegm(), written without zero padding. */
TEST(time_matches_timegm)
{
    in_csv_type_t t = compile("time:%m/%d/%Y %H:%M:%S", NULL);
    unsigned s = 99;
    int bad = 0;
    for (int i = 0; i < 200000; i++) {
        struct tm tm = {0};
        tm.tm_year = 1678 + (int)(trows_rand(&s) % 584) - 1900;
        tm.tm_mon = (int)(trows_rand(&s) % 12);
        tm.tm_mday = 1 + (int)(trows_rand(&s) % 28);
        tm.tm_hour = (int)(trows_rand(&s) % 24);
        tm.tm_min = (int)(trows_rand(&s) % 60);
        tm.tm_sec = (int)(trows_rand(&s) % 60);
        char buf[64];
        snprintf(buf, sizeof buf, "%d/%d/%d %d:%d:%d", tm.tm_mon + 1, tm.tm_mday, tm.tm_year + 1900,
                 tm.tm_hour, tm.tm_min, tm.tm_sec);
        int64_t want = (int64_t)timegm(&tm) * SEC;
        in_csv_value_t v;
        if (conv(&t, buf, &v) != 0 || v.v.ns != want) {
            if (bad++ < 5)
                fprintf(stderr, "\"%s\": %s\n", buf, reason);
        }
    }
    CHECK_INT(bad, 0);
    in_csv_type_free(&t);
}

TEST(fixed_zones)
{
    in_csv_type_t t = compile("time:%m/%d/%Y %H:%M", "+02:00");
    CHECK_INT(conv_ns(&t, "12/1/2010 8:26"), (1291191960 - 7200) * SEC);
    in_csv_type_free(&t);
    t = compile("time:%m/%d/%Y %H:%M", "-0530");
    CHECK_INT(conv_ns(&t, "12/1/2010 8:26"), (1291191960 + 19800) * SEC);
    in_csv_type_free(&t);
    t = compile("time:%m/%d/%Y %H:%M", "UTC");
    CHECK_INT(conv_ns(&t, "12/1/2010 8:26"), 1291191960 * SEC);
    in_csv_type_free(&t);
    /* %z in the value wins over the configured zone */
    t = compile("time:%H:%M%z", "+02:00");
    CHECK_INT(conv_ns(&t, "01:00+01:00"), 0);
    in_csv_type_free(&t);
}

TEST(named_zones)
{
    in_csv_type_t t = compile("time:%m/%d/%Y %H:%M", "Europe/London");
    CHECK_INT(conv_ns(&t, "12/1/2010 8:26"), 1291191960 * SEC); /* GMT */
    CHECK_INT(conv_ns(&t, "6/1/2011 8:26"), 1306913160 * SEC);  /* BST: 07:26 UTC */
    /* 2024-03-31 01:30 does not exist (01:00 GMT -> 02:00 BST): read as 02:30 BST */
    CHECK_INT(conv_ns(&t, "3/31/2024 1:30"), 1711848600 * SEC);
    /* 2024-10-27 01:30 happens twice: the first, in BST */
    CHECK_INT(conv_ns(&t, "10/27/2024 1:30"), 1729989000 * SEC);
    CHECK_INT(conv_ns(&t, "7/1/2050 12:00"), 2540286000 * SEC); /* past the file: the rule */
    in_csv_type_free(&t);

    t = compile("time:%Y-%m-%d %H:%M", "America/New_York");
    CHECK_INT(conv_ns(&t, "2050-07-01 12:00"), 2540304000 * SEC);
    CHECK_INT(conv_ns(&t, "2050-01-01 12:00"), 2524669200 * SEC);
    in_csv_type_free(&t);
    t = compile("time:%Y-%m-%d %H:%M", "Australia/Sydney"); /* summer time over new year */
    CHECK_INT(conv_ns(&t, "2050-01-01 12:00"), 2524611600 * SEC);
    CHECK_INT(conv_ns(&t, "2050-07-01 12:00"), 2540253600 * SEC);
    in_csv_type_free(&t);
}

/* Offsets against glibc's own reading of the same zones, 1900..2200. */
TEST(zone_offsets_match_libc)
{
    const char *zones[] = {"Europe/London",    "America/New_York",  "Australia/Sydney",
                           "Asia/Kolkata",     "America/Sao_Paulo", "Pacific/Chatham",
                           "America/Nuuk",     "Europe/Dublin",     "Africa/Casablanca",
                           "America/Santiago", "Asia/Tehran",       "Pacific/Apia"};
    char *old = getenv("TZ") ? strdup(getenv("TZ")) : NULL;
    unsigned s = 4242;
    int bad = 0;
    for (size_t z = 0; z < sizeof zones / sizeof *zones; z++) {
        in_csv_tz_t *tz;
        char err[256];
        int rc = in_csv_tz_load(&tz, zones[z], err, sizeof err);
        CHECK_INT(rc, 0);
        if (rc)
            continue;
        setenv("TZ", zones[z], 1);
        tzset();
        for (int i = 0; i < 20000; i++) {
            int64_t u =
                -2208988800LL +
                (int64_t)(((uint64_t)trows_rand(&s) << 32 | trows_rand(&s)) % UINT64_C(9467280000));
            time_t tt = (time_t)u;
            struct tm tm;
            localtime_r(&tt, &tm);
            int32_t off = in_csv_tz_offset_at(tz, u);
            if (off != tm.tm_gmtoff && bad++ < 5)
                fprintf(stderr, "%s at %lld: %d, libc %ld\n", zones[z], (long long)u, off,
                        tm.tm_gmtoff);
            /* local -> UTC lands on a time that shows the same wall clock */
            int64_t local = u + off, back = in_csv_tz_local_to_utc(tz, local);
            if ((back + in_csv_tz_offset_at(tz, back) != local || back > u) && bad++ < 5)
                fprintf(stderr, "%s local %lld: back %lld, from %lld\n", zones[z], (long long)local,
                        (long long)back, (long long)u);
        }
        in_csv_tz_free(tz);
    }
    if (old) {
        setenv("TZ", old, 1);
        free(old);
    } else {
        unsetenv("TZ");
    }
    tzset();
    CHECK_INT(bad, 0);
}

/* A "slim" TZif: no transitions, only the footer rule. */
TEST(tzif_footer_only_and_bad_files)
{
    unsigned char f[256];
    size_t n = 0;
    for (int part = 0; part < 2; part++) {
        memcpy(f + n, "TZif2", 5);
        memset(f + n + 5, 0, 15);
        n += 20;
        uint32_t cnt[6] = {0, 0, 0, 0, 1, 4};
        for (int k = 0; k < 6; k++, n += 4) {
            f[n] = f[n + 1] = f[n + 2] = 0;
            f[n + 3] = (unsigned char)cnt[k];
        }
        memset(f + n, 0, 6); /* one type: offset 0, not dst, name 0 */
        n += 6;
        memcpy(f + n, "GMT", 4);
        n += 4;
    }
    const char *rule = "\nGMT0BST,M3.5.0/1,M10.5.0\n";
    memcpy(f + n, rule, strlen(rule));
    n += strlen(rule);
    in_csv_tz_t *slim, *fat;
    CHECK_INT(in_csv_tz_from_tzif(&slim, f, n, NULL, 0), 0);
    CHECK_INT(in_csv_tz_load(&fat, "Europe/London", NULL, 0), 0);
    int bad = 0;
    for (int64_t u = 1000000000; u < 2100000000; u += 3607 * 11)
        bad += in_csv_tz_offset_at(slim, u) != in_csv_tz_offset_at(fat, u);
    CHECK_INT(bad, 0);
    CHECK_INT(in_csv_tz_offset_at(slim, 1306913160), 3600);
    in_csv_tz_free(fat);
    in_csv_tz_free(slim);

    char err[128];
    in_csv_tz_t *z = NULL;
    for (size_t cut = 0; cut < n - 1; cut += 7) /* every truncation is refused or harmless */
        if (in_csv_tz_from_tzif(&z, f, cut, err, sizeof err) == 0)
            in_csv_tz_free(z);
    CHECK_INT(in_csv_tz_from_tzif(&z, (const unsigned char *)"TZif", 4, err, sizeof err),
              IGZ_EINVAL);
    CHECK_STR(err, "not a valid TZif time zone file");
    f[n - 3] = '!'; /* a broken rule */
    CHECK_INT(in_csv_tz_from_tzif(&z, f, n, err, sizeof err), IGZ_EINVAL);
}

/* The retail file's quirks, parsed and typed column by column. */
TEST(retail_rows_typed)
{
    const char *text =
        "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\r\n"
        "536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,12/1/2010 8:26,2.55,17850,United "
        "Kingdom\r\n"
        "C536379,D,Discount,-1,12/1/2010 9:41,27.5,14527,United Kingdom\r\n"
        "536414,22139,,56,12/1/2010 11:52,0,,United Kingdom\r\n"
        "536520,21123,\"SET/10 IVORY POLKADOT PARTY CANDLES, BOXED\",1,12/1/2010 12:43,1.25,14729,"
        "United Kingdom\r\n"
        "537000,90210,CAF\xc3\x89 \xe2\x82\xac MUG,2,12/3/2010 16:04,3.75,12345,Fran\xc3\xa7"
        "e\r\n"
        "537001,X,BAD,1O,12/33/2010 8:00,1.2.3,12a,Nowhere\r\n";
    const char *specs[8] = {"string", "string", "string", "int", "time:%m/%d/%Y %H:%M",
                            "float",  "int",    "string"};
    in_csv_type_t types[8];
    for (int c = 0; c < 8; c++)
        types[c] = compile(specs[c], "Europe/London");
    trows_t t = {0};
    CHECK_INT(trows_parse(text, strlen(text), NULL, FEED_RANDOM, 3, 40, &t), 0);
    CHECK_INT(t.n, 7);
    in_csv_value_t v[7][8];
    int rc[7][8];
    for (size_t r = 1; r < t.n && r < 7; r++) {
        CHECK_INT(t.r[r].r.nfields, 8);
        for (int c = 0; c < 8 && (size_t)c < t.r[r].r.nfields; c++)
            rc[r][c] = in_csv_convert(&types[c], t.r[r].f[c], t.r[r].flen[c], &v[r][c], NULL, 0);
    }
    if (t.n == 7) {
        for (int r = 1; r <= 5; r++)
            for (int c = 0; c < 8; c++)
                CHECK_INT(rc[r][c], 0);
        CHECK_INT(v[1][3].v.i, 6);
        CHECK_INT(v[1][4].v.ns, 1291191960 * SEC);
        CHECK(v[1][5].v.f == 2.55);
        CHECK_INT(v[1][6].v.i, 17850);
        CHECK_STR(t.r[2].f[0], "C536379"); /* a cancellation */
        CHECK_INT(v[2][3].v.i, -1);
        CHECK_INT(v[3][2].v.s.len, 0); /* empty description */
        CHECK(v[3][6].null);           /* empty CustomerID */
        CHECK(v[3][5].v.f == 0.0);
        CHECK_STR(t.r[4].f[2], "SET/10 IVORY POLKADOT PARTY CANDLES, BOXED");
        CHECK_STR(t.r[5].f[2], "CAF\xc3\x89 \xe2\x82\xac MUG");
        CHECK_STR(t.r[5].f[7], "Fran\xc3\xa7"
                               "e");
        CHECK_INT(rc[6][3], IGZ_EPARSE);
        CHECK_INT(rc[6][4], IGZ_EPARSE);
        CHECK_INT(rc[6][5], IGZ_EPARSE);
        CHECK_INT(rc[6][6], IGZ_EPARSE);
        char why[128];
        in_csv_value_t x;
        in_csv_convert(&types[4], t.r[6].f[4], t.r[6].flen[4], &x, why, sizeof why);
        CHECK_STR(why, "invalid time \"12/33/2010 8:00\": day out of range");
    }
    trows_free(&t);
    for (int c = 0; c < 8; c++)
        in_csv_type_free(&types[c]);
}

int main(void)
{
    RUN(integers);
    RUN(floats);
    RUN(bools_and_strings);
    RUN(type_spec_errors);
    RUN(retail_dates);
    RUN(time_conversions);
    RUN(time_matches_timegm);
    RUN(fixed_zones);
    RUN(named_zones);
    RUN(zone_offsets_match_libc);
    RUN(tzif_footer_only_and_bad_files);
    RUN(retail_rows_typed);
    return TEST_SUMMARY();
}
