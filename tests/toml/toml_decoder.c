/*
 * toml_decoder.c - reads TOML on stdin and prints toml-test's tagged JSON on
 * stdout (exit 1 with the error on stderr for invalid TOML): the decoder
 * interface that the toml-test suite drives.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iguazu/iguazu.h"
#include "toml.h"

static int emit(const igz_toml_node_t *n, igz_buf_t *out);

static int tagged(const char *type, const char *value, size_t len, igz_buf_t *out)
{
    int rc = igz_buf_printf(out, "{\"type\":\"%s\",\"value\":", type);
    if (!rc)
        rc = igz_json_quote(value, len, out);
    if (!rc)
        rc = igz_buf_append_str(out, "}");
    return rc;
}

static int emit(const igz_toml_node_t *n, igz_buf_t *out)
{
    char tmp[64];
    int rc = 0;
    switch (n->type) {
    case IGZ_CONF_STRING:
        return tagged("string", n->str, n->str_len, out);
    case IGZ_CONF_INTEGER:
        snprintf(tmp, sizeof tmp, "%lld", (long long)n->i);
        return tagged("integer", tmp, strlen(tmp), out);
    case IGZ_CONF_FLOAT:
        if (isnan(n->f))
            snprintf(tmp, sizeof tmp, "nan");
        else if (isinf(n->f))
            snprintf(tmp, sizeof tmp, "%sinf", n->f < 0 ? "-" : "+");
        else
            snprintf(tmp, sizeof tmp, "%.17g", n->f);
        return tagged("float", tmp, strlen(tmp), out);
    case IGZ_CONF_BOOL:
        return tagged("bool", n->b ? "true" : "false", n->b ? 4 : 5, out);
    case IGZ_CONF_DATETIME:
        return tagged("datetime", n->str, n->str_len, out);
    case IGZ_CONF_DATETIME_LOCAL:
        return tagged("datetime-local", n->str, n->str_len, out);
    case IGZ_CONF_DATE_LOCAL:
        return tagged("date-local", n->str, n->str_len, out);
    case IGZ_CONF_TIME_LOCAL:
        return tagged("time-local", n->str, n->str_len, out);
    case IGZ_CONF_ARRAY:
        rc = igz_buf_append_str(out, "[");
        for (size_t i = 0; i < n->len && !rc; i++) {
            if (i)
                rc = igz_buf_append_str(out, ",");
            if (!rc)
                rc = emit(n->vals[i], out);
        }
        return rc ? rc : igz_buf_append_str(out, "]");
    case IGZ_CONF_TABLE:
        rc = igz_buf_append_str(out, "{");
        for (size_t i = 0; i < n->len && !rc; i++) {
            if (i)
                rc = igz_buf_append_str(out, ",");
            if (!rc)
                rc = igz_json_quote(n->keys[i], n->key_lens[i], out);
            if (!rc)
                rc = igz_buf_append_str(out, ":");
            if (!rc)
                rc = emit(n->vals[i], out);
        }
        return rc ? rc : igz_buf_append_str(out, "}");
    }
    return IGZ_EINVAL;
}

int main(void)
{
    igz_buf_t in = IGZ_BUF_INIT;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0)
        if (igz_buf_append(&in, chunk, n)) {
            fprintf(stderr, "out of memory\n");
            return 2;
        }
    igz_toml_node_t *root;
    char err[512];
    if (igz_toml_parse(in.data ? in.data : "", in.len, "stdin", &root, err, sizeof err)) {
        fprintf(stderr, "stdin:%s\n", err);
        igz_buf_free(&in);
        return 1;
    }
    igz_buf_t out = IGZ_BUF_INIT;
    int rc = emit(root, &out);
    if (!rc) {
        fwrite(out.data, 1, out.len, stdout);
        fputc('\n', stdout);
    }
    igz_buf_free(&out);
    igz_buf_free(&in);
    igz_toml_free(root);
    return rc ? 2 : 0;
}
