/*
 * toml.c - a TOML 1.0 parser: one recursive-descent pass over the text that
 * builds the tree of toml.h, with the line of every key kept for errors.
 *
 * The table rules of TOML (what may be defined twice, what dotted keys may
 * extend) are enforced with three flags per table: DEFINED by a [header],
 * DOTTED (made by a dotted key), INLINE (an inline table or array literal,
 * closed for good). Values and strings are in toml_value.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iguazu/error.h"
#include "toml_internal.h"

/* ---- nodes -------------------------------------------------------------------- */

igz_toml_node_t *igz__toml_node_new(igz_toml_parser_t *P, igz_conf_type_t type)
{
    igz_toml_node_t *n = calloc(1, sizeof *n);
    if (!n) {
        P->oom = 1;
        return NULL;
    }
    n->type = type;
    n->line = P->line;
    n->file = P->file;
    return n;
}

void igz_toml_free_node(igz_toml_node_t *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->len; i++) {
        if (n->keys)
            free(n->keys[i]);
        igz_toml_free_node(n->vals[i]);
    }
    free(n->keys);
    free(n->key_lens);
    free(n->vals);
    free(n->str);
    free(n);
}

void igz_toml_free(igz_toml_node_t *root)
{
    if (!root)
        return;
    char *file = (char *)root->file;
    igz_toml_free_node(root);
    free(file);
}

/* Append v to a table (under key) or an array (key NULL). Takes v. */
int igz__toml_add(igz_toml_parser_t *P, igz_toml_node_t *t, const char *key, size_t klen,
                  igz_toml_node_t *v)
{
    if (t->len == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 4;
        igz_toml_node_t **nv = realloc(t->vals, cap * sizeof *nv);
        if (!nv)
            goto oom;
        t->vals = nv;
        if (t->type == IGZ_CONF_TABLE) {
            char **nk = realloc(t->keys, cap * sizeof *nk);
            if (!nk)
                goto oom;
            t->keys = nk;
            size_t *nl = realloc(t->key_lens, cap * sizeof *nl);
            if (!nl)
                goto oom;
            t->key_lens = nl;
        }
        t->cap = cap;
    }
    if (t->type == IGZ_CONF_TABLE) {
        char *k = malloc(klen + 1);
        if (!k)
            goto oom;
        memcpy(k, key, klen);
        k[klen] = '\0';
        t->keys[t->len] = k;
        t->key_lens[t->len] = klen;
    }
    t->vals[t->len++] = v;
    return 0;
oom:
    P->oom = 1;
    igz_toml_free_node(v);
    return -1;
}

igz_toml_node_t *igz__toml_find(const igz_toml_node_t *t, const char *key, size_t klen)
{
    for (size_t i = 0; i < t->len; i++)
        if (t->key_lens[i] == klen && memcmp(t->keys[i], key, klen) == 0)
            return t->vals[i];
    return NULL;
}

/* ---- errors and low-level scanning ------------------------------------------ */

int igz__toml_fail(igz_toml_parser_t *P, const char *fmt, ...)
{
    if (!P->failed) {
        P->failed = 1;
        int n = snprintf(P->err, P->errlen, "%u: ", P->line);
        va_list ap;
        va_start(ap, fmt);
        if (n >= 0 && (size_t)n < P->errlen)
            vsnprintf(P->err + n, P->errlen - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return -1;
}

void igz__toml_skip_ws(igz_toml_parser_t *P)
{
    while (P->p < P->end && (*P->p == ' ' || *P->p == '\t'))
        P->p++;
}

/* A comment runs to the end of the line; control characters other than tab
 * are not allowed in it. */
int igz__toml_skip_comment(igz_toml_parser_t *P)
{
    if (P->p >= P->end || *P->p != '#')
        return 0;
    while (P->p < P->end && *P->p != '\n') {
        unsigned char c = (unsigned char)*P->p;
        if ((c < 0x20 && c != '\t' && !(c == '\r' && P->p + 1 < P->end && P->p[1] == '\n')) ||
            c == 0x7f)
            return igz__toml_fail(P, "control character in a comment");
        P->p++;
    }
    return 0;
}

/* Consume one newline (LF or CRLF); returns 1 when there was one. */
int igz__toml_newline(igz_toml_parser_t *P)
{
    if (P->p < P->end && *P->p == '\n') {
        P->p++;
        P->line++;
        return 1;
    }
    if (P->p + 1 < P->end && P->p[0] == '\r' && P->p[1] == '\n') {
        P->p += 2;
        P->line++;
        return 1;
    }
    return 0;
}

/* Whitespace, comments and newlines (inside arrays). */
int igz__toml_skip_ws_nl(igz_toml_parser_t *P)
{
    for (;;) {
        igz__toml_skip_ws(P);
        if (igz__toml_skip_comment(P))
            return -1;
        if (!igz__toml_newline(P))
            return 0;
    }
}

/* ---- keys --------------------------------------------------------------------- */

/* One key segment into *out (malloc'd). */
static int parse_simple_key(igz_toml_parser_t *P, char **out, size_t *len)
{
    if (P->p >= P->end)
        return igz__toml_fail(P, "expected a key");
    char c = *P->p;
    if (c == '"' || c == '\'') {
        if (P->p + 2 < P->end && P->p[1] == c && P->p[2] == c)
            return igz__toml_fail(P, "a key cannot be a multi-line string");
        return igz__toml_string(P, out, len);
    }
    const char *s = P->p;
    while (P->p < P->end && igz__toml_is_bare(*P->p))
        P->p++;
    if (P->p == s)
        return igz__toml_fail(P, "expected a key, found '%c'", c);
    *len = (size_t)(P->p - s);
    if (!(*out = malloc(*len + 1))) {
        P->oom = 1;
        return -1;
    }
    memcpy(*out, s, *len);
    (*out)[*len] = '\0';
    return 0;
}

void igz__toml_key_free(igz_toml_key_t *k)
{
    for (size_t i = 0; i < k->n; i++)
        free(k->seg[i]);
    k->n = 0;
}

int igz__toml_key(igz_toml_parser_t *P, igz_toml_key_t *k)
{
    k->n = 0;
    for (;;) {
        igz__toml_skip_ws(P);
        if (k->n == IGZ_TOML_MAX_KEY_SEGMENTS)
            return igz__toml_fail(P, "key has too many parts");
        if (parse_simple_key(P, &k->seg[k->n], &k->len[k->n]))
            return -1;
        k->n++;
        igz__toml_skip_ws(P);
        if (P->p < P->end && *P->p == '.') {
            P->p++;
            continue;
        }
        return 0;
    }
}

/* ---- tables ------------------------------------------------------------------- */

static const char *seg_name(const igz_toml_key_t *k, size_t i)
{
    return k->seg[i];
}

/* Walk or create the tables of a dotted key's prefix, from t. */
int igz__toml_walk_dotted(igz_toml_parser_t *P, igz_toml_node_t **t, const igz_toml_key_t *k)
{
    for (size_t i = 0; i + 1 < k->n; i++) {
        igz_toml_node_t *n = igz__toml_find(*t, k->seg[i], k->len[i]);
        if (!n) {
            n = igz__toml_node_new(P, IGZ_CONF_TABLE);
            if (!n)
                return -1;
            n->flags |= IGZ_TOML_DOTTED;
            if (igz__toml_add(P, *t, k->seg[i], k->len[i], n))
                return -1;
        } else if (n->type != IGZ_CONF_TABLE || (n->flags & IGZ_TOML_INLINE) ||
                   !(n->flags & IGZ_TOML_DOTTED)) {
            return igz__toml_fail(P, "cannot add to \"%s\" with a dotted key: it is %s",
                                  seg_name(k, i),
                                  n->type != IGZ_CONF_TABLE      ? "not a table"
                                  : (n->flags & IGZ_TOML_INLINE) ? "an inline table"
                                                                 : "a table defined elsewhere");
        }
        *t = n;
    }
    return 0;
}

/* [a.b.c] or [[a.b.c]] */
static int parse_header(igz_toml_parser_t *P)
{
    int aot = P->p + 1 < P->end && P->p[1] == '[';
    P->p += aot ? 2 : 1;
    igz_toml_key_t k;
    if (igz__toml_key(P, &k))
        goto fail;
    if (P->p >= P->end || *P->p != ']' || (aot && (P->p + 1 >= P->end || P->p[1] != ']'))) {
        igz__toml_fail(P, "expected '%s' to close the table header", aot ? "]]" : "]");
        goto fail;
    }
    P->p += aot ? 2 : 1;
    igz_toml_node_t *t = P->root;
    for (size_t i = 0; i + 1 < k.n; i++) {
        igz_toml_node_t *n = igz__toml_find(t, k.seg[i], k.len[i]);
        if (!n) {
            if (!(n = igz__toml_node_new(P, IGZ_CONF_TABLE)) ||
                igz__toml_add(P, t, k.seg[i], k.len[i], n))
                goto fail;
        } else if (n->type == IGZ_CONF_ARRAY && (n->flags & IGZ_TOML_AOT)) {
            n = n->vals[n->len - 1];
        } else if (n->type != IGZ_CONF_TABLE || (n->flags & IGZ_TOML_INLINE)) {
            igz__toml_fail(P, "\"%s\" is already defined as a value, it cannot be a table",
                           k.seg[i]);
            goto fail;
        }
        t = n;
    }
    const char *last = k.seg[k.n - 1];
    size_t last_len = k.len[k.n - 1];
    igz_toml_node_t *n = igz__toml_find(t, last, last_len);
    if (aot) {
        if (!n) {
            if (!(n = igz__toml_node_new(P, IGZ_CONF_ARRAY)))
                goto fail;
            n->flags |= IGZ_TOML_AOT;
            if (igz__toml_add(P, t, last, last_len, n))
                goto fail;
        } else if (n->type != IGZ_CONF_ARRAY || !(n->flags & IGZ_TOML_AOT)) {
            igz__toml_fail(P, "\"%s\" is already defined, it cannot be an array of tables", last);
            goto fail;
        }
        igz_toml_node_t *el = igz__toml_node_new(P, IGZ_CONF_TABLE);
        if (!el || igz__toml_add(P, n, NULL, 0, el))
            goto fail;
        el->flags |= IGZ_TOML_DEFINED;
        P->current = el;
    } else {
        if (!n) {
            if (!(n = igz__toml_node_new(P, IGZ_CONF_TABLE)) ||
                igz__toml_add(P, t, last, last_len, n))
                goto fail;
        } else if (n->type != IGZ_CONF_TABLE ||
                   (n->flags & (IGZ_TOML_DEFINED | IGZ_TOML_DOTTED | IGZ_TOML_INLINE))) {
            igz__toml_fail(P, "table \"%s\" is defined twice", last);
            goto fail;
        }
        n->flags |= IGZ_TOML_DEFINED;
        n->line = P->line;
        P->current = n;
    }
    igz__toml_key_free(&k);
    return 0;
fail:
    igz__toml_key_free(&k);
    return -1;
}

/* key = value into table t (the current table, or an inline table). */
int igz__toml_keyval(igz_toml_parser_t *P, igz_toml_node_t *t)
{
    uint32_t line = P->line;
    igz_toml_key_t k;
    if (igz__toml_key(P, &k))
        goto fail;
    if (P->p >= P->end || *P->p != '=') {
        igz__toml_fail(P, "expected '=' after key \"%s\"", k.seg[k.n - 1]);
        goto fail;
    }
    P->p++;
    igz__toml_skip_ws(P);
    if (igz__toml_walk_dotted(P, &t, &k))
        goto fail;
    const char *last = k.seg[k.n - 1];
    if (igz__toml_find(t, last, k.len[k.n - 1])) {
        igz__toml_fail(P, "duplicate key \"%s\"", last);
        goto fail;
    }
    igz_toml_node_t *v = igz__toml_value(P);
    if (!v)
        goto fail;
    v->line = line;
    if (igz__toml_add(P, t, last, k.len[k.n - 1], v))
        goto fail;
    igz__toml_key_free(&k);
    return 0;
fail:
    igz__toml_key_free(&k);
    return -1;
}

/* ---- the document -------------------------------------------------------------- */

/* UTF-8 is checked once over the whole text, so the rest can work on bytes. */
static int check_utf8(igz_toml_parser_t *P)
{
    const unsigned char *p = (const unsigned char *)P->p, *end = (const unsigned char *)P->end;
    uint32_t line = 1;
    while (p < end) {
        unsigned c = *p;
        if (c < 0x80) {
            line += c == '\n';
            p++;
            continue;
        }
        size_t n = 0;
        uint32_t cp = 0;
        if (c >= 0xc2 && c <= 0xdf)
            n = 2, cp = c & 0x1f;
        else if (c >= 0xe0 && c <= 0xef)
            n = 3, cp = c & 0x0f;
        else if (c >= 0xf0 && c <= 0xf4)
            n = 4, cp = c & 0x07;
        if (!n || (size_t)(end - p) < n)
            goto bad;
        for (size_t i = 1; i < n; i++) {
            if ((p[i] & 0xc0) != 0x80)
                goto bad;
            cp = cp << 6 | (p[i] & 0x3f);
        }
        if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
            (cp >= 0xd800 && cp <= 0xdfff))
            goto bad;
        p += n;
    }
    return 0;
bad:
    P->line = line;
    return igz__toml_fail(P, "invalid UTF-8");
}

int igz_toml_parse(const char *text, size_t len, const char *file, igz_toml_node_t **out, char *err,
                   size_t errlen)
{
    *out = NULL;
    igz_toml_parser_t P;
    memset(&P, 0, sizeof P);
    P.p = text;
    P.end = text + len;
    P.line = 1;
    P.err = err;
    P.errlen = errlen;
    if (errlen)
        err[0] = '\0';
    char *fcopy = strdup(file ? file : "(toml)");
    if (!fcopy)
        return IGZ_ENOMEM;
    P.file = fcopy;
    P.root = igz__toml_node_new(&P, IGZ_CONF_TABLE);
    if (!P.root) {
        free(fcopy);
        return IGZ_ENOMEM;
    }
    P.root->file = fcopy;
    P.current = P.root;
    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
        P.p += 3;
    int rc = check_utf8(&P);
    while (!rc && P.p < P.end) {
        igz__toml_skip_ws(&P);
        if (P.p >= P.end)
            break;
        char c = *P.p;
        if (c == '#') {
            rc = igz__toml_skip_comment(&P);
        } else if (c == '\n' || c == '\r') {
            if (!igz__toml_newline(&P))
                rc = igz__toml_fail(&P, "a carriage return must be followed by a newline");
            continue;
        } else if (c == '[') {
            rc = parse_header(&P);
        } else {
            rc = igz__toml_keyval(&P, P.current);
        }
        if (rc)
            break;
        /* after a key/value or header: only a comment, then the end of the line */
        igz__toml_skip_ws(&P);
        if (igz__toml_skip_comment(&P)) {
            rc = -1;
            break;
        }
        if (P.p < P.end && !igz__toml_newline(&P))
            rc = igz__toml_fail(&P, "expected the end of the line, found '%c'", *P.p);
    }
    if (rc || P.failed || P.oom) {
        int code = P.oom ? IGZ_ENOMEM : IGZ_EPARSE;
        if (P.oom && errlen)
            snprintf(err, errlen, "%u: out of memory", P.line);
        igz_toml_free(P.root);
        return code;
    }
    *out = P.root;
    return 0;
}
