/* test_json_write.c - msgpack values rendered as JSON (json.h's writer half). */
#include <math.h>

#include "igz_test.h"
#include "iguazu/iguazu.h"
#include "mpack.h"

static char *render(const void *mp, size_t n)
{
    static char out[4096];
    igz_value_t v;
    igz_buf_t b = IGZ_BUF_INIT;
    if (igz_value_decode(mp, n, &v) || igz_json_from_value(&v, &b)) {
        igz_buf_free(&b);
        return NULL;
    }
    snprintf(out, sizeof out, "%.*s", (int)b.len, b.data);
    igz_buf_free(&b);
    return out;
}

TEST(scalars_and_containers)
{
    igz_buf_t b = IGZ_BUF_INIT;
    igz__mp_container_hdr(&b, 7, 1);
    igz__mp_str(&b, "s", 1);
    igz__mp_str(&b, "a\"b\\c\n\x01", 7);
    igz__mp_str(&b, "i", 1);
    igz__mp_int(&b, INT64_MIN);
    igz__mp_str(&b, "u", 1);
    igz__mp_uint(&b, UINT64_MAX);
    igz__mp_str(&b, "f", 1);
    igz__mp_float(&b, 0.1);
    igz__mp_str(&b, "nan", 3);
    igz__mp_float(&b, NAN);
    igz__mp_str(&b, "arr", 3);
    igz__mp_container_hdr(&b, 3, 0);
    igz__mp_nil(&b);
    igz__mp_bool(&b, true);
    igz__mp_float(&b, 2.0);
    igz__mp_int(&b, 5); /* a non-string key */
    igz__mp_str(&b, "five", 4);
    CHECK_STR(render(b.data, b.len),
              "{\"s\":\"a\\\"b\\\\c\\n\\u0001\",\"i\":-9223372036854775808,"
              "\"u\":18446744073709551615,\"f\":0.1,\"nan\":null,\"arr\":[null,true,2.0],"
              "\"5\":\"five\"}");
    igz_buf_free(&b);
}

TEST(utf8_is_kept_and_invalid_bytes_replaced)
{
    igz_buf_t out = IGZ_BUF_INIT;
    CHECK_INT(igz_json_quote("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 14, &out), 0);
    CHECK_INT((int)out.len, 16);
    CHECK(memcmp(out.data, "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"", 16) == 0);
    igz_buf_reset(&out);
    /* a lone continuation byte, a truncated sequence, an overlong NUL, a surrogate */
    CHECK_INT(igz_json_quote("a\x80"
                             "b\xe2\x82"
                             "c\xc0\x80"
                             "d\xed\xa0\x80",
                             13, &out),
              0);
    CHECK(strstr(out.data, "a\xef\xbf\xbd"
                           "b") != NULL);
    CHECK(memchr(out.data, 0x80, out.len) == NULL || strstr(out.data, "\xef\xbf\xbd") != NULL);
    int replaced = 0;
    for (size_t i = 0; i + 2 < out.len; i++)
        if (memcmp(out.data + i, "\xef\xbf\xbd", 3) == 0)
            replaced++;
    CHECK_INT(replaced, 1 + 2 + 2 + 3);
    igz_buf_free(&out);
}

TEST(times_and_binary)
{
    igz_buf_t b = IGZ_BUF_INIT;
    igz__mp_container_hdr(&b, 3, 0);
    igz__mp_time(&b, INT64_C(1700000000123456789));
    igz__mp_time(&b, INT64_C(-1)); /* 1969-12-31T23:59:59.999999999Z, as timestamp 96 */
    igz__mp_str_hdr(&b, 4, 1);
    igz_buf_append(&b, "\x00\x01\x02\xff", 4);
    CHECK_STR(render(b.data, b.len),
              "[\"2023-11-14T22:13:20.123456789Z\",\"1969-12-31T23:59:59.999999999Z\","
              "\"AAEC/w==\"]");
    igz_buf_free(&b);
    igz_buf_t t = IGZ_BUF_INIT;
    CHECK_INT(igz_json_time(INT64_C(951782400000000000), &t), 0); /* a leap day */
    CHECK_STR(t.data, "2000-02-29T00:00:00.000000000Z");
    igz_buf_free(&t);
}

TEST(malformed_msgpack_restores_the_buffer)
{
    const char bad[] = {(char)0x92, 0x01}; /* an array of two with one element */
    igz_value_t v = {.type = IGZ_T_ARRAY, .len = 2, .s = bad + 1, .raw = bad, .raw_len = 2};
    igz_buf_t out = IGZ_BUF_INIT;
    igz_buf_append(&out, "keep", 4);
    CHECK(igz_json_from_value(&v, &out) < 0);
    CHECK_INT((int)out.len, 4);
    igz_buf_free(&out);
}

int main(void)
{
    RUN(scalars_and_containers);
    RUN(utf8_is_kept_and_invalid_bytes_replaced);
    RUN(times_and_binary);
    RUN(malformed_msgpack_restores_the_buffer);
    return TEST_SUMMARY();
}
