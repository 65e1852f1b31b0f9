/* test_units.c - durations, sizes, globs and the closest-key suggestion. */
#include "igz_test.h"
#include "internal.h"

TEST(durations)
{
    int64_t ms;
    CHECK_INT(igz_parse_duration("250ms", &ms), 0);
    CHECK_INT(ms, 250);
    CHECK_INT(igz_parse_duration("10s", &ms), 0);
    CHECK_INT(ms, 10000);
    CHECK_INT(igz_parse_duration("5m", &ms), 0);
    CHECK_INT(ms, 300000);
    CHECK_INT(igz_parse_duration("24h", &ms), 0);
    CHECK_INT(ms, 86400000);
    CHECK_INT(igz_parse_duration("1h30m", &ms), 0);
    CHECK_INT(ms, 5400000);
    CHECK_INT(igz_parse_duration("1.5s", &ms), 0);
    CHECK_INT(ms, 1500);
    CHECK_INT(igz_parse_duration("2d", &ms), 0);
    CHECK_INT(ms, 172800000);
    CHECK(igz_parse_duration("10", &ms) == IGZ_EINVAL);
    CHECK(igz_parse_duration("", &ms) == IGZ_EINVAL);
    CHECK(igz_parse_duration("10 s", &ms) == IGZ_EINVAL);
    CHECK(igz_parse_duration("10y", &ms) == IGZ_EINVAL);
    CHECK(igz_parse_duration("-1s", &ms) == IGZ_EINVAL);
    CHECK(igz_parse_duration("99999999999999999d", &ms) == IGZ_ERANGE);
}

TEST(sizes)
{
    int64_t b;
    CHECK_INT(igz_parse_size("512", &b), 0);
    CHECK_INT(b, 512);
    CHECK_INT(igz_parse_size("512KiB", &b), 0);
    CHECK_INT(b, 524288);
    CHECK_INT(igz_parse_size("5MiB", &b), 0);
    CHECK_INT(b, 5242880);
    CHECK_INT(igz_parse_size("1GB", &b), 0);
    CHECK_INT(b, 1000000000);
    CHECK_INT(igz_parse_size("2mb", &b), 0);
    CHECK_INT(b, 2000000);
    CHECK_INT(igz_parse_size("1.5KiB", &b), 0);
    CHECK_INT(b, 1536);
    CHECK(igz_parse_size("5 potatoes", &b) == IGZ_EINVAL);
    CHECK(igz_parse_size("MiB", &b) == IGZ_EINVAL);
    CHECK(igz_parse_size("99999999TiB", &b) == IGZ_ERANGE);
}

TEST(globs)
{
    CHECK(igz__glob_match("*", "anything"));
    CHECK(igz__glob_match("*", ""));
    CHECK(igz__glob_match("events.*", "events.page_view"));
    CHECK(!igz__glob_match("events.*", "orders"));
    CHECK(igz__glob_match("*.rejects", "sales.rejects"));
    CHECK(!igz__glob_match("*.rejects", "sales.rejects.x"));
    CHECK(igz__glob_match("a*b*c", "aXXbYYc"));
    CHECK(!igz__glob_match("a*b*c", "aXXbYY"));
    CHECK(igz__glob_match("ord?rs", "orders"));
    CHECK(igz__glob_match("orders", "orders"));
    CHECK(!igz__glob_match("orders", "orders2"));
}

TEST(closest)
{
    const char *keys[] = {"path", "delimiter", "header", "columns"};
    CHECK_STR(igz__closest("pth", keys, 4), "path");
    CHECK_STR(igz__closest("delimeter", keys, 4), "delimiter");
    CHECK_STR(igz__closest("colums", keys, 4), "columns");
    CHECK(igz__closest("zzzzzzzz", keys, 4) == NULL);
}

TEST(errors_have_names)
{
    CHECK_STR(igz_err_name(IGZ_ENOMEM), "ENOMEM");
    CHECK_STR(igz_strerror(IGZ_EABI), "incompatible plugin ABI");
    CHECK_STR(igz_strerror(12345), "unknown error");
}

int main(void)
{
    RUN(durations);
    RUN(sizes);
    RUN(globs);
    RUN(closest);
    RUN(errors_have_names);
    return TEST_SUMMARY();
}
