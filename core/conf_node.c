/* conf_node.c - the public read-only view of the configuration tree (config.h). */
#include <string.h>

#include "toml.h"

igz_conf_type_t igz_conf_type(const igz_conf_t *c)
{
    return c->type;
}

const char *igz_conf_type_name(igz_conf_type_t t)
{
    switch (t) {
    case IGZ_CONF_STRING:
        return "string";
    case IGZ_CONF_INTEGER:
        return "integer";
    case IGZ_CONF_FLOAT:
        return "float";
    case IGZ_CONF_BOOL:
        return "boolean";
    case IGZ_CONF_DATETIME:
        return "datetime";
    case IGZ_CONF_DATETIME_LOCAL:
        return "local datetime";
    case IGZ_CONF_DATE_LOCAL:
        return "local date";
    case IGZ_CONF_TIME_LOCAL:
        return "local time";
    case IGZ_CONF_ARRAY:
        return "array";
    case IGZ_CONF_TABLE:
        return "table";
    }
    return "unknown";
}

size_t igz_conf_len(const igz_conf_t *c)
{
    return c && (c->type == IGZ_CONF_TABLE || c->type == IGZ_CONF_ARRAY) ? c->len : 0;
}

const char *igz_conf_key(const igz_conf_t *c, size_t i)
{
    return c && c->type == IGZ_CONF_TABLE && i < c->len ? c->keys[i] : NULL;
}

const igz_conf_t *igz_conf_at(const igz_conf_t *c, size_t i)
{
    return c && (c->type == IGZ_CONF_TABLE || c->type == IGZ_CONF_ARRAY) && i < c->len ? c->vals[i]
                                                                                       : NULL;
}

const igz_conf_t *igz_conf_get(const igz_conf_t *c, const char *key)
{
    if (!c || c->type != IGZ_CONF_TABLE)
        return NULL;
    size_t n = strlen(key);
    for (size_t i = 0; i < c->len; i++)
        if (c->key_lens[i] == n && memcmp(c->keys[i], key, n) == 0)
            return c->vals[i];
    return NULL;
}

const char *igz_conf_str(const igz_conf_t *c)
{
    if (!c)
        return NULL;
    switch (c->type) {
    case IGZ_CONF_STRING:
    case IGZ_CONF_DATETIME:
    case IGZ_CONF_DATETIME_LOCAL:
    case IGZ_CONF_DATE_LOCAL:
    case IGZ_CONF_TIME_LOCAL:
        return c->str;
    default:
        return NULL;
    }
}

size_t igz_conf_str_len(const igz_conf_t *c)
{
    return igz_conf_str(c) ? c->str_len : 0;
}

int64_t igz_conf_int(const igz_conf_t *c)
{
    return c && c->type == IGZ_CONF_INTEGER ? c->i : 0;
}

double igz_conf_float(const igz_conf_t *c)
{
    if (!c)
        return 0;
    return c->type == IGZ_CONF_FLOAT ? c->f : c->type == IGZ_CONF_INTEGER ? (double)c->i : 0;
}

bool igz_conf_bool(const igz_conf_t *c)
{
    return c && c->type == IGZ_CONF_BOOL && c->b;
}

const char *igz_conf_file(const igz_conf_t *c)
{
    return c ? c->file : NULL;
}

uint32_t igz_conf_line(const igz_conf_t *c)
{
    return c ? c->line : 0;
}
