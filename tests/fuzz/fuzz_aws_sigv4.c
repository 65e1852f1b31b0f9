/*
 * fuzz_aws_sigv4.c - the SigV4 signer on arbitrary requests.
 *
 * The input is read like the suite's request.txt (request line, headers,
 * body), so the suite's files are good seeds; the signer options come from
 * the input length, so every option is reached. Both signing modes must
 * either refuse the request or give a result whose parts agree with each
 * other; anything else aborts.
 */
#include <stdlib.h>
#include <string.h>

#include "../aws_sigv4_req.h"
#include "iguazu/aws_sigv4.h"
#include "iguazu/digest.h"
#include "iguazu/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(igz_sigv4_result_t *r, int rc, bool presign)
{
    if (rc != 0) {
        if ((rc != IGZ_EINVAL && rc != IGZ_ENOMEM) || r->header_count != 0)
            abort();
        return;
    }
    if (strlen(r->signature) != 64 || strspn(r->signature, "0123456789abcdef") != 64)
        abort();
    if (!r->path.data || r->path.data[0] != '/')
        abort();
    if (!strstr(r->canonical_request.data, r->signed_headers.data))
        abort();
    if (presign) {
        if (r->header_count != 0 || !strstr(r->query.data, r->signature))
            abort();
    } else {
        if (r->header_count < 2 || !strstr(r->authorization.data, r->signature))
            abort();
        /* the canonical request has exactly six line breaks besides the header lines */
        size_t nl = 0, lines = 0;
        for (const char *p = r->canonical_request.data; *p; p++)
            nl += *p == '\n';
        for (const char *p = r->signed_headers.data; *p; p++)
            lines += *p == ';';
        if (nl != lines + 1 + 5)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    test_req_t tr;
    if (test_req_parse(&tr, (const char *)data, size) != 0) {
        test_req_free(&tr);
        return 0;
    }
    static const igz_aws_creds_t creds[2] = {
        {"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", NULL},
        {"AKIDEXAMPLE", "secret", "token/+="}};
    char hash[IGZ_SHA256_HEX_LEN + 1];
    if (igz_sha256_hex(tr.body, tr.body_len, hash) != 0)
        abort();
    igz_sigv4_request_t req = {.method = tr.method,
                               .path = tr.path,
                               .query = tr.query,
                               .query_count = tr.nquery,
                               .headers = tr.headers,
                               .header_count = tr.nheaders,
                               .payload_hash = (size & 64) ? IGZ_SIGV4_UNSIGNED_PAYLOAD : hash,
                               .creds = &creds[(size >> 5) & 1],
                               .region = "us-east-1",
                               .service = "service",
                               .time = 1440938160,
                               .flags = (unsigned)(size & 31),
                               .expires = 3600};
    igz_sigv4_result_t r = IGZ_SIGV4_RESULT_INIT;
    check(&r, igz_sigv4_sign(&req, &r), false);
    check(&r, igz_sigv4_presign(&req, &r), true);
    igz_sigv4_result_free(&r);
    test_req_free(&tr);
    return 0;
}
