/*
 * aws_sigv4_canon.c - the canonical path, query and headers of SigV4.
 *
 * AWS recomputes the canonical request from what it receives, so every byte
 * here must match the server's rules exactly: RFC 3986 encoding with
 * upper-case hex, parameters sorted by encoded name then value, header names
 * lower-cased and sorted (repeated ones joined in order, which a stable sort
 * keeps), values trimmed with inner blanks collapsed. Temporary arrays are
 * sized up front and every allocation is checked; on failure nothing
 * half-built is left visible to the caller (it resets its buffers).
 */
#include <stdlib.h>
#include <string.h>

#include "aws_sigv4_int.h"
#include "iguazu/error.h"

static bool unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

bool igz__sigv4_is_tchar(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           (c && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

static bool is_ctl(unsigned char c)
{
    return c < 0x20 || c == 0x7f;
}

static bool is_blank(unsigned char c)
{
    return c == ' ' || c == '\t';
}

/* Make sure b->data is a string even when nothing was appended. */
static int terminate(igz_buf_t *b)
{
    if (igz_buf_reserve(b, 1))
        return IGZ_ENOMEM;
    b->data[b->len] = '\0';
    return 0;
}

int igz_sigv4_uri_encode(igz_buf_t *out, const char *s, size_t n, bool keep_slash)
{
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *p = (const unsigned char *)s;
    size_t need = 1;
    for (size_t i = 0; i < n; i++) {
        size_t w = (unreserved(p[i]) || (keep_slash && p[i] == '/')) ? 1 : 3;
        if (need > SIZE_MAX - w)
            return IGZ_ENOMEM;
        need += w;
    }
    if (igz_buf_reserve(out, need))
        return IGZ_ENOMEM;
    char *d = out->data + out->len;
    for (size_t i = 0; i < n; i++) {
        if (unreserved(p[i]) || (keep_slash && p[i] == '/')) {
            *d++ = (char)p[i];
        } else {
            *d++ = '%';
            *d++ = hex[p[i] >> 4];
            *d++ = hex[p[i] & 15];
        }
    }
    *d = '\0';
    out->len = (size_t)(d - out->data);
    return 0;
}

int igz__sigv4_wire_path(igz_buf_t *out, const char *path, unsigned flags)
{
    if (!path || !*path)
        return igz_buf_append(out, "/", 1) ? IGZ_ENOMEM : terminate(out);
    if (path[0] != '/')
        return IGZ_EINVAL;
    size_t n = strlen(path);
    if (flags & IGZ_SIGV4_RAW_PATH)
        return igz_sigv4_uri_encode(out, path, n, true);
    for (size_t i = 0; i < n; i++)
        if (is_ctl((unsigned char)path[i]))
            return IGZ_EINVAL;
    return igz_buf_append(out, path, n) ? IGZ_ENOMEM : terminate(out);
}

/*
 * RFC 3986 dot-segment removal as SigV4 applies it, plus dropping empty
 * segments: "//a/./b/../c/" becomes "/a/c/". A path ending in "/", "/." or
 * "/.." keeps its final slash unless nothing is left but "/".
 */
static int normalize_path(igz_buf_t *out, const char *p, size_t n)
{
    size_t nseg = 1;
    for (size_t i = 0; i < n; i++)
        nseg += p[i] == '/';
    size_t *start = malloc(nseg * sizeof *start), *len = malloc(nseg * sizeof *len);
    if (!start || !len) {
        free(start);
        free(len);
        return IGZ_ENOMEM;
    }
    size_t depth = 0;
    bool trailing = false;
    size_t i = (n && p[0] == '/') ? 1 : 0;
    while (i <= n) {
        size_t j = i;
        while (j < n && p[j] != '/')
            j++;
        size_t l = j - i;
        bool last = j >= n;
        if (l == 0 || (l == 1 && p[i] == '.')) {
            trailing = last;
        } else if (l == 2 && p[i] == '.' && p[i + 1] == '.') {
            if (depth)
                depth--;
            trailing = last;
        } else {
            start[depth] = i;
            len[depth++] = l;
            trailing = false;
        }
        i = j + 1;
    }
    int rc = 0;
    if (depth == 0)
        rc = igz_buf_append(out, "/", 1);
    for (size_t k = 0; k < depth && !rc; k++)
        if ((rc = igz_buf_append(out, "/", 1)) == 0)
            rc = igz_buf_append(out, p + start[k], len[k]);
    if (!rc && depth && trailing)
        rc = igz_buf_append(out, "/", 1);
    free(start);
    free(len);
    return rc ? IGZ_ENOMEM : 0;
}

int igz__sigv4_canon_path(igz_buf_t *out, const char *p, size_t n, unsigned flags)
{
    igz_buf_t norm = IGZ_BUF_INIT;
    int rc;
    if (!(flags & IGZ_SIGV4_NO_NORMALIZE)) {
        if ((rc = normalize_path(&norm, p, n)) != 0)
            goto done;
        p = norm.data;
        n = norm.len;
    }
    if (flags & IGZ_SIGV4_SINGLE_ENCODE)
        rc = igz_buf_append(out, p, n) ? IGZ_ENOMEM : terminate(out);
    else
        rc = igz_sigv4_uri_encode(out, p, n, true);
done:
    igz_buf_free(&norm);
    return rc;
}

/* One encoded parameter; offsets into a scratch buffer until it stops growing. */
typedef struct qent {
    size_t ko, kl, vo, vl;
    const char *base;
} qent_t;

static int cmp_bytes(const char *a, size_t al, const char *b, size_t bl)
{
    int c = memcmp(a, b, al < bl ? al : bl);
    if (c)
        return c;
    return al < bl ? -1 : al > bl;
}

static int qent_cmp(const void *x, const void *y)
{
    const qent_t *a = x, *b = y;
    int c = cmp_bytes(a->base + a->ko, a->kl, b->base + b->ko, b->kl);
    return c ? c : cmp_bytes(a->base + a->vo, a->vl, b->base + b->vo, b->vl);
}

int igz__sigv4_canon_query(igz_buf_t *out, const igz_sigv4_pair_t *a, size_t na,
                           const igz_sigv4_pair_t *b, size_t nb)
{
    size_t n = na + nb;
    if (n == 0)
        return terminate(out);
    if (n > SIZE_MAX / sizeof(qent_t))
        return IGZ_ENOMEM;
    qent_t *e = malloc(n * sizeof *e);
    if (!e)
        return IGZ_ENOMEM;
    igz_buf_t scratch = IGZ_BUF_INIT;
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        const igz_sigv4_pair_t *q = i < na ? &a[i] : &b[i - na];
        if (!q->name) {
            rc = IGZ_EINVAL;
            break;
        }
        const char *v = q->value ? q->value : "";
        e[i].ko = scratch.len;
        rc = igz_sigv4_uri_encode(&scratch, q->name, strlen(q->name), false);
        e[i].kl = scratch.len - e[i].ko;
        e[i].vo = scratch.len;
        if (!rc)
            rc = igz_sigv4_uri_encode(&scratch, v, strlen(v), false);
        e[i].vl = scratch.len - e[i].vo;
    }
    if (!rc) {
        for (size_t i = 0; i < n; i++)
            e[i].base = scratch.data;
        qsort(e, n, sizeof *e, qent_cmp);
        size_t total = 1;
        for (size_t i = 0; i < n; i++)
            total += e[i].kl + e[i].vl + 2;
        rc = igz_buf_reserve(out, total);
    }
    for (size_t i = 0; i < n && !rc; i++) {
        if (i)
            rc = igz_buf_append(out, "&", 1);
        if (!rc)
            rc = igz_buf_append(out, scratch.data + e[i].ko, e[i].kl);
        if (!rc)
            rc = igz_buf_append(out, "=", 1);
        if (!rc)
            rc = igz_buf_append(out, scratch.data + e[i].vo, e[i].vl);
    }
    if (!rc)
        rc = terminate(out);
    free(e);
    igz_buf_free(&scratch);
    return rc;
}

/* One header: its lower-cased name in a scratch buffer, its value as given. */
typedef struct hent {
    size_t no, nl, idx;
    const char *base, *value;
} hent_t;

static int hent_cmp(const void *x, const void *y)
{
    const hent_t *a = x, *b = y;
    int c = cmp_bytes(a->base + a->no, a->nl, b->base + b->no, b->nl);
    if (c)
        return c;
    return a->idx < b->idx ? -1 : a->idx > b->idx; /* keeps repeated names in order */
}

static bool valid_value(const char *v)
{
    for (const unsigned char *p = (const unsigned char *)v; *p; p++)
        if (is_ctl(*p) && *p != '\t')
            return false;
    return true;
}

/* Append v trimmed, each inner run of blanks as one space. */
static int append_trimmed(igz_buf_t *out, const char *v)
{
    const char *p = v;
    while (is_blank((unsigned char)*p))
        p++;
    bool gap = false;
    for (; *p; p++) {
        if (is_blank((unsigned char)*p)) {
            gap = true;
            continue;
        }
        if (gap && igz_buf_append(out, " ", 1))
            return IGZ_ENOMEM;
        gap = false;
        if (igz_buf_append(out, p, 1))
            return IGZ_ENOMEM;
    }
    return 0;
}

static int load_headers(hent_t *e, igz_buf_t *scratch, const igz_sigv4_pair_t *a, size_t na,
                        const igz_sigv4_pair_t *b, size_t nb)
{
    for (size_t i = 0; i < na + nb; i++) {
        const igz_sigv4_pair_t *h = i < na ? &a[i] : &b[i - na];
        if (!h->name || !h->name[0] || !h->value || !valid_value(h->value))
            return IGZ_EINVAL;
        e[i].no = scratch->len;
        e[i].idx = i;
        e[i].value = h->value;
        for (const char *p = h->name; *p; p++) {
            unsigned char c = (unsigned char)*p;
            if (!igz__sigv4_is_tchar(c))
                return IGZ_EINVAL;
            char lc = (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
            if (igz_buf_append(scratch, &lc, 1))
                return IGZ_ENOMEM;
        }
        e[i].nl = scratch->len - e[i].no;
    }
    return 0;
}

int igz__sigv4_canon_headers(igz_buf_t *canon, igz_buf_t *names, const igz_sigv4_pair_t *a,
                             size_t na, const igz_sigv4_pair_t *b, size_t nb, bool *has_host)
{
    size_t n = na + nb;
    *has_host = false;
    if (n > SIZE_MAX / sizeof(hent_t))
        return IGZ_ENOMEM;
    hent_t *e = malloc((n ? n : 1) * sizeof *e);
    if (!e)
        return IGZ_ENOMEM;
    igz_buf_t scratch = IGZ_BUF_INIT;
    int rc = load_headers(e, &scratch, a, na, b, nb);
    if (!rc) {
        for (size_t i = 0; i < n; i++)
            e[i].base = scratch.data;
        qsort(e, n, sizeof *e, hent_cmp);
    }
    for (size_t i = 0; i < n && !rc;) {
        const char *name = scratch.data + e[i].no;
        size_t nl = e[i].nl;
        if (nl == 4 && memcmp(name, "host", 4) == 0)
            *has_host = true;
        if (names->len)
            rc = igz_buf_append(names, ";", 1);
        if (!rc)
            rc = igz_buf_append(names, name, nl);
        if (!rc)
            rc = igz_buf_append(canon, name, nl);
        if (!rc)
            rc = igz_buf_append(canon, ":", 1);
        size_t j = i;
        for (; j < n && !rc && cmp_bytes(scratch.data + e[j].no, e[j].nl, name, nl) == 0; j++) {
            if (j > i)
                rc = igz_buf_append(canon, ",", 1);
            if (!rc)
                rc = append_trimmed(canon, e[j].value);
        }
        if (!rc)
            rc = igz_buf_append(canon, "\n", 1);
        i = j;
    }
    if (!rc)
        rc = terminate(canon);
    if (!rc)
        rc = terminate(names);
    free(e);
    igz_buf_free(&scratch);
    return rc;
}
