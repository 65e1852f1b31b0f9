/* test_record.c - the record writer and reader, cross-checked with msgpack-c. */
#include <msgpack.h>

#include "igz_test.h"
#include "iguazu/iguazu.h"

/* Decode the whole buffer with msgpack-c and return the number of objects. */
static int mp_count(const char *p, size_t n)
{
    msgpack_unpacked u;
    msgpack_unpacked_init(&u);
    size_t off = 0;
    int count = 0;
    while (off < n) {
        if (msgpack_unpack_next(&u, p, n, &off) != MSGPACK_UNPACK_SUCCESS) {
            count = -1;
            break;
        }
        count++;
    }
    msgpack_unpacked_destroy(&u);
    return count;
}

TEST(writes_and_reads_a_record)
{
    igz_writer_t w;
    igz_writer_init(&w);
    igz_time_t t = INT64_C(1700000000123456789);
    CHECK_INT(igz_record_begin(&w, t), 0);
    igz_w_keyz(&w, "source");
    igz_w_strz(&w, "test");
    CHECK_INT(igz_record_body(&w), 0);
    igz_w_keyz(&w, "seq");
    igz_w_int(&w, -5);
    igz_w_keyz(&w, "big");
    igz_w_uint(&w, UINT64_MAX);
    igz_w_keyz(&w, "pi");
    igz_w_float(&w, 3.25);
    igz_w_keyz(&w, "ok");
    igz_w_bool(&w, true);
    igz_w_keyz(&w, "none");
    igz_w_nil(&w);
    igz_w_keyz(&w, "nested");
    igz_w_map_begin(&w);
    igz_w_keyz(&w, "a");
    igz_w_array_begin(&w);
    igz_w_int(&w, 1);
    igz_w_int(&w, 2);
    igz_w_array_end(&w);
    igz_w_map_end(&w);
    CHECK_INT(igz_record_end(&w), 0);
    CHECK_INT(w.records, 1);
    CHECK_INT(mp_count(w.buf.data, w.buf.len), 1);

    igz_reader_t r;
    igz_record_t rec;
    igz_reader_init(&r, w.buf.data, w.buf.len);
    CHECK_INT(igz_reader_next(&r, &rec), 1);
    CHECK_INT(rec.time, t);
    CHECK_INT(rec.meta.len, 1);
    CHECK_INT(rec.body.len, 6);
    igz_value_t v;
    CHECK_INT(igz_map_get(&rec.body, "seq", 3, &v), 1);
    CHECK_INT(v.type, IGZ_T_INT);
    CHECK_INT(v.v.i, -5);
    CHECK_INT(igz_map_get(&rec.body, "big", 3, &v), 1);
    CHECK_INT(v.type, IGZ_T_UINT);
    CHECK(v.v.u == UINT64_MAX);
    CHECK_INT(igz_map_get(&rec.body, "pi", 2, &v), 1);
    CHECK(v.type == IGZ_T_FLOAT && v.v.f == 3.25);
    CHECK_INT(igz_map_get_path(&rec.body, "nested.a", &v), 1);
    CHECK_INT(v.type, IGZ_T_ARRAY);
    CHECK_INT(v.len, 2);
    CHECK_INT(igz_map_get(&rec.body, "missing", 7, &v), 0);
    CHECK_INT(igz_map_get(&rec.meta, "source", 6, &v), 1);
    CHECK(igz_value_str_eq(&v, "test", 4));
    CHECK_INT(igz_reader_next(&r, &rec), 0);
    igz_writer_free(&w);
}

TEST(big_containers_get_big_headers)
{
    static const uint32_t sizes[] = {15, 16, 65535, 65536, 70000};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        igz_writer_t w;
        igz_writer_init(&w);
        igz_record_begin(&w, 0);
        igz_record_body(&w);
        igz_w_keyz(&w, "list");
        igz_w_array_begin(&w);
        for (uint32_t i = 0; i < sizes[s]; i++)
            igz_w_uint(&w, i);
        igz_w_array_end(&w);
        igz_w_keyz(&w, "after");
        igz_w_strz(&w, "x");
        for (uint32_t i = 0; i < 20; i++) { /* the body itself becomes a map16 */
            char k[8];
            snprintf(k, sizeof k, "k%u", i);
            igz_w_keyz(&w, k);
            igz_w_uint(&w, i);
        }
        CHECK_INT(igz_record_end(&w), 0);
        CHECK_INT(mp_count(w.buf.data, w.buf.len), 1);
        igz_reader_t r;
        igz_record_t rec;
        igz_reader_init(&r, w.buf.data, w.buf.len);
        CHECK_INT(igz_reader_next(&r, &rec), 1);
        igz_value_t v;
        CHECK_INT(igz_map_get(&rec.body, "list", 4, &v), 1);
        CHECK_INT(v.len, sizes[s]);
        igz_iter_t it;
        igz_value_t e;
        uint32_t n = 0;
        igz_iter_init(&it, &v);
        while (igz_iter_next(&it, NULL, &e) == 1) {
            if (e.v.i != (int64_t)n)
                break;
            n++;
        }
        CHECK_INT(n, sizes[s]);
        CHECK_INT(igz_map_get(&rec.body, "k19", 3, &v), 1);
        CHECK_INT(v.v.i, 19);
        CHECK_INT(igz_map_get(&rec.body, "after", 5, &v), 1);
        CHECK(igz_value_str_eq(&v, "x", 1));
        igz_writer_free(&w);
    }
}

TEST(unfinished_record_is_dropped)
{
    igz_writer_t w;
    igz_writer_init(&w);
    igz_record_begin(&w, 1);
    igz_record_body(&w);
    igz_w_keyz(&w, "a");
    igz_w_int(&w, 1);
    igz_record_end(&w);
    size_t good = w.buf.len;
    igz_record_begin(&w, 2);
    igz_record_body(&w);
    igz_w_keyz(&w, "dangling"); /* a key without a value */
    CHECK(igz_record_end(&w) == IGZ_EINVAL);
    CHECK_INT(w.buf.len, good);
    CHECK_INT(w.records, 1);
    CHECK_INT(igz_writer_error(&w), 0);
    /* misuse: closing a map that was never opened is an error, sticky until record end */
    igz_record_begin(&w, 3);
    igz_record_body(&w);
    CHECK(igz_w_map_end(&w) == IGZ_EINVAL);
    CHECK(igz_w_int(&w, 1) == IGZ_EINVAL);
    CHECK(igz_record_end(&w) == IGZ_EINVAL);
    CHECK_INT(w.buf.len, good);
    igz_writer_free(&w);
}

TEST(timestamps_of_every_size)
{
    /* 32-bit seconds only, 64-bit with nanoseconds, 96-bit for negative times */
    igz_time_t times[] = {0, INT64_C(1000000000), INT64_C(1700000000999999999),
                          INT64_C(-1500000000), INT64_C(9000000000000000000) /* year 2255 */};
    for (size_t i = 0; i < sizeof times / sizeof times[0]; i++) {
        igz_writer_t w;
        igz_writer_init(&w);
        igz_record_begin(&w, times[i]);
        igz_record_body(&w);
        CHECK_INT(igz_record_end(&w), 0);
        igz_reader_t r;
        igz_record_t rec;
        igz_reader_init(&r, w.buf.data, w.buf.len);
        CHECK_INT(igz_reader_next(&r, &rec), 1);
        CHECK_INT(rec.time, times[i]);
        CHECK_INT(mp_count(w.buf.data, w.buf.len), 1);
        igz_writer_free(&w);
    }
    /* a hand-made timestamp 32 */
    const char ts32[] = {(char)0xd6, (char)0xff, 0, 0, 0, 10};
    igz_value_t v;
    CHECK_INT(igz_value_decode(ts32, sizeof ts32, &v), 0);
    CHECK_INT(v.type, IGZ_T_TIME);
    CHECK_INT(v.v.t, INT64_C(10000000000));
}

TEST(malformed_batches_are_errors)
{
    igz_writer_t w;
    igz_writer_init(&w);
    for (int i = 0; i < 3; i++) {
        igz_record_begin(&w, i);
        igz_record_body(&w);
        igz_w_keyz(&w, "text");
        igz_w_strz(&w, "hello world");
        igz_record_end(&w);
    }
    CHECK_INT(igz_batch_count(w.buf.data, w.buf.len), 3);
    /* every truncation is an error, never a crash or a wrong count */
    for (size_t cut = 1; cut < w.buf.len; cut++) {
        int64_t n = igz_batch_count(w.buf.data, w.buf.len - cut);
        CHECK(n < 0 || n < 3);
        if ((w.buf.len - cut) % (w.buf.len / 3) != 0)
            CHECK(n < 0);
    }
    /* not a record: an int */
    const char notrec[] = {0x05};
    CHECK(igz_batch_count(notrec, 1) == IGZ_EPARSE);
    const char never[] = {(char)0xc1};
    igz_value_t v;
    CHECK(igz_value_decode(never, 1, &v) == IGZ_EPARSE);
    /* an array claiming 2^32-1 elements in 5 bytes */
    const char huge[] = {(char)0xdd, (char)0xff, (char)0xff, (char)0xff, (char)0xff};
    CHECK(igz_value_decode(huge, sizeof huge, &v) == IGZ_EEOF);
    igz_writer_free(&w);
}

TEST(deep_nesting_is_bounded)
{
    char buf[2000];
    memset(buf, 0x91, sizeof buf); /* fixarray of one, nested */
    buf[sizeof buf - 1] = 0x01;
    igz_value_t v;
    CHECK(igz_value_decode(buf, sizeof buf, &v) == IGZ_EPARSE);
    CHECK_INT(igz_value_decode(buf + sizeof buf - 100, 100, &v), 0);
    igz_writer_t w;
    igz_writer_init(&w);
    igz_record_begin(&w, 0);
    igz_record_body(&w);
    igz_w_keyz(&w, "k");
    int rc = 0;
    for (int i = 0; i < 40 && !rc; i++)
        rc = igz_w_array_begin(&w);
    CHECK(rc == IGZ_ERANGE);
    CHECK(igz_record_end(&w) == IGZ_ERANGE);
    CHECK_INT(w.buf.len, 0);
    igz_writer_free(&w);
}

TEST(raw_msgpack_values_are_checked)
{
    igz_writer_t w;
    igz_writer_init(&w);
    igz_record_begin(&w, 0);
    igz_record_body(&w);
    igz_w_keyz(&w, "ok");
    const char good[] = {(char)0x92, 1, 2};
    CHECK_INT(igz_w_msgpack(&w, good, sizeof good), 0);
    CHECK_INT(igz_record_end(&w), 0);
    igz_record_begin(&w, 0);
    igz_record_body(&w);
    igz_w_keyz(&w, "bad");
    const char two[] = {1, 2}; /* two values */
    CHECK(igz_w_msgpack(&w, two, sizeof two) == IGZ_EPARSE);
    CHECK(igz_record_end(&w) == IGZ_EPARSE);
    CHECK_INT(w.records, 1);
    /* record_copy keeps a record byte for byte */
    igz_writer_t w2;
    igz_writer_init(&w2);
    igz_reader_t r;
    igz_record_t rec;
    igz_reader_init(&r, w.buf.data, w.buf.len);
    CHECK_INT(igz_reader_next(&r, &rec), 1);
    CHECK_INT(igz_record_copy(&w2, rec.raw, rec.raw_len), 0);
    CHECK_INT(w2.buf.len, w.buf.len);
    CHECK(memcmp(w2.buf.data, w.buf.data, w.buf.len) == 0);
    igz_writer_free(&w2);
    igz_writer_free(&w);
}

int main(void)
{
    RUN(writes_and_reads_a_record);
    RUN(big_containers_get_big_headers);
    RUN(unfinished_record_is_dropped);
    RUN(timestamps_of_every_size);
    RUN(malformed_batches_are_errors);
    RUN(deep_nesting_is_bounded);
    RUN(raw_msgpack_values_are_checked);
    return TEST_SUMMARY();
}
