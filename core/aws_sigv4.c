/*
 * aws_sigv4.c - AWS Signature Version 4: the request checks, the canonical
 * request, the string to sign, the key derivation and the two ways of
 * carrying the signature (Authorization header, presigned query).
 *
 * The signer is a pure function of its inputs (the clock is read only when
 * the caller passes time 0) so the conformance suite can replay AWS's
 * vectors byte for byte. Inputs are checked before anything is built: a
 * request that could not be sent as described (control bytes that would
 * split a header, a missing host) is refused rather than signed.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <mbedtls/platform_util.h>

#include "aws_sigv4_int.h"
#include "iguazu/digest.h"
#include "iguazu/error.h"

#define ALGORITHM "AWS4-HMAC-SHA256"

void igz_sigv4_result_init(igz_sigv4_result_t *r)
{
    memset(r, 0, sizeof *r);
    igz_buf_init(&r->canonical_request);
    igz_buf_init(&r->string_to_sign);
    igz_buf_init(&r->signed_headers);
    igz_buf_init(&r->authorization);
    igz_buf_init(&r->path);
    igz_buf_init(&r->query);
    igz_buf_init(&r->priv_);
}

void igz_sigv4_result_free(igz_sigv4_result_t *r)
{
    igz_buf_free(&r->canonical_request);
    igz_buf_free(&r->string_to_sign);
    igz_buf_free(&r->signed_headers);
    igz_buf_free(&r->authorization);
    igz_buf_free(&r->path);
    igz_buf_free(&r->query);
    igz_buf_free(&r->priv_);
    igz_sigv4_result_init(r);
}

/* Empty every part, keeping the memory; strings read "" rather than stale text. */
static void buf_clear(igz_buf_t *b)
{
    igz_buf_reset(b);
    if (b->data)
        b->data[0] = '\0';
}

static void result_reset(igz_sigv4_result_t *r)
{
    buf_clear(&r->canonical_request);
    buf_clear(&r->string_to_sign);
    buf_clear(&r->signed_headers);
    buf_clear(&r->authorization);
    buf_clear(&r->path);
    buf_clear(&r->query);
    if (r->priv_.data) /* may hold a session token */
        mbedtls_platform_zeroize(r->priv_.data, r->priv_.len);
    buf_clear(&r->priv_);
    r->signature[0] = '\0';
    r->amz_date[0] = '\0';
    r->header_count = 0;
}

static bool nonempty(const char *s)
{
    return s && *s;
}

/* A credential-scope word (access key id, region, service): no '/', ',', blank or control. */
static bool scope_word(const char *s)
{
    if (!nonempty(s))
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p <= ' ' || *p == 0x7f || *p == '/' || *p == ',')
            return false;
    return true;
}

static bool token_word(const char *s)
{
    if (!nonempty(s))
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (!igz__sigv4_is_tchar(*p))
            return false;
    return true;
}

/* Payload hashes are hex digests or words like UNSIGNED-PAYLOAD: printable, no blanks. */
static bool hash_word(const char *s)
{
    if (!nonempty(s))
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p <= ' ' || *p >= 0x7f)
            return false;
    return true;
}

static bool has_header(const igz_sigv4_request_t *req, const char *name)
{
    for (size_t i = 0; i < req->header_count; i++)
        if (req->headers[i].name && strcasecmp(req->headers[i].name, name) == 0)
            return true;
    return false;
}

static bool has_param(const igz_sigv4_request_t *req, const char *name)
{
    for (size_t i = 0; i < req->query_count; i++)
        if (req->query[i].name && strcasecmp(req->query[i].name, name) == 0)
            return true;
    return false;
}

/* Longest access key id, region and service: keeps the scope in fixed buffers. */
#define SCOPE_WORD_MAX 128

static int check_request(const igz_sigv4_request_t *req)
{
    const igz_aws_creds_t *c = req->creds;
    if (!token_word(req->method) || !c || !scope_word(c->access_key_id) ||
        !nonempty(c->secret_access_key) || !scope_word(req->region) || !scope_word(req->service) ||
        strlen(c->access_key_id) > SCOPE_WORD_MAX || strlen(req->region) > SCOPE_WORD_MAX ||
        strlen(req->service) > SCOPE_WORD_MAX ||
        (req->payload_hash && !hash_word(req->payload_hash)) ||
        (req->header_count && !req->headers) || (req->query_count && !req->query))
        return IGZ_EINVAL;
    if (c->session_token && *c->session_token && !hash_word(c->session_token))
        return IGZ_EINVAL;
    return 0;
}

/* "YYYYMMDDTHHMMSSZ" of t (0 = now) into out[17]. */
static int format_time(int64_t t, char out[17])
{
    if (t == 0) {
        time_t now = time(NULL);
        if (now == (time_t)-1)
            return IGZ_EIO;
        t = (int64_t)now;
    }
    /* 253402300799 is 9999-12-31T23:59:59Z: the format has four year digits */
    if (t < 0 || t > INT64_C(253402300799) || (int64_t)(time_t)t != t)
        return IGZ_EINVAL;
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm))
        return IGZ_EINVAL;
    if (strftime(out, 17, "%Y%m%dT%H%M%SZ", &tm) != 16)
        return IGZ_EINVAL;
    return 0;
}

int igz_sigv4_signing_key(const char *secret_access_key, const char *date, const char *region,
                          const char *service, uint8_t key[32])
{
    if (!nonempty(secret_access_key) || !nonempty(date) || !nonempty(region) || !nonempty(service))
        return IGZ_EINVAL;
    igz_buf_t k = IGZ_BUF_INIT;
    int rc = igz_buf_append_str(&k, "AWS4");
    if (!rc)
        rc = igz_buf_append_str(&k, secret_access_key);
    if (rc) {
        igz_buf_free(&k);
        return IGZ_ENOMEM;
    }
    const char *steps[4] = {date, region, service, "aws4_request"};
    uint8_t a[32], b[32];
    rc = igz_hmac_sha256(k.data, k.len, steps[0], strlen(steps[0]), a);
    for (int i = 1; i < 4 && !rc; i++) {
        rc = igz_hmac_sha256(a, sizeof a, steps[i], strlen(steps[i]), b);
        memcpy(a, b, sizeof a);
    }
    if (!rc)
        memcpy(key, a, sizeof a);
    /* neither the secret nor intermediate keys linger in freed memory */
    mbedtls_platform_zeroize(k.data, k.len);
    mbedtls_platform_zeroize(a, sizeof a);
    mbedtls_platform_zeroize(b, sizeof b);
    igz_buf_free(&k);
    return rc;
}

/* The parts every signature shares, built before the mode-specific ones. */
typedef struct sig_ctx {
    const igz_sigv4_request_t *req;
    const char *token;                   /* NULL when there is none */
    bool sign_token;                     /* the token is part of what is signed */
    const char *payload;                 /* the payload hash line */
    char scope[3 * SCOPE_WORD_MAX];      /* "20150830/us-east-1/service/aws4_request" */
    char credential[5 * SCOPE_WORD_MAX]; /* "AKID/scope" */
} sig_ctx_t;

static int ctx_init(sig_ctx_t *x, const igz_sigv4_request_t *req, igz_sigv4_result_t *out)
{
    static const char empty_sha256[] =
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    int rc = check_request(req);
    if (!rc)
        rc = format_time(req->time, out->amz_date);
    if (rc)
        return rc;
    x->req = req;
    x->token = nonempty(req->creds->session_token) ? req->creds->session_token : NULL;
    x->sign_token = x->token && !(req->flags & IGZ_SIGV4_UNSIGNED_TOKEN);
    x->payload = req->payload_hash ? req->payload_hash : empty_sha256;
    int n = snprintf(x->scope, sizeof x->scope, "%.8s/%s/%s/aws4_request", out->amz_date,
                     req->region, req->service);
    if (n < 0 || (size_t)n >= sizeof x->scope)
        return IGZ_EINVAL;
    n = snprintf(x->credential, sizeof x->credential, "%s/%s", req->creds->access_key_id, x->scope);
    if (n < 0 || (size_t)n >= sizeof x->credential)
        return IGZ_EINVAL;
    return igz__sigv4_wire_path(&out->path, req->path, req->flags);
}

/*
 * Canonical request from the parts already in out (signed headers), the
 * canonical headers and query given, then the string to sign and the
 * signature.
 */
static int finish(sig_ctx_t *x, igz_sigv4_result_t *out, const igz_buf_t *canon_headers,
                  const igz_buf_t *canon_query)
{
    const igz_sigv4_request_t *req = x->req;
    igz_buf_t *cr = &out->canonical_request, *sts = &out->string_to_sign;
    int rc = igz_buf_printf(cr, "%s\n", req->method);
    if (!rc)
        rc = igz__sigv4_canon_path(cr, out->path.data, out->path.len, req->flags);
    if (!rc)
        rc = igz_buf_printf(cr, "\n%s\n%s\n%s\n%s", canon_query->data ? canon_query->data : "",
                            canon_headers->data ? canon_headers->data : "",
                            out->signed_headers.data ? out->signed_headers.data : "", x->payload);
    if (rc)
        return rc;

    char hash[IGZ_SHA256_HEX_LEN + 1];
    if ((rc = igz_sha256_hex(cr->data, cr->len, hash)) != 0)
        return rc;
    if ((rc = igz_buf_printf(sts, ALGORITHM "\n%s\n%s\n%s", out->amz_date, x->scope, hash)) != 0)
        return rc;

    char date[9];
    memcpy(date, out->amz_date, 8);
    date[8] = '\0';
    uint8_t key[32], mac[32];
    rc = igz_sigv4_signing_key(req->creds->secret_access_key, date, req->region, req->service, key);
    if (!rc)
        rc = igz_hmac_sha256(key, sizeof key, sts->data, sts->len, mac);
    mbedtls_platform_zeroize(key, sizeof key);
    if (!rc)
        igz_hex_encode(mac, sizeof mac, out->signature);
    return rc;
}

static void add_header(igz_sigv4_result_t *out, const char *name, const char *value)
{
    out->headers[out->header_count].name = name;
    out->headers[out->header_count].value = value;
    out->header_count++;
}

int igz_sigv4_sign(const igz_sigv4_request_t *req, igz_sigv4_result_t *out)
{
    result_reset(out);
    sig_ctx_t x;
    int rc = ctx_init(&x, req, out);
    if (rc)
        goto fail;
    bool add_sha = (req->flags & IGZ_SIGV4_CONTENT_SHA256) != 0;
    if (has_header(req, "authorization") || has_header(req, "x-amz-date") ||
        (x.token && has_header(req, "x-amz-security-token")) ||
        (add_sha && has_header(req, "x-amz-content-sha256"))) {
        rc = IGZ_EINVAL;
        goto fail;
    }

    igz_sigv4_pair_t extra[3];
    size_t nextra = 0;
    extra[nextra++] = (igz_sigv4_pair_t){"x-amz-date", out->amz_date};
    if (x.sign_token)
        extra[nextra++] = (igz_sigv4_pair_t){"x-amz-security-token", x.token};
    if (add_sha)
        extra[nextra++] = (igz_sigv4_pair_t){"x-amz-content-sha256", x.payload};

    igz_buf_t canon_headers = IGZ_BUF_INIT;
    bool has_host;
    rc = igz__sigv4_canon_headers(&canon_headers, &out->signed_headers, req->headers,
                                  req->header_count, extra, nextra, &has_host);
    if (!rc && !has_host)
        rc = IGZ_EINVAL;
    if (!rc)
        rc = igz__sigv4_canon_query(&out->query, req->query, req->query_count, NULL, 0);
    if (!rc)
        rc = finish(&x, out, &canon_headers, &out->query);
    igz_buf_free(&canon_headers);
    if (!rc)
        rc = igz_buf_printf(&out->authorization,
                            ALGORITHM " Credential=%s, SignedHeaders=%s, Signature=%s",
                            x.credential, out->signed_headers.data, out->signature);
    /* copies of the token and payload hash, so the result outlives the request */
    size_t tok_off = 0, sha_off = 0;
    if (!rc && x.token) {
        tok_off = out->priv_.len;
        rc = igz_buf_append(&out->priv_, x.token, strlen(x.token) + 1);
    }
    if (!rc && add_sha) {
        sha_off = out->priv_.len;
        rc = igz_buf_append(&out->priv_, x.payload, strlen(x.payload) + 1);
    }
    if (rc)
        goto fail;
    add_header(out, "X-Amz-Date", out->amz_date);
    if (x.token)
        add_header(out, "X-Amz-Security-Token", out->priv_.data + tok_off);
    if (add_sha)
        add_header(out, "x-amz-content-sha256", out->priv_.data + sha_off);
    add_header(out, "Authorization", out->authorization.data);
    return 0;
fail:
    result_reset(out);
    return rc;
}

int igz_sigv4_presign(const igz_sigv4_request_t *req, igz_sigv4_result_t *out)
{
    static const char *const reserved[] = {
        "X-Amz-Algorithm",     "X-Amz-Credential", "X-Amz-Date",          "X-Amz-Expires",
        "X-Amz-SignedHeaders", "X-Amz-Signature",  "X-Amz-Security-Token"};
    result_reset(out);
    sig_ctx_t x;
    int rc = ctx_init(&x, req, out);
    if (rc)
        goto fail;
    rc = IGZ_EINVAL;
    if (req->expires == 0 || req->expires > IGZ_SIGV4_MAX_EXPIRES ||
        has_header(req, "authorization"))
        goto fail;
    for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
        if (has_param(req, reserved[i]))
            goto fail;

    igz_buf_t canon_headers = IGZ_BUF_INIT, canon_query = IGZ_BUF_INIT;
    bool has_host;
    rc = igz__sigv4_canon_headers(&canon_headers, &out->signed_headers, req->headers,
                                  req->header_count, NULL, 0, &has_host);
    if (!rc && !has_host)
        rc = IGZ_EINVAL;
    char expires[16];
    snprintf(expires, sizeof expires, "%u", (unsigned)req->expires);
    igz_sigv4_pair_t extra[6] = {
        {"X-Amz-Algorithm", ALGORITHM},
        {"X-Amz-Credential", x.credential},
        {"X-Amz-Date", out->amz_date},
        {"X-Amz-Expires", expires},
        {"X-Amz-SignedHeaders", out->signed_headers.data},
        {"X-Amz-Security-Token", x.token},
    };
    if (!rc)
        rc = igz__sigv4_canon_query(&canon_query, req->query, req->query_count, extra,
                                    x.sign_token ? 6 : 5);
    if (!rc)
        rc = finish(&x, out, &canon_headers, &canon_query);
    /* the query to send: the canonical one (a valid query too), then the signature */
    if (!rc)
        rc = igz_buf_append(&out->query, canon_query.data, canon_query.len);
    if (!rc)
        rc = igz_buf_printf(&out->query, "&X-Amz-Signature=%s", out->signature);
    if (!rc && x.token && !x.sign_token) {
        rc = igz_buf_append_str(&out->query, "&X-Amz-Security-Token=");
        if (!rc)
            rc = igz_sigv4_uri_encode(&out->query, x.token, strlen(x.token), false);
    }
    if (!rc)
        rc = igz_buf_printf(&out->authorization, "%s", "");
    igz_buf_free(&canon_headers);
    igz_buf_free(&canon_query);
    if (!rc)
        return 0;
fail:
    result_reset(out);
    return rc;
}
