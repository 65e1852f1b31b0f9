/*
 * out_file_render.c - records as JSON lines: the body's fields in order, with
 * the event time (and optionally the tag and metadata) added under keys the
 * user picks. A body field with the same name as an added key is left out, so
 * every line is an object without duplicate keys.
 */
#include <string.h>

#include "out_file_render.h"

render_time_t render_time_format(const char *s)
{
    if (s && strcmp(s, "epoch") == 0)
        return RENDER_TIME_EPOCH;
    if (s && strcmp(s, "epoch_ns") == 0)
        return RENDER_TIME_EPOCH_NS;
    return RENDER_TIME_ISO8601;
}

static bool set(const char *k)
{
    return k && *k;
}

static int put_key(igz_buf_t *out, const char *k, bool *first)
{
    int rc = *first ? 0 : igz_buf_append(out, ",", 1);
    *first = false;
    if (!rc)
        rc = igz_json_quote(k, strlen(k), out);
    if (!rc)
        rc = igz_buf_append(out, ":", 1);
    return rc;
}

static int put_time(const render_opts_t *o, igz_time_t t, igz_buf_t *out)
{
    switch (o->time_format) {
    case RENDER_TIME_EPOCH:
        return igz_buf_printf(out, "%lld.%09lld", (long long)(t / 1000000000),
                              (long long)((t % 1000000000 + 1000000000) % 1000000000));
    case RENDER_TIME_EPOCH_NS:
        return igz_buf_printf(out, "%lld", (long long)t);
    case RENDER_TIME_ISO8601:
        break;
    }
    int rc = igz_buf_append(out, "\"", 1);
    if (!rc)
        rc = igz_json_time(t, out);
    if (!rc)
        rc = igz_buf_append(out, "\"", 1);
    return rc;
}

static bool is_added(const render_opts_t *o, const igz_value_t *k)
{
    const char *keys[3] = {o->time_key, o->tag_key, o->metadata_key};
    for (int i = 0; i < 3; i++)
        if (set(keys[i]) && igz_value_str_eq(k, keys[i], strlen(keys[i])))
            return true;
    return false;
}

static int render_record(const render_opts_t *o, const char *tag, const igz_record_t *rec,
                         igz_buf_t *out)
{
    bool first = true;
    int rc = igz_buf_append(out, "{", 1);
    if (!rc && set(o->time_key) && !(rc = put_key(out, o->time_key, &first)))
        rc = put_time(o, rec->time, out);
    if (!rc && set(o->tag_key) && !(rc = put_key(out, o->tag_key, &first)))
        rc = igz_json_quote(tag, strlen(tag), out);
    if (!rc && set(o->metadata_key) && !(rc = put_key(out, o->metadata_key, &first)))
        rc = igz_json_from_value(&rec->meta, out);
    igz_iter_t it;
    igz_value_t k, v;
    if (!rc)
        rc = igz_iter_init(&it, &rec->body);
    while (!rc) {
        int more = igz_iter_next(&it, &k, &v);
        if (more <= 0) {
            rc = more;
            break;
        }
        if (is_added(o, &k))
            continue;
        if (!first)
            rc = igz_buf_append(out, ",", 1);
        first = false;
        if (!rc) {
            if (k.type == IGZ_T_STR) {
                rc = igz_json_quote(k.s, k.len, out);
            } else { /* a non-string key: its JSON text, quoted */
                igz_buf_t tmp = IGZ_BUF_INIT;
                rc = igz_json_from_value(&k, &tmp);
                if (!rc)
                    rc = igz_json_quote(tmp.data, tmp.len, out);
                igz_buf_free(&tmp);
            }
        }
        if (!rc)
            rc = igz_buf_append(out, ":", 1);
        if (!rc)
            rc = igz_json_from_value(&v, out);
    }
    if (!rc)
        rc = igz_buf_append(out, "}\n", 2);
    return rc;
}

int render_jsonl(const render_opts_t *o, const char *tag, const void *data, size_t len,
                 igz_buf_t *out)
{
    size_t start = out->len;
    igz_reader_t r;
    igz_record_t rec;
    int rc;
    igz_reader_init(&r, data, len);
    while ((rc = igz_reader_next(&r, &rec)) == 1)
        if ((rc = render_record(o, tag, &rec, out)) != 0)
            break;
    if (rc < 0)
        out->len = start;
    return rc < 0 ? rc : 0;
}
