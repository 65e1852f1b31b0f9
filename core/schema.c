/*
 * schema.c - one option table drives a plugin's configuration.
 *
 * The table checks each key's type, fills defaults, rejects unknown keys with
 * the closest known key, and stores values into the plugin's struct by
 * offset, so that no plugin parses a key by hand (Fluent Bit's config map is
 * the model; its weakness, keys parsed by hand beside the map, is what the
 * offsets prevent).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Everything allocated while filling a struct, freed together. */
typedef struct alloc_node {
    struct alloc_node *next;
    /* the allocation follows */
} alloc_node_t;

static void *alloc_tracked(void **allocs, size_t n)
{
    alloc_node_t *a = calloc(1, sizeof *a + n);
    if (!a)
        return NULL;
    a->next = *allocs;
    *allocs = a;
    return a + 1;
}

void igz__schema_free(void *allocs)
{
    alloc_node_t *a = allocs;
    while (a) {
        alloc_node_t *next = a->next;
        free(a);
        a = next;
    }
}

static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return 64;
    size_t row[65];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t best = diag + cost;
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

const char *igz__closest(const char *s, const char *const *candidates, size_t n)
{
    const char *best = NULL;
    size_t best_d = (size_t)-1;
    size_t limit = strlen(s) / 3 + 1;
    if (limit < 2)
        limit = 2;
    for (size_t i = 0; i < n; i++) {
        size_t d = edit_distance(s, candidates[i]);
        if (d < best_d) {
            best_d = d;
            best = candidates[i];
        }
    }
    return best_d <= limit ? best : NULL;
}

static const char *type_word(igz_opt_type_t t)
{
    switch (t) {
    case IGZ_OPT_STR:
    case IGZ_OPT_ENUM:
        return "a string";
    case IGZ_OPT_INT:
        return "an integer";
    case IGZ_OPT_FLOAT:
        return "a number";
    case IGZ_OPT_BOOL:
        return "a boolean";
    case IGZ_OPT_DURATION:
        return "a duration such as \"250ms\", \"10s\" or \"24h\"";
    case IGZ_OPT_SIZE:
        return "a size such as \"512KiB\" or \"5MiB\"";
    case IGZ_OPT_STR_LIST:
        return "a string or an array of strings";
    case IGZ_OPT_TABLE:
        return "a table";
    case IGZ_OPT_ANY:
        return "a value";
    }
    return "?";
}

static bool choice_ok(const char *choices, const char *v)
{
    size_t n = strlen(v);
    const char *p = choices;
    while (p && *p) {
        const char *bar = strchr(p, '|');
        size_t l = bar ? (size_t)(bar - p) : strlen(p);
        if (l == n && strncmp(p, v, n) == 0)
            return true;
        p = bar ? bar + 1 : NULL;
    }
    return false;
}

#define FIELD(conf, o, type) ((type *)((char *)(conf) + (o)->offset))

/* Store a value given as text (defaults, or string nodes of durations). */
static int store_text(const igz_option_t *o, const char *text, void *conf, void **allocs, char *why,
                      size_t whylen)
{
    bool store = o->offset != IGZ_OPT_NO_OFFSET;
    switch (o->type) {
    case IGZ_OPT_STR:
        if (store)
            *FIELD(conf, o, const char *) = text;
        return 0;
    case IGZ_OPT_ENUM:
        if (!choice_ok(o->choices, text)) {
            snprintf(why, whylen, "must be one of %s, not \"%s\"", o->choices ? o->choices : "",
                     text);
            return IGZ_ECONFIG;
        }
        if (store)
            *FIELD(conf, o, const char *) = text;
        return 0;
    case IGZ_OPT_INT: {
        char *end;
        long long v = strtoll(text, &end, 10);
        if (end == text || *end) {
            snprintf(why, whylen, "must be an integer, not \"%s\"", text);
            return IGZ_ECONFIG;
        }
        if (store)
            *FIELD(conf, o, int64_t) = v;
        return 0;
    }
    case IGZ_OPT_FLOAT: {
        char *end;
        double v = strtod(text, &end);
        if (end == text || *end) {
            snprintf(why, whylen, "must be a number, not \"%s\"", text);
            return IGZ_ECONFIG;
        }
        if (store)
            *FIELD(conf, o, double) = v;
        return 0;
    }
    case IGZ_OPT_BOOL:
        if (strcmp(text, "true") && strcmp(text, "false")) {
            snprintf(why, whylen, "must be true or false, not \"%s\"", text);
            return IGZ_ECONFIG;
        }
        if (store)
            *FIELD(conf, o, bool) = strcmp(text, "true") == 0;
        return 0;
    case IGZ_OPT_DURATION: {
        int64_t ms;
        if (igz_parse_duration(text, &ms)) {
            snprintf(why, whylen, "must be %s, not \"%s\"", type_word(o->type), text);
            return IGZ_ECONFIG;
        }
        if (store)
            *FIELD(conf, o, int64_t) = ms;
        return 0;
    }
    case IGZ_OPT_SIZE: {
        int64_t b;
        if (igz_parse_size(text, &b)) {
            snprintf(why, whylen, "must be %s, not \"%s\"", type_word(o->type), text);
            return IGZ_ECONFIG;
        }
        if (store)
            *FIELD(conf, o, int64_t) = b;
        return 0;
    }
    case IGZ_OPT_STR_LIST: {
        /* defaults: comma-separated; "" is the empty list */
        size_t n = 0;
        for (const char *p = text; *p; p++)
            n += *p == ',';
        n = *text ? n + 1 : 0;
        size_t tl = strlen(text);
        char **v = alloc_tracked(allocs, (n + 1) * sizeof(char *) + tl + 1);
        if (!v)
            return IGZ_ENOMEM;
        char *copy = (char *)(v + n + 1);
        memcpy(copy, text, tl + 1);
        size_t i = 0;
        for (char *p = copy; n && p;) {
            char *comma = strchr(p, ',');
            if (comma)
                *comma = '\0';
            v[i++] = p;
            p = comma ? comma + 1 : NULL;
        }
        if (store) {
            FIELD(conf, o, igz_strlist_t)->n = n;
            FIELD(conf, o, igz_strlist_t)->v = (const char *const *)v;
        }
        return 0;
    }
    case IGZ_OPT_TABLE:
    case IGZ_OPT_ANY:
        return 0; /* no text default for these */
    }
    return IGZ_EINVAL;
}

static int store_node(const igz_option_t *o, const igz_toml_node_t *node, void *conf, void **allocs,
                      char *why, size_t whylen)
{
    bool store = o->offset != IGZ_OPT_NO_OFFSET;
    igz_conf_type_t t = node->type;
    switch (o->type) {
    case IGZ_OPT_STR:
    case IGZ_OPT_ENUM:
        if (t != IGZ_CONF_STRING)
            break;
        return store_text(o, node->str, conf, allocs, why, whylen);
    case IGZ_OPT_INT:
        if (t != IGZ_CONF_INTEGER)
            break;
        if (store)
            *FIELD(conf, o, int64_t) = node->i;
        return 0;
    case IGZ_OPT_FLOAT:
        if (t != IGZ_CONF_INTEGER && t != IGZ_CONF_FLOAT)
            break;
        if (store)
            *FIELD(conf, o, double) = t == IGZ_CONF_INTEGER ? (double)node->i : node->f;
        return 0;
    case IGZ_OPT_BOOL:
        if (t != IGZ_CONF_BOOL)
            break;
        if (store)
            *FIELD(conf, o, bool) = node->b;
        return 0;
    case IGZ_OPT_DURATION:
        if (t == IGZ_CONF_INTEGER) { /* a bare number is seconds, as in Fluent Bit */
            if (node->i < 0 || node->i > INT64_MAX / 1000) {
                snprintf(why, whylen, "must be a positive duration");
                return IGZ_ECONFIG;
            }
            if (store)
                *FIELD(conf, o, int64_t) = node->i * 1000;
            return 0;
        }
        if (t != IGZ_CONF_STRING)
            break;
        return store_text(o, node->str, conf, allocs, why, whylen);
    case IGZ_OPT_SIZE:
        if (t == IGZ_CONF_INTEGER) {
            if (node->i < 0) {
                snprintf(why, whylen, "must not be negative");
                return IGZ_ECONFIG;
            }
            if (store)
                *FIELD(conf, o, int64_t) = node->i;
            return 0;
        }
        if (t != IGZ_CONF_STRING)
            break;
        return store_text(o, node->str, conf, allocs, why, whylen);
    case IGZ_OPT_STR_LIST: {
        size_t n = t == IGZ_CONF_STRING ? 1 : node->len;
        if (t == IGZ_CONF_ARRAY) {
            for (size_t i = 0; i < node->len; i++) {
                if (node->vals[i]->type != IGZ_CONF_STRING) {
                    snprintf(why, whylen, "must be an array of strings (element %zu is %s)", i + 1,
                             igz_conf_type_name(node->vals[i]->type));
                    return IGZ_ECONFIG;
                }
            }
        } else if (t != IGZ_CONF_STRING) {
            break;
        }
        const char **v = alloc_tracked(allocs, (n + 1) * sizeof(char *));
        if (!v)
            return IGZ_ENOMEM;
        for (size_t i = 0; i < n; i++)
            v[i] = t == IGZ_CONF_STRING ? node->str : node->vals[i]->str;
        if (store) {
            FIELD(conf, o, igz_strlist_t)->n = n;
            FIELD(conf, o, igz_strlist_t)->v = v;
        }
        return 0;
    }
    case IGZ_OPT_TABLE:
        if (t != IGZ_CONF_TABLE)
            break;
        if (store)
            *FIELD(conf, o, const igz_conf_t *) = node;
        return 0;
    case IGZ_OPT_ANY:
        if (store)
            *FIELD(conf, o, const igz_conf_t *) = node;
        return 0;
    }
    snprintf(why, whylen, "must be %s, not %s", type_word(o->type), igz_conf_type_name(t));
    return IGZ_ECONFIG;
}

static const igz_option_t *find_option(const igz_option_t *opts, const char *key)
{
    for (const igz_option_t *o = opts; o && o->key; o++)
        if (strcmp(o->key, key) == 0)
            return o;
    return NULL;
}

static int apply_one_table(const igz_option_t *opts, const igz_toml_node_t *table, const char *what,
                           void *conf, void **allocs, char *err, size_t errlen)
{
    char why[512];
    for (const igz_option_t *o = opts; o && o->key; o++) {
        const igz_toml_node_t *node = igz_conf_get(table, o->key);
        int rc;
        if (node) {
            rc = store_node(o, node, conf, allocs, why, sizeof why);
            if (rc == IGZ_ECONFIG)
                snprintf(err, errlen, "%s:%u: \"%s\" of %s %s", table->file, node->line, o->key,
                         what, why);
        } else if (o->flags & IGZ_OPT_REQUIRED) {
            snprintf(err, errlen, "%s:%u: %s is missing the required key \"%s\" (%s)", table->file,
                     table->line, what, o->key, o->desc ? o->desc : "");
            return IGZ_ECONFIG;
        } else if (o->def) {
            rc = store_text(o, o->def, conf, allocs, why, sizeof why);
            if (rc == IGZ_ECONFIG)
                snprintf(err, errlen, "%s: bad default for \"%s\": %s", what, o->key, why);
        } else {
            rc = 0;
        }
        if (rc == IGZ_ENOMEM)
            snprintf(err, errlen, "out of memory");
        if (rc)
            return rc;
    }
    return 0;
}

int igz__schema_apply(const igz_option_t *opts, const igz_option_t *extra,
                      const igz_toml_node_t *table, const char *what, void *conf, void **allocs,
                      char *err, size_t errlen)
{
    /* unknown keys first: a typo is the likeliest mistake and the clearest message */
    for (size_t i = 0; i < table->len; i++) {
        const char *key = table->keys[i];
        if (find_option(opts, key) || find_option(extra, key))
            continue;
        const char *names[256] = {0};
        size_t n = 0;
        for (const igz_option_t *o = opts; o && o->key && n < 256; o++)
            names[n++] = o->key;
        for (const igz_option_t *o = extra; o && o->key && n < 256; o++)
            names[n++] = o->key;
        const char *near = igz__closest(key, names, n);
        char known[1024] = "";
        size_t kl = 0;
        for (size_t j = 0; j < n && kl < sizeof known - 64; j++)
            kl += (size_t)snprintf(known + kl, sizeof known - kl, "%s%s", j ? ", " : "", names[j]);
        if (near)
            snprintf(err, errlen, "%s:%u: unknown key \"%s\" in %s; did you mean \"%s\"?",
                     table->file, table->vals[i]->line, key, what, near);
        else
            snprintf(err, errlen, "%s:%u: unknown key \"%s\" in %s (known keys: %s)", table->file,
                     table->vals[i]->line, key, what, known);
        return IGZ_ECONFIG;
    }
    return apply_one_table(opts, table, what, conf, allocs, err, errlen);
}
