/*
 * aws_sigv4_req.h - reads an HTTP request in the form of the SigV4 test
 * suite's request.txt into an igz_sigv4_request_t (tests and fuzzing only).
 *
 * The suite writes requests loosely: the request line may hold a raw space
 * or UTF-8 in its path, headers may repeat or be folded over several lines,
 * and the body follows the first empty line. The query is split into raw
 * (percent-decoded) parameters, since the signer takes raw ones.
 */
#ifndef IGZ_TEST_AWS_SIGV4_REQ_H
#define IGZ_TEST_AWS_SIGV4_REQ_H

#include <stdlib.h>
#include <string.h>

#include "iguazu/aws_sigv4.h"

#define TEST_REQ_MAX 64

typedef struct test_req {
    char *buf; /* owned copy the strings below point into */
    const char *method, *path;
    igz_sigv4_pair_t query[TEST_REQ_MAX];
    size_t nquery;
    igz_sigv4_pair_t headers[TEST_REQ_MAX];
    size_t nheaders;
    const char *body;
    size_t body_len;
} test_req_t;

static int test_hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Percent-decode s in place; a '%' not followed by two hex digits stays. */
static void test_pct_decode(char *s)
{
    char *d = s;
    for (; *s; s++) {
        int hi, lo;
        if (*s == '%' && (hi = test_hexval(s[1])) >= 0 && (lo = test_hexval(s[2])) >= 0) {
            *d++ = (char)(hi * 16 + lo);
            s += 2;
        } else {
            *d++ = *s;
        }
    }
    *d = '\0';
}

static void test_req_free(test_req_t *r)
{
    free(r->buf);
    memset(r, 0, sizeof *r);
}

/* Split "a=1&b&c=3" in place into decoded pairs. Returns 0 or -1 (too many). */
static int test_split_query(char *q, igz_sigv4_pair_t *out, size_t *n)
{
    *n = 0;
    while (q && *q) {
        char *amp = strchr(q, '&');
        if (amp)
            *amp = '\0';
        if (*q) {
            if (*n == TEST_REQ_MAX)
                return -1;
            char *eq = strchr(q, '=');
            if (eq)
                *eq = '\0';
            test_pct_decode(q);
            if (eq)
                test_pct_decode(eq + 1);
            out[*n].name = q;
            out[(*n)++].value = eq ? eq + 1 : NULL;
        }
        q = amp ? amp + 1 : NULL;
    }
    return 0;
}

/* Parse n bytes of text. Returns 0, or -1 (malformed, too many parts, out of memory). */
static int test_req_parse(test_req_t *r, const char *text, size_t n)
{
    memset(r, 0, sizeof *r);
    if (!(r->buf = malloc(n + 1)))
        return -1;
    memcpy(r->buf, text, n);
    r->buf[n] = '\0';
    n = strlen(r->buf); /* a NUL byte ends the request */
    char *s = r->buf, *end = s + n;

    /* the header block ends at the first empty line; the body follows it */
    char *line = s, *hdr_end = end;
    r->body = end;
    while (line < end) {
        char *nl = memchr(line, '\n', (size_t)(end - line));
        char *stop = nl ? nl : end;
        if (line != s && (stop == line || (stop == line + 1 && *line == '\r'))) {
            hdr_end = line;
            r->body = nl ? nl + 1 : end;
            break;
        }
        line = nl ? nl + 1 : end;
    }
    r->body_len = (size_t)(end - r->body);
    *hdr_end = '\0';

    /* unfold continuation lines: "a\n  b" becomes "a   b" */
    char *first_nl = strchr(s, '\n');
    for (char *p = first_nl; p && *p; p++)
        if (*p == '\n' && (p[1] == ' ' || p[1] == '\t')) {
            *p = ' ';
            if (p > s && p[-1] == '\r')
                p[-1] = ' ';
        }

    /* request line: METHOD SP target [SP version]; the target may hold spaces */
    char *rl_end = strchr(s, '\n');
    if (rl_end) {
        *rl_end = '\0';
        if (rl_end > s && rl_end[-1] == '\r')
            rl_end[-1] = '\0';
    }
    char *sp = strchr(s, ' ');
    if (!sp)
        return -1;
    *sp = '\0';
    r->method = s;
    char *target = sp + 1, *last = strrchr(target, ' ');
    if (last)
        *last = '\0';
    char *qm = strchr(target, '?');
    if (qm)
        *qm++ = '\0';
    r->path = target;
    if (test_split_query(qm, r->query, &r->nquery))
        return -1;

    for (line = rl_end ? rl_end + 1 : NULL; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl) {
            *nl = '\0';
            if (nl > line && nl[-1] == '\r')
                nl[-1] = '\0';
        }
        char *colon = strchr(line, ':');
        if (!colon || r->nheaders == TEST_REQ_MAX)
            return -1;
        *colon = '\0';
        r->headers[r->nheaders].name = line;
        r->headers[r->nheaders++].value = colon + 1;
        line = nl ? nl + 1 : NULL;
    }
    return 0;
}

#endif
