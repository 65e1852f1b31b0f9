/*
 * toml.h - the project's TOML 1.0 parser (internal to libiguazu).
 *
 * Parses a whole document into a tree of igz_toml_node_t. Every node keeps
 * the line where it was written (for tables: the header line, for values:
 * the line of their key) and the file name, so that configuration errors
 * read "FILE:LINE: ...". The public accessors of config.h (igz_conf_*) read
 * this tree.
 */
#ifndef IGZ_TOML_H
#define IGZ_TOML_H

#include "iguazu/config.h"

typedef struct igz_toml_node igz_toml_node_t;

struct igz_toml_node {
    igz_conf_type_t type;
    uint32_t line;    /* 1-based line of the key or header */
    const char *file; /* shared by all nodes of a tree, owned by the root */
    /* STRING: the value (NUL-terminated, may contain NULs: use str_len).
     * DATETIME*, DATE_LOCAL, TIME_LOCAL: the text normalised to RFC 3339
     * ("T" separator, upper-case "T"/"Z"), as written otherwise. */
    char *str;
    size_t str_len;
    int64_t i; /* INTEGER */
    double f;  /* FLOAT */
    bool b;    /* BOOL */
    /* TABLE: keys[i] names vals[i], in the order first written.
     * ARRAY: vals only (keys is NULL). */
    size_t len, cap;
    char **keys;
    size_t *key_lens;
    igz_toml_node_t **vals;
    uint32_t flags; /* private to the parser (defined / inline / array of tables) */
};

/* Parse len bytes of text. file names the source in errors and nodes (it is
 * copied). On success *out is the root table. On failure returns IGZ_EPARSE
 * with err filled as "LINE: message" (message lowercase, no final period),
 * or IGZ_ENOMEM; *out is NULL. */
int igz_toml_parse(const char *text, size_t len, const char *file, igz_toml_node_t **out, char *err,
                   size_t errlen);

/* Free a tree returned by igz_toml_parse (NULL is fine). */
void igz_toml_free(igz_toml_node_t *root);

#endif
