/*
 * digest.c - SHA-256, HMAC-SHA256 and MD5 of digest.h on top of mbedcrypto.
 *
 * libiguazu already links mbedcrypto for TLS-free hashing, so nothing is
 * reimplemented here: this file only adapts its return codes to IGZ_E*
 * (mbedtls reports allocation failures of the HMAC context, which become
 * IGZ_ENOMEM) and adds the hex and base64 forms that HTTP headers use
 * (CRC32C itself is crc32c.c).
 */
#include <stdlib.h>

#include <mbedtls/base64.h>
#include <mbedtls/md.h>
#include <mbedtls/md5.h>
#include <mbedtls/sha256.h>

#include "iguazu/digest.h"
#include "iguazu/error.h"

struct igz_sha256 {
    mbedtls_sha256_context ctx;
};

void igz_crc32c_base64(uint32_t crc, char out[IGZ_CRC32C_B64_LEN + 1])
{
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    /* 32 bits: five full sextets, the last 2 bits padded to a sixth, then "==" */
    out[0] = b64[(crc >> 26) & 63];
    out[1] = b64[(crc >> 20) & 63];
    out[2] = b64[(crc >> 14) & 63];
    out[3] = b64[(crc >> 8) & 63];
    out[4] = b64[(crc >> 2) & 63];
    out[5] = b64[(crc << 4) & 63];
    out[6] = '=';
    out[7] = '=';
    out[8] = '\0';
}

void igz_hex_encode(const void *p, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    const uint8_t *s = p;
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[s[i] >> 4];
        out[2 * i + 1] = digits[s[i] & 15];
    }
    out[2 * n] = '\0';
}

int igz_sha256(const void *p, size_t n, uint8_t out[IGZ_SHA256_LEN])
{
    static const unsigned char empty[1] = {0};
    if (!p && n)
        return IGZ_EINVAL;
    if (mbedtls_sha256_ret(p ? p : empty, n, out, 0) != 0)
        return IGZ_EINVAL;
    return 0;
}

int igz_sha256_hex(const void *p, size_t n, char out[IGZ_SHA256_HEX_LEN + 1])
{
    uint8_t d[IGZ_SHA256_LEN];
    int rc = igz_sha256(p, n, d);
    if (rc) {
        out[0] = '\0';
        return rc;
    }
    igz_hex_encode(d, sizeof d, out);
    return 0;
}

int igz_hmac_sha256(const void *key, size_t keylen, const void *msg, size_t n,
                    uint8_t out[IGZ_SHA256_LEN])
{
    static const unsigned char empty[1] = {0};
    const mbedtls_md_info_t *md = mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);
    if (!md || (!key && keylen) || (!msg && n))
        return IGZ_EINVAL;
    int rc = mbedtls_md_hmac(md, key ? key : empty, keylen, msg ? msg : empty, n, out);
    if (rc == MBEDTLS_ERR_MD_ALLOC_FAILED)
        return IGZ_ENOMEM;
    return rc ? IGZ_EINVAL : 0;
}

int igz_md5_base64(const void *p, size_t n, char out[IGZ_MD5_BASE64_LEN + 1])
{
    static const unsigned char empty[1] = {0};
    unsigned char d[16];
    size_t olen = 0;
    out[0] = '\0';
    if (!p && n)
        return IGZ_EINVAL;
    if (mbedtls_md5_ret(p ? p : empty, n, d) != 0)
        return IGZ_EINVAL;
    if (mbedtls_base64_encode((unsigned char *)out, IGZ_MD5_BASE64_LEN + 1, &olen, d, sizeof d) !=
            0 ||
        olen != IGZ_MD5_BASE64_LEN) {
        out[0] = '\0';
        return IGZ_EINVAL;
    }
    return 0;
}

int igz_sha256_new(igz_sha256_t **out)
{
    igz_sha256_t *h = malloc(sizeof *h);
    *out = NULL;
    if (!h)
        return IGZ_ENOMEM;
    mbedtls_sha256_init(&h->ctx);
    if (mbedtls_sha256_starts_ret(&h->ctx, 0) != 0) {
        igz_sha256_free(h);
        return IGZ_EINVAL;
    }
    *out = h;
    return 0;
}

int igz_sha256_update(igz_sha256_t *h, const void *p, size_t n)
{
    if (!h || (!p && n))
        return IGZ_EINVAL;
    if (n == 0)
        return 0;
    return mbedtls_sha256_update_ret(&h->ctx, p, n) ? IGZ_EINVAL : 0;
}

int igz_sha256_final(igz_sha256_t *h, uint8_t out[IGZ_SHA256_LEN])
{
    if (!h)
        return IGZ_EINVAL;
    if (mbedtls_sha256_finish_ret(&h->ctx, out) != 0)
        return IGZ_EINVAL;
    return mbedtls_sha256_starts_ret(&h->ctx, 0) ? IGZ_EINVAL : 0;
}

void igz_sha256_free(igz_sha256_t *h)
{
    if (!h)
        return;
    mbedtls_sha256_free(&h->ctx);
    free(h);
}
