/*
 * aws_sigv4.h - AWS Signature Version 4 for HTTP clients that build their
 * own requests (out_s3, out_redshift's COPY path, STS, the Redshift Data API).
 *
 * The signer does not send anything and keeps no state: the caller describes
 * the request (method, path, raw query parameters, the headers it will send,
 * the payload hash), passes credentials, region, service and the time, and
 * gets back everything it must add to the request, together with the
 * intermediate canonical request and string to sign (for logs and for the
 * SignatureDoesNotMatch error, whose body echoes them).
 *
 *   igz_sigv4_result_t r = IGZ_SIGV4_RESULT_INIT;
 *   igz_sigv4_request_t q = {.method = "PUT", .path = "/bucket/dt=2024-01-01/a b.json",
 *                            .headers = hdrs, .header_count = 2, .payload_hash = hex,
 *                            .creds = &creds, .region = "eu-west-1", .service = "s3",
 *                            .flags = IGZ_SIGV4_S3};
 *   if (igz_sigv4_sign(&q, &r) == 0) {
 *       send "PUT " r.path.data ("?" r.query.data if r.query.len) " HTTP/1.1",
 *       the caller's headers, then r.headers[0 .. r.header_count - 1]
 *   }
 *   igz_sigv4_result_free(&r);
 *
 * Paths. AWS signs the path as it travels on the request line, encoded
 * again for every service except S3, where it is used as sent: each segment
 * URI-encoded exactly once. A request may pass its path already encoded
 * (the default: path is exactly what goes on the request line) or raw with
 * IGZ_SIGV4_RAW_PATH (an S3 key such as "dt=2024/a b+c.json": the signer
 * encodes every byte but the unreserved ones and '/', once, and returns the
 * encoded path in result.path). Encoding follows RFC 3986: A-Z a-z 0-9
 * - . _ ~ stay, everything else becomes %XX with upper-case hex. Other
 * services also sign the path normalised ("." and empty segments dropped,
 * ".." resolved) unless IGZ_SIGV4_NO_NORMALIZE; S3 never does.
 *
 * Every string is NUL-terminated UTF-8 (or bytes) owned by the caller and
 * only read during the call; the result owns its memory.
 */
#ifndef IGUAZU_AWS_SIGV4_H
#define IGUAZU_AWS_SIGV4_H

#include "common.h"
#include "buf.h"

IGZ_BEGIN_DECLS

/* A name and a value: a query parameter or a header. */
typedef struct igz_sigv4_pair {
    const char *name;
    const char *value;
} igz_sigv4_pair_t;

/* Credentials; the signer copies nothing it does not return. */
typedef struct igz_aws_creds {
    const char *access_key_id;     /* required, e.g. "AKIDEXAMPLE" */
    const char *secret_access_key; /* required */
    const char *session_token;     /* temporary credentials (STS), else NULL or "" */
} igz_aws_creds_t;

/* Options of a request: a bitwise OR of these; 0 is the rule of most services. */
enum {
    /* path is raw (not encoded); it is encoded once, keeping '/', into result.path */
    IGZ_SIGV4_RAW_PATH = 1 << 0,
    /* the S3 rule: the canonical path is the (encoded) path as sent, not encoded again */
    IGZ_SIGV4_SINGLE_ENCODE = 1 << 1,
    /* do not normalise the canonical path (drop "." and empty segments, resolve "..") */
    IGZ_SIGV4_NO_NORMALIZE = 1 << 2,
    /* sign() adds and signs x-amz-content-sha256 = payload hash (S3 requires it) */
    IGZ_SIGV4_CONTENT_SHA256 = 1 << 3,
    /* the session token is added after signing, unsigned (a few services such as IoT) */
    IGZ_SIGV4_UNSIGNED_TOKEN = 1 << 4
};

/* What S3 wants: raw keys encoded once, no normalisation, x-amz-content-sha256. */
#define IGZ_SIGV4_S3                                                                               \
    (IGZ_SIGV4_RAW_PATH | IGZ_SIGV4_SINGLE_ENCODE | IGZ_SIGV4_NO_NORMALIZE |                       \
     IGZ_SIGV4_CONTENT_SHA256)

/* The payload hash of requests whose body is not signed (S3 over HTTPS, presigned URLs). */
#define IGZ_SIGV4_UNSIGNED_PAYLOAD "UNSIGNED-PAYLOAD"

/* Longest X-Amz-Expires AWS accepts for a presigned URL: 7 days. */
#define IGZ_SIGV4_MAX_EXPIRES 604800

typedef struct igz_sigv4_request {
    const char *method; /* "GET", "PUT", ... (required) */
    const char *path;   /* starting with '/'; "" or NULL means "/" (see the top comment) */
    /* raw query parameters in any order; the signer encodes and sorts them. A NULL
     * value is an empty one ("?uploads" is {"uploads", NULL}). */
    const igz_sigv4_pair_t *query;
    size_t query_count;
    /* the headers that will be sent and must be signed, "host" included (required by
     * SigV4). Names are case-insensitive; repeated names are joined with ',' in order;
     * values are trimmed and inner runs of blanks collapsed for signing. Names or values
     * with CR, LF or other control characters are refused. Leave out hop-by-hop headers
     * that a proxy may change (connection, expect, transfer-encoding). */
    const igz_sigv4_pair_t *headers;
    size_t header_count;
    /* lowercase hex SHA-256 of the body (igz_sha256_hex), IGZ_SIGV4_UNSIGNED_PAYLOAD or
     * an S3 streaming value; NULL means an empty body */
    const char *payload_hash;
    const igz_aws_creds_t *creds; /* required */
    const char *region;           /* e.g. "us-east-1" (required) */
    const char *service;          /* e.g. "s3", "sts", "redshift-data" (required) */
    int64_t time;                 /* signing time, seconds since 1970 UTC; 0 = now */
    unsigned flags;               /* IGZ_SIGV4_* */
    uint32_t expires;             /* presign only: validity in seconds, 1 .. 604800 */
} igz_sigv4_request_t;

/* At most this many headers for the caller to add. */
#define IGZ_SIGV4_MAX_HEADERS 4

/*
 * The outcome of a signing. Fields are read-only for users; each igz_buf_t
 * holds a NUL-terminated string (data is NULL while len is 0 and nothing was
 * written yet, so test len). Everything stays valid until the result is
 * signed into again or freed.
 */
typedef struct igz_sigv4_result {
    igz_buf_t canonical_request; /* the canonical request that was hashed */
    igz_buf_t string_to_sign;    /* "AWS4-HMAC-SHA256\n<date>\n<scope>\n<hash>" */
    igz_buf_t signed_headers;    /* "host;x-amz-date" */
    igz_buf_t authorization;     /* sign(): the Authorization header value; presign(): "" */
    igz_buf_t path;              /* the path to put on the request line (encoded) */
    igz_buf_t query;             /* the query to send, without '?', maybe "": sign() gives the
                                    parameters encoded and sorted, presign() adds the X-Amz-*
                                    parameters and X-Amz-Signature */
    char signature[65];          /* lowercase hex */
    char amz_date[17];           /* "20150830T123600Z" */
    /* headers to add to the request, in order: sign() gives X-Amz-Date,
     * X-Amz-Security-Token (with a session token), x-amz-content-sha256 (with
     * IGZ_SIGV4_CONTENT_SHA256) and Authorization; presign() gives none, as
     * everything travels in the query. Names are static, values point into
     * this result. */
    igz_sigv4_pair_t headers[IGZ_SIGV4_MAX_HEADERS];
    size_t header_count;
    igz_buf_t priv_; /* private */
} igz_sigv4_result_t;

#define IGZ_SIGV4_RESULT_INIT                                                                      \
    {                                                                                              \
        IGZ_BUF_INIT, IGZ_BUF_INIT, IGZ_BUF_INIT, IGZ_BUF_INIT, IGZ_BUF_INIT, IGZ_BUF_INIT, {0},   \
            {0}, {{NULL, NULL}}, 0, IGZ_BUF_INIT                                                   \
    }

/* Initialise an empty result (no allocation). Cannot fail. */
IGZ_API void igz_sigv4_result_init(igz_sigv4_result_t *r);

/* Release a result's memory; it is empty and reusable afterwards. Cannot fail. */
IGZ_API void igz_sigv4_result_free(igz_sigv4_result_t *r);

/*
 * Sign req for an Authorization header into out (initialised, possibly used
 * before: its memory is reused). Returns 0, IGZ_ENOMEM, IGZ_EIO (time 0 and
 * the clock cannot be read) or IGZ_EINVAL for a request that is malformed:
 * - method, creds, access key id, secret, region or service NULL or empty;
 *   access key id, region or service longer than 128 bytes or holding '/',
 *   ',', blanks or control characters;
 * - no host header; a header name that is not an HTTP token; a NULL value or
 *   one with control characters other than tab; a header the signer adds
 *   itself (authorization, x-amz-date, x-amz-security-token with a session
 *   token, x-amz-content-sha256 with IGZ_SIGV4_CONTENT_SHA256);
 * - a path not starting with '/' or (not raw) holding control characters;
 *   a NULL query parameter name; headers or query NULL with a non-zero count;
 * - a payload hash or session token with blanks or control characters;
 * - a time before 1970 or after 9999.
 * On error out holds nothing usable (header_count 0, strings empty) but must
 * still be freed.
 */
IGZ_API int igz_sigv4_sign(const igz_sigv4_request_t *req, igz_sigv4_result_t *out);

/*
 * Sign req as a presigned URL into out: out.query holds the caller's
 * parameters and X-Amz-Algorithm, -Credential, -Date, -Expires,
 * -SignedHeaders and -Security-Token (when there is a token), encoded and
 * sorted, then X-Amz-Signature (and, with IGZ_SIGV4_UNSIGNED_TOKEN, the token
 * after it). No header is added; IGZ_SIGV4_CONTENT_SHA256 is ignored; the
 * payload hash is usually IGZ_SIGV4_UNSIGNED_PAYLOAD for S3. Fails like
 * igz_sigv4_sign (an authorization header is refused too), and with
 * IGZ_EINVAL when expires is 0 or above IGZ_SIGV4_MAX_EXPIRES or a query
 * parameter has the name of one the signer adds.
 */
IGZ_API int igz_sigv4_presign(const igz_sigv4_request_t *req, igz_sigv4_result_t *out);

/*
 * The signing key HMAC(HMAC(HMAC(HMAC("AWS4" secret, date), region), service),
 * "aws4_request") for a date "YYYYMMDD", into key; it is valid for that day,
 * so it can be cached, and it signs the chunks of S3 streaming uploads.
 * Returns 0, IGZ_ENOMEM or IGZ_EINVAL (an argument NULL or empty).
 */
IGZ_API int igz_sigv4_signing_key(const char *secret_access_key, const char *date,
                                  const char *region, const char *service, uint8_t key[32]);

/*
 * Append the n bytes at s to out URI-encoded the way SigV4 wants (RFC 3986:
 * unreserved characters kept, every other byte as %XX in upper case), '/'
 * kept when keep_slash is true (path segments) and encoded otherwise (query
 * names and values). Returns 0 (out->data is then NUL-terminated) or
 * IGZ_ENOMEM (out's contents unchanged).
 */
IGZ_API int igz_sigv4_uri_encode(igz_buf_t *out, const char *s, size_t n, bool keep_slash);

IGZ_END_DECLS

#endif
