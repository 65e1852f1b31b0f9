/*
 * config.h - plugin configuration schema and the configuration tree.
 *
 * Every plugin declares one table of igz_option_t. The core uses it to check
 * types, apply defaults, reject unknown keys (suggesting the closest known
 * one), fill the plugin's configuration struct, and print `iguazu plugins
 * NAME`. No plugin parses a key by hand.
 *
 * Values are stored at `offset` inside the plugin's configuration struct
 * (whose size is igz_plugin_t.config_size), in these C types:
 *   IGZ_OPT_STR, IGZ_OPT_ENUM    const char *       (NULL when unset, no default)
 *   IGZ_OPT_INT                  int64_t
 *   IGZ_OPT_FLOAT                double             (an integer is accepted)
 *   IGZ_OPT_BOOL                 bool
 *   IGZ_OPT_DURATION             int64_t, milliseconds ("250ms", "10s", "5m", "24h", "1d")
 *   IGZ_OPT_SIZE                 int64_t, bytes     ("512KiB", "5MiB", "1GB", 1024)
 *   IGZ_OPT_STR_LIST             igz_strlist_t      (a string is taken as a list of one)
 *   IGZ_OPT_TABLE, IGZ_OPT_ANY   const igz_conf_t * (NULL when unset)
 * Everything the struct points to is owned by the core and stays valid until
 * the instance's exit callback has returned.
 */
#ifndef IGUAZU_CONFIG_H
#define IGUAZU_CONFIG_H

#include "common.h"

IGZ_BEGIN_DECLS

typedef enum igz_opt_type {
    IGZ_OPT_STR = 1,
    IGZ_OPT_INT,
    IGZ_OPT_FLOAT,
    IGZ_OPT_BOOL,
    IGZ_OPT_DURATION,
    IGZ_OPT_SIZE,
    IGZ_OPT_STR_LIST,
    IGZ_OPT_ENUM,  /* a string out of `choices` ("gzip|zstd|none") */
    IGZ_OPT_TABLE, /* an inline or standard TOML table */
    IGZ_OPT_ANY    /* any TOML value, checked by the plugin */
} igz_opt_type_t;

#define IGZ_OPT_REQUIRED (1u << 0) /* the key must be given */
#define IGZ_OPT_SECRET   (1u << 1) /* never printed: masked in logs and dumps */

#define IGZ_OPT_NO_OFFSET ((size_t)-1) /* declared and checked, not stored */

typedef struct igz_option {
    const char *key;
    igz_opt_type_t type;
    const char *def;     /* default in the key's own syntax, e.g. "10s", "5MiB", "true", or NULL */
    uint32_t flags;      /* IGZ_OPT_REQUIRED | IGZ_OPT_SECRET */
    size_t offset;       /* offsetof(struct my_config, field), or IGZ_OPT_NO_OFFSET */
    const char *desc;    /* one line, lowercase start, no final period */
    const char *choices; /* IGZ_OPT_ENUM only: allowed values separated by '|' */
} igz_option_t;

/* The end of an option table. */
#define IGZ_OPTION_END                                                                             \
    {                                                                                              \
        NULL, (igz_opt_type_t)0, NULL, 0, 0, NULL, NULL                                            \
    }

typedef struct igz_strlist {
    size_t n;
    const char *const *v;
} igz_strlist_t;

/* ---- the configuration tree ------------------------------------------- */

/* A value of the configuration file (a TOML node): table, array or scalar.
 * Owned by the core; valid until the instance's exit callback returns. */
typedef struct igz_toml_node igz_conf_t;

typedef enum igz_conf_type {
    IGZ_CONF_STRING = 1,
    IGZ_CONF_INTEGER,
    IGZ_CONF_FLOAT,
    IGZ_CONF_BOOL,
    IGZ_CONF_DATETIME, /* offset date-time, text in RFC 3339 form */
    IGZ_CONF_DATETIME_LOCAL,
    IGZ_CONF_DATE_LOCAL,
    IGZ_CONF_TIME_LOCAL,
    IGZ_CONF_ARRAY,
    IGZ_CONF_TABLE
} igz_conf_type_t;

IGZ_API igz_conf_type_t igz_conf_type(const igz_conf_t *c);
/* A human name for a type: "string", "integer", "table", ... */
IGZ_API const char *igz_conf_type_name(igz_conf_type_t t);
/* Tables: number of keys; arrays: number of elements; scalars: 0. */
IGZ_API size_t igz_conf_len(const igz_conf_t *c);
/* Table: the i-th key, in file order (NULL when out of range or not a table). */
IGZ_API const char *igz_conf_key(const igz_conf_t *c, size_t i);
/* Table or array: the i-th value (NULL when out of range). */
IGZ_API const igz_conf_t *igz_conf_at(const igz_conf_t *c, size_t i);
/* Table: the value of key (NULL when absent or not a table). */
IGZ_API const igz_conf_t *igz_conf_get(const igz_conf_t *c, const char *key);
/* Scalars. igz_conf_str works for strings and date-time types (their text);
 * others return NULL. Numbers and bools return 0/false for other types. */
IGZ_API const char *igz_conf_str(const igz_conf_t *c);
IGZ_API size_t igz_conf_str_len(const igz_conf_t *c);
IGZ_API int64_t igz_conf_int(const igz_conf_t *c);
IGZ_API double igz_conf_float(const igz_conf_t *c); /* integers converted */
IGZ_API bool igz_conf_bool(const igz_conf_t *c);
/* Where the value was written: "FILE:LINE" pieces for error messages. */
IGZ_API const char *igz_conf_file(const igz_conf_t *c);
IGZ_API uint32_t igz_conf_line(const igz_conf_t *c);

/* ---- units ------------------------------------------------------------ */

/* Parse "250ms", "10s", "5m", "24h", "1d" (also "1h30m") into milliseconds.
 * Returns 0 or IGZ_EINVAL / IGZ_ERANGE. */
IGZ_API int igz_parse_duration(const char *s, int64_t *ms);
/* Parse "512", "512B", "4KiB", "5MiB", "1GiB", "1KB", "2MB", "1GB" into bytes.
 * Returns 0 or IGZ_EINVAL / IGZ_ERANGE. */
IGZ_API int igz_parse_size(const char *s, int64_t *bytes);

IGZ_END_DECLS

#endif
