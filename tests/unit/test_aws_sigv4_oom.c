/*
 * test_aws_sigv4_oom.c - the signer under allocation failure, SQLite style.
 *
 * tests/cmake/aws_sigv4.cmake links this program with --wrap for malloc,
 * calloc, realloc and free, so every allocation libiguazu's own objects make
 * passes through the wrappers below. Each operation is run with its Nth
 * allocation failing, N = 1, 2, ... until it completes untouched, in two
 * modes (that call alone fails; every call from it on fails): it must then
 * return IGZ_ENOMEM, leave no header to send, and leak nothing once the
 * result is freed; without a failure it must give the reference signature.
 */
#include "igz_test.h"
#include "iguazu/aws_sigv4.h"
#include "iguazu/digest.h"
#include "iguazu/error.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t a, size_t b);
void *__real_realloc(void *p, size_t n);
void __real_free(void *p);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t a, size_t b);
void *__wrap_realloc(void *p, size_t n);
void __wrap_free(void *p);

static long calls, fail_at, live;
static int persistent;

static int should_fail(void)
{
    calls++;
    return fail_at && (persistent ? calls >= fail_at : calls == fail_at);
}

void *__wrap_malloc(size_t n)
{
    void *p = should_fail() ? NULL : __real_malloc(n);
    live += p != NULL;
    return p;
}

void *__wrap_calloc(size_t a, size_t b)
{
    void *p = should_fail() ? NULL : __real_calloc(a, b);
    live += p != NULL;
    return p;
}

void *__wrap_realloc(void *p, size_t n)
{
    void *q = should_fail() ? NULL : __real_realloc(p, n);
    live += q != NULL && p == NULL;
    return q;
}

void __wrap_free(void *p)
{
    live -= p != NULL;
    __real_free(p);
}

static const igz_aws_creds_t creds = {"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                                      "session/token+=="};
static const igz_sigv4_pair_t hdrs[] = {{"Host", "bucket.s3.amazonaws.com"},
                                        {"X-Amz-Meta-A", "  one   two "},
                                        {"content-type", "text/plain"},
                                        {"x-amz-meta-a", "three"}};
static const igz_sigv4_pair_t params[] = {{"uploadId", "a b/c"}, {"partNumber", "3"}};

static igz_sigv4_request_t make_request(unsigned flags, const char *path)
{
    igz_sigv4_request_t req = {.method = "PUT",
                               .path = path,
                               .query = params,
                               .query_count = 2,
                               .headers = hdrs,
                               .header_count = 4,
                               .payload_hash = IGZ_SIGV4_UNSIGNED_PAYLOAD,
                               .creds = &creds,
                               .region = "eu-central-1",
                               .service = "s3",
                               .time = 1700000000,
                               .flags = flags,
                               .expires = 3600};
    return req;
}

static int op_sign_s3(igz_sigv4_result_t *r)
{
    igz_sigv4_request_t req = make_request(IGZ_SIGV4_S3, "/bucket/dt=2024/a b.json");
    return igz_sigv4_sign(&req, r);
}

static int op_sign_normalized(igz_sigv4_result_t *r)
{
    igz_sigv4_request_t req = make_request(IGZ_SIGV4_RAW_PATH, "/a/./b/../c d//e/");
    return igz_sigv4_sign(&req, r);
}

static int op_presign(igz_sigv4_result_t *r)
{
    igz_sigv4_request_t req = make_request(IGZ_SIGV4_S3, "/bucket/key");
    return igz_sigv4_presign(&req, r);
}

static int op_presign_unsigned_token(igz_sigv4_result_t *r)
{
    igz_sigv4_request_t req = make_request(IGZ_SIGV4_UNSIGNED_TOKEN, "/x");
    return igz_sigv4_presign(&req, r);
}

/* Run op with each allocation failing in turn; returns the number of failures injected. */
static long exhaust(int (*op)(igz_sigv4_result_t *), const char *name)
{
    igz_sigv4_result_t ref = IGZ_SIGV4_RESULT_INIT;
    long injected = 0;
    CHECK_INT(op(&ref), 0);
    for (persistent = 0; persistent < 2; persistent++) {
        for (long n = 1; n < 10000; n++) {
            igz_sigv4_result_t r = IGZ_SIGV4_RESULT_INIT;
            long before = live;
            calls = 0;
            fail_at = n;
            int rc = op(&r);
            fail_at = 0;
            int failed = calls >= n;
            if (failed) {
                injected++;
                if (rc != IGZ_ENOMEM || r.header_count != 0)
                    fprintf(stderr, "%s: allocation %ld failing (%s): rc %d, %zu headers\n", name,
                            n, persistent ? "from then on" : "once", rc, r.header_count);
                CHECK_INT(rc, IGZ_ENOMEM);
                CHECK_INT(r.header_count, 0);
            } else {
                CHECK_INT(rc, 0);
                CHECK_STR(r.signature, ref.signature);
                CHECK_STR(r.query.data, ref.query.data);
            }
            igz_sigv4_result_free(&r);
            CHECK_INT(live, before);
            if (!failed)
                break;
        }
    }
    igz_sigv4_result_free(&ref);
    printf("%s: %ld allocation failures injected\n", name, injected);
    return injected;
}

TEST(sign_under_oom)
{
    CHECK(exhaust(op_sign_s3, "sign s3") > 5);
    CHECK(exhaust(op_sign_normalized, "sign normalized") > 5);
}

TEST(presign_under_oom)
{
    CHECK(exhaust(op_presign, "presign") > 5);
    CHECK(exhaust(op_presign_unsigned_token, "presign unsigned token") > 5);
}

TEST(helpers_under_oom)
{
    igz_buf_t b = IGZ_BUF_INIT;
    fail_at = 1;
    calls = 0;
    persistent = 1;
    CHECK_INT(igz_sigv4_uri_encode(&b, "a b", 3, false), IGZ_ENOMEM);
    CHECK_INT(b.len, 0);
    igz_sha256_t *h = (igz_sha256_t *)&b;
    CHECK_INT(igz_sha256_new(&h), IGZ_ENOMEM);
    CHECK(h == NULL);
    fail_at = 0;
    CHECK_INT(igz_sigv4_uri_encode(&b, "a b", 3, false), 0);
    CHECK_STR(b.data, "a%20b");
    igz_buf_free(&b);
}

int main(void)
{
    RUN(sign_under_oom);
    RUN(presign_under_oom);
    RUN(helpers_under_oom);
    return TEST_SUMMARY();
}
