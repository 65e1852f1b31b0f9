/*
 * test_digest.c - known answers for SHA-256 (FIPS 180-2), HMAC-SHA256
 * (RFC 4231), MD5 in base64 (RFC 1321) and CRC32C (RFC 3720 B.4), and the
 * hardware CRC32C path against the table one and a bit-at-a-time reference.
 */
#include "igz_test.h"
#include "iguazu/digest.h"
#include "iguazu/error.h"

uint32_t igz__crc32c_sw(uint32_t crc, const void *p, size_t n);

static const char *hex_of(const uint8_t *d, size_t n, char *out)
{
    igz_hex_encode(d, n, out);
    return out;
}

TEST(sha256_known_answers)
{
    char hex[IGZ_SHA256_HEX_LEN + 1];
    CHECK_INT(igz_sha256_hex(NULL, 0, hex), 0);
    CHECK_STR(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK_INT(igz_sha256_hex("abc", 3, hex), 0);
    CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    CHECK_INT(igz_sha256_hex(two, strlen(two), hex), 0);
    CHECK_STR(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    CHECK_INT(igz_sha256_hex(NULL, 1, hex), IGZ_EINVAL);
    CHECK_STR(hex, "");
}

TEST(sha256_streaming)
{
    igz_sha256_t *h = NULL;
    uint8_t d[IGZ_SHA256_LEN];
    char hex[IGZ_SHA256_HEX_LEN + 1];
    char block[1000];
    memset(block, 'a', sizeof block);
    CHECK_INT(igz_sha256_new(&h), 0);
    CHECK(h != NULL);
    if (!h)
        return;
    /* one million 'a' in uneven pieces */
    size_t left = 1000000, step = 1;
    while (left) {
        size_t n = step < left ? step : left;
        CHECK_INT(igz_sha256_update(h, block, n), 0);
        left -= n;
        step = step % 977 + 13; /* 1 .. 989, within the block */
    }
    CHECK_INT(igz_sha256_final(h, d), 0);
    CHECK_STR(hex_of(d, sizeof d, hex),
              "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    /* final restarts the context */
    CHECK_INT(igz_sha256_update(h, "abc", 3), 0);
    CHECK_INT(igz_sha256_update(h, NULL, 0), 0);
    CHECK_INT(igz_sha256_final(h, d), 0);
    CHECK_STR(hex_of(d, sizeof d, hex),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK_INT(igz_sha256_update(h, NULL, 5), IGZ_EINVAL);
    igz_sha256_free(h);
    igz_sha256_free(NULL);
}

TEST(hmac_sha256_rfc4231)
{
    uint8_t d[IGZ_SHA256_LEN], key[131];
    char hex[IGZ_SHA256_HEX_LEN + 1];
    memset(key, 0x0b, 20);
    CHECK_INT(igz_hmac_sha256(key, 20, "Hi There", 8, d), 0);
    CHECK_STR(hex_of(d, sizeof d, hex),
              "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    const char *msg = "what do ya want for nothing?";
    CHECK_INT(igz_hmac_sha256("Jefe", 4, msg, strlen(msg), d), 0);
    CHECK_STR(hex_of(d, sizeof d, hex),
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    memset(key, 0xaa, sizeof key);
    msg = "Test Using Larger Than Block-Size Key - Hash Key First";
    CHECK_INT(igz_hmac_sha256(key, sizeof key, msg, strlen(msg), d), 0);
    CHECK_STR(hex_of(d, sizeof d, hex),
              "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    CHECK_INT(igz_hmac_sha256(NULL, 3, "x", 1, d), IGZ_EINVAL);
}

TEST(md5_base64)
{
    char b64[IGZ_MD5_BASE64_LEN + 1];
    CHECK_INT(igz_md5_base64("", 0, b64), 0);
    CHECK_STR(b64, "1B2M2Y8AsgTpgAmY7PhCfg==");
    CHECK_INT(igz_md5_base64("abc", 3, b64), 0);
    CHECK_STR(b64, "kAFQmDzST7DWlj99KOF/cg==");
    const char *fox = "The quick brown fox jumps over the lazy dog";
    CHECK_INT(igz_md5_base64(fox, strlen(fox), b64), 0);
    CHECK_STR(b64, "nhB9nTcrtoJr2B01QqQZ1g==");
    CHECK_INT(igz_md5_base64(NULL, 2, b64), IGZ_EINVAL);
    CHECK_STR(b64, "");
}

TEST(crc32c_known_answers)
{
    uint8_t buf[48];
    CHECK_INT(igz_crc32c(0, "123456789", 9), 0xe3069283u);
    CHECK_INT(igz__crc32c_sw(0, "123456789", 9), 0xe3069283u);
    memset(buf, 0, 32);
    CHECK_INT(igz_crc32c(0, buf, 32), 0x8a9136aau);
    memset(buf, 0xff, 32);
    CHECK_INT(igz_crc32c(0, buf, 32), 0x62a8ab43u);
    for (int i = 0; i < 32; i++)
        buf[i] = (uint8_t)i;
    CHECK_INT(igz_crc32c(0, buf, 32), 0x46dd794eu);
    for (int i = 0; i < 32; i++)
        buf[i] = (uint8_t)(31 - i);
    CHECK_INT(igz_crc32c(0, buf, 32), 0x113fdb5cu);
    CHECK_INT(igz_crc32c(0, NULL, 0), 0);
    CHECK_INT(igz_crc32c(0x1234, NULL, 0), 0x1234);

    char b64[IGZ_CRC32C_B64_LEN + 1];
    igz_crc32c_base64(0xe3069283u, b64);
    CHECK_STR(b64, "4waSgw==");
    igz_crc32c_base64(0, b64);
    CHECK_STR(b64, "AAAAAA==");
    igz_crc32c_base64(0xffffffffu, b64);
    CHECK_STR(b64, "/////w==");
}

/* The definition, one bit at a time: slow, obviously right. */
static uint32_t crc32c_bitwise(uint32_t crc, const uint8_t *p, size_t n)
{
    crc = ~crc;
    while (n--) {
        crc ^= *p++;
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0x82f63b78u & (0u - (crc & 1)));
    }
    return ~crc;
}

TEST(crc32c_paths_agree)
{
    static uint8_t data[4096 + 16];
    uint32_t x = 2463534242u;
    for (size_t i = 0; i < sizeof data; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        data[i] = (uint8_t)x;
    }
    int bad = 0;
    for (size_t off = 0; off < 9; off++)
        for (size_t n = 0; n < 300; n += 7) {
            uint32_t want = crc32c_bitwise(0, data + off, n);
            bad += igz_crc32c(0, data + off, n) != want;
            bad += igz__crc32c_sw(0, data + off, n) != want;
        }
    CHECK_INT(bad, 0);
    /* incremental: any split gives the CRC of the whole */
    uint32_t whole = igz_crc32c(0, data, sizeof data);
    CHECK_INT(whole, crc32c_bitwise(0, data, sizeof data));
    for (size_t cut = 0; cut < sizeof data; cut += 509)
        CHECK_INT(igz_crc32c(igz_crc32c(0, data, cut), data + cut, sizeof data - cut), whole);
}

TEST(hex)
{
    char out[9];
    igz_hex_encode("\x00\x9f\xa0\xff", 4, out);
    CHECK_STR(out, "009fa0ff");
    igz_hex_encode("", 0, out);
    CHECK_STR(out, "");
}

int main(void)
{
    RUN(sha256_known_answers);
    RUN(sha256_streaming);
    RUN(hmac_sha256_rfc4231);
    RUN(md5_base64);
    RUN(crc32c_known_answers);
    RUN(crc32c_paths_agree);
    RUN(hex);
    return TEST_SUMMARY();
}
