/* test_toml.c - what the configuration layer relies on from the TOML parser. */
#include "igz_test.h"
#include "iguazu/iguazu.h"
#include "toml.h"

static igz_toml_node_t *parse(const char *text, char *err, size_t errlen)
{
    igz_toml_node_t *root = NULL;
    igz_toml_parse(text, strlen(text), "test.toml", &root, err, errlen);
    return root;
}

TEST(lines_and_file_are_kept)
{
    char err[256];
    igz_toml_node_t *r = parse("# comment\n"
                               "[service]\n"
                               "log_level = \"debug\"\n"
                               "\n"
                               "[[inputs.csv]]\n"
                               "path = \"/a\"\n"
                               "[[inputs.csv]]\n"
                               "path = \"/b\"\n"
                               "types = { Quantity = \"int\", Price = \"float\" }\n",
                               err, sizeof err);
    CHECK(r != NULL);
    if (!r)
        return;
    const igz_conf_t *svc = igz_conf_get(r, "service");
    CHECK_INT(igz_conf_line(svc), 2);
    CHECK_STR(igz_conf_file(svc), "test.toml");
    const igz_conf_t *lvl = igz_conf_get(svc, "log_level");
    CHECK_INT(igz_conf_line(lvl), 3);
    CHECK_STR(igz_conf_str(lvl), "debug");
    const igz_conf_t *csv = igz_conf_get(igz_conf_get(r, "inputs"), "csv");
    CHECK_INT(igz_conf_type(csv), IGZ_CONF_ARRAY);
    CHECK_INT(igz_conf_len(csv), 2);
    const igz_conf_t *second = igz_conf_at(csv, 1);
    CHECK_INT(igz_conf_line(second), 7);
    CHECK_STR(igz_conf_str(igz_conf_get(second, "path")), "/b");
    const igz_conf_t *types = igz_conf_get(second, "types");
    CHECK_INT(igz_conf_type(types), IGZ_CONF_TABLE);
    CHECK_INT(igz_conf_len(types), 2);
    CHECK_STR(igz_conf_key(types, 0), "Quantity");
    CHECK_STR(igz_conf_key(types, 1), "Price");
    CHECK_INT(igz_conf_line(igz_conf_get(types, "Price")), 9);
    CHECK(igz_conf_get(types, "nope") == NULL);
    CHECK(igz_conf_key(types, 2) == NULL);
    CHECK_STR(igz_conf_type_name(IGZ_CONF_TABLE), "table");
    igz_toml_free(r);
}

TEST(scalars)
{
    char err[256];
    igz_toml_node_t *r = parse("i = -0x0\nh = 0xdead_beef\nf = 6.5e-1\nb = true\n"
                               "d = 1979-05-27T07:32:00.5-07:00\nt = 07:32:00\n"
                               "s = '''\nraw \\n'''\nn = +inf\nm = 9_223_372_036_854_775_807\n",
                               err, sizeof err);
    /* "-0x0" is invalid: a sign is not allowed on hex */
    CHECK(r == NULL);
    CHECK_CONTAINS(err, "1: a sign is not allowed");
    r = parse("h = 0xdead_beef\nf = 6.5e-1\nb = true\n"
              "d = 1979-05-27t07:32:00.5-07:00\nt = 07:32:00\n"
              "s = '''\nraw \\n'''\nm = 9_223_372_036_854_775_807\n",
              err, sizeof err);
    CHECK(r != NULL);
    if (!r)
        return;
    CHECK_INT(igz_conf_int(igz_conf_get(r, "h")), 0xdeadbeef);
    CHECK(igz_conf_float(igz_conf_get(r, "f")) == 0.65);
    CHECK(igz_conf_bool(igz_conf_get(r, "b")));
    CHECK_INT(igz_conf_type(igz_conf_get(r, "d")), IGZ_CONF_DATETIME);
    CHECK_STR(igz_conf_str(igz_conf_get(r, "d")), "1979-05-27T07:32:00.5-07:00");
    CHECK_INT(igz_conf_type(igz_conf_get(r, "t")), IGZ_CONF_TIME_LOCAL);
    CHECK_STR(igz_conf_str(igz_conf_get(r, "s")), "raw \\n");
    CHECK_INT(igz_conf_int(igz_conf_get(r, "m")), INT64_MAX);
    CHECK(igz_conf_float(igz_conf_get(r, "h")) == (double)0xdeadbeef);
    CHECK(igz_conf_str(igz_conf_get(r, "h")) == NULL);
    igz_toml_free(r);
}

TEST(errors_carry_lines)
{
    static const struct {
        const char *text;
        const char *msg;
    } cases[] = {
        {"a = 1\na = 2\n", "2: duplicate key \"a\""},
        {"[x]\n[x]\n", "2: table \"x\" is defined twice"},
        {"\n\nkey \"v\"\n", "3: expected '=' after key \"key\""},
        {"a = \"unterminated\n", "1: newline in a single-line string"},
        {"a = 1 b = 2\n", "1: expected the end of the line"},
        {"a = 9223372036854775808\n", "1: integer out of range"},
        {"a = 2023-02-29\n", "1: invalid date"},
        {"a = { b = 1, }\n", "1: trailing comma in an inline table"},
        {"a = [1, 2\n", "expected"},
        {"a = \"\\x41\"\n", "1: invalid escape sequence"},
        {"a = 1\n\xff\n", "2: invalid UTF-8"},
        {"a = {}\n[a.b]\n", "2: \"a\" is already defined as a value"},
        {"x.y = 1\n[x]\n", "2: table \"x\" is defined twice"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char err[256] = "";
        igz_toml_node_t *r = NULL;
        int rc = igz_toml_parse(cases[i].text, strlen(cases[i].text), "t", &r, err, sizeof err);
        CHECK_INT(rc, IGZ_EPARSE);
        CHECK(r == NULL);
        CHECK_CONTAINS(err, cases[i].msg);
    }
}

TEST(big_document_is_fast_enough)
{
    /* 20,000 tables of a few keys: about 1 MB */
    igz_buf_t b = IGZ_BUF_INIT;
    for (int i = 0; i < 20000; i++)
        igz_buf_printf(&b, "[t%d]\nname = \"table %d\"\nvalue = %d.5\nlist = [1, 2, 3]\n", i, i, i);
    char err[256];
    igz_toml_node_t *r = NULL;
    CHECK_INT(igz_toml_parse(b.data, b.len, "big", &r, err, sizeof err), 0);
    CHECK(b.len > 1000000);
    CHECK_INT(igz_conf_len(r), 20000);
    CHECK_STR(igz_conf_str(igz_conf_get(igz_conf_get(r, "t19999"), "name")), "table 19999");
    igz_toml_free(r);
    igz_buf_free(&b);
}

int main(void)
{
    RUN(lines_and_file_are_kept);
    RUN(scalars);
    RUN(errors_carry_lines);
    RUN(big_document_is_fast_enough);
    return TEST_SUMMARY();
}
