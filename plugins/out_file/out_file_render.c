/*
 * out_file_render.c - records as JSON lines.
 *
 * A line is the record's body, an object, with the event time (and, when
 * asked, the tag and the metadata map) added in front under keys the user
 * picks. A body field named like an added key is left out, so every line is
 * an object without duplicate keys: JSON readers disagree on which of two
 * duplicates wins, and the added value is the one the user asked for.
 * Compiled into out_file and out_stdout alike, so the two write the same text.
 */
#include <string.h>

#include "out_file_render.h"

static void field_set(out_file_field_t *f, const char *key)
{
    f->key = key ? key : "";
    f->len = strlen(f->key);
}

int out_file_render_init(out_file_render_t *r, igz_instance_t *ins, const char *time_key,
                         const char *time_format, const char *tag_key, const char *metadata_key)
{
    static const char *const names[3] = {"time_key", "tag_key", "metadata_key"};
    field_set(&r->time, time_key);
    field_set(&r->tag, tag_key);
    field_set(&r->meta, metadata_key);
    const out_file_field_t *f[3] = {&r->time, &r->tag, &r->meta};
    for (int i = 0; i < 3; i++)
        for (int j = i + 1; j < 3; j++)
            if (f[i]->len && f[i]->len == f[j]->len &&
                memcmp(f[i]->key, f[j]->key, f[i]->len) == 0) {
                igz_error(ins,
                          "\"%s\" and \"%s\" are both \"%s\": a line cannot hold the key twice",
                          names[i], names[j], f[i]->key);
                return IGZ_ECONFIG;
            }
    if (time_format && strcmp(time_format, "epoch") == 0)
        r->time_format = OUT_FILE_TIME_EPOCH;
    else if (time_format && strcmp(time_format, "epoch_ns") == 0)
        r->time_format = OUT_FILE_TIME_EPOCH_NS;
    else
        r->time_format = OUT_FILE_TIME_ISO8601;
    return 0;
}

static int put_key(igz_buf_t *out, const out_file_field_t *f, bool *first)
{
    int rc = *first ? 0 : igz_buf_append(out, ",", 1);
    *first = false;
    if (!rc)
        rc = igz_json_quote(f->key, f->len, out);
    if (!rc)
        rc = igz_buf_append(out, ":", 1);
    return rc;
}

static int put_time(const out_file_render_t *r, igz_time_t t, igz_buf_t *out)
{
    switch (r->time_format) {
    case OUT_FILE_TIME_EPOCH: {
        /* printed from the integer nanoseconds, not through a double, so that no digit is
         * invented or lost; before 1970 the sign stands in front of the whole number */
        uint64_t a = t < 0 ? (uint64_t)0 - (uint64_t)t : (uint64_t)t;
        return igz_buf_printf(out, "%s%llu.%09llu", t < 0 ? "-" : "",
                              (unsigned long long)(a / 1000000000u),
                              (unsigned long long)(a % 1000000000u));
    }
    case OUT_FILE_TIME_EPOCH_NS:
        return igz_buf_printf(out, "%lld", (long long)t);
    case OUT_FILE_TIME_ISO8601:
        break;
    }
    int rc = igz_buf_append(out, "\"", 1);
    if (!rc)
        rc = igz_json_time(t, out);
    if (!rc)
        rc = igz_buf_append(out, "\"", 1);
    return rc;
}

static bool is_added(const out_file_render_t *r, const igz_value_t *k)
{
    const out_file_field_t *f[3] = {&r->time, &r->tag, &r->meta};
    for (int i = 0; i < 3; i++)
        if (f[i]->len && igz_value_str_eq(k, f[i]->key, f[i]->len))
            return true;
    return false;
}

/* A body key as a JSON member name: strings as they are, any other msgpack
 * key (an integer, say) by its JSON text in quotes, since JSON keys are strings. */
static int put_body_key(const igz_value_t *k, igz_buf_t *out)
{
    if (k->type == IGZ_T_STR)
        return igz_json_quote(k->s, k->len, out);
    igz_buf_t tmp = IGZ_BUF_INIT;
    int rc = igz_json_from_value(k, &tmp);
    if (!rc)
        rc = igz_json_quote(tmp.data, tmp.len, out);
    igz_buf_free(&tmp);
    return rc;
}

static int render_record(const out_file_render_t *r, const char *tag, size_t tag_len,
                         const igz_record_t *rec, igz_buf_t *out)
{
    bool first = true;
    int rc = igz_buf_append(out, "{", 1);
    if (!rc && r->time.len && !(rc = put_key(out, &r->time, &first)))
        rc = put_time(r, rec->time, out);
    if (!rc && r->tag.len && !(rc = put_key(out, &r->tag, &first)))
        rc = igz_json_quote(tag, tag_len, out);
    if (!rc && r->meta.len && !(rc = put_key(out, &r->meta, &first)))
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
        if (is_added(r, &k))
            continue;
        if (!first)
            rc = igz_buf_append(out, ",", 1);
        first = false;
        if (!rc)
            rc = put_body_key(&k, out);
        if (!rc)
            rc = igz_buf_append(out, ":", 1);
        if (!rc)
            rc = igz_json_from_value(&v, out);
    }
    if (!rc)
        rc = igz_buf_append(out, "}\n", 2);
    return rc;
}

int out_file_render_jsonl(const out_file_render_t *r, const char *tag, const void *data, size_t len,
                          igz_buf_t *out)
{
    size_t start = out->len;
    size_t tag_len = strlen(tag);
    igz_reader_t rd;
    igz_record_t rec;
    int rc;
    igz_reader_init(&rd, data, len);
    while ((rc = igz_reader_next(&rd, &rec)) == 1)
        if ((rc = render_record(r, tag, tag_len, &rec, out)) != 0)
            break;
    if (rc >= 0)
        return 0;
    out->len = start;
    /* anything but a lack of memory is a chunk that no retry will make readable */
    return rc == IGZ_ENOMEM ? rc : IGZ_EPARSE;
}
