/* toml_internal.h - what the TOML parser's files share (see toml.c). */
#ifndef IGZ_TOML_INTERNAL_H
#define IGZ_TOML_INTERNAL_H

#include <stdarg.h>

#include "toml.h"

#define IGZ_TOML_DEFINED 1u /* defined by a [header] (or an array-of-tables element) */
#define IGZ_TOML_DOTTED  2u /* created by a dotted key */
#define IGZ_TOML_INLINE  4u /* inline table or array literal: closed */
#define IGZ_TOML_AOT     8u /* an array of tables made by [[headers]] */

#define IGZ_TOML_MAX_KEY_SEGMENTS 64
#define IGZ_TOML_MAX_DEPTH        256

typedef struct {
    const char *p, *end;
    uint32_t line;
    const char *file;
    igz_toml_node_t *root, *current;
    char *err;
    size_t errlen;
    int failed, oom, depth;
} igz_toml_parser_t;

typedef struct {
    size_t n;
    char *seg[IGZ_TOML_MAX_KEY_SEGMENTS];
    size_t len[IGZ_TOML_MAX_KEY_SEGMENTS];
} igz_toml_key_t;

static inline int igz__toml_is_bare(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
}

igz_toml_node_t *igz__toml_node_new(igz_toml_parser_t *P, igz_conf_type_t type);
void igz_toml_free_node(igz_toml_node_t *n);
int igz__toml_add(igz_toml_parser_t *P, igz_toml_node_t *t, const char *key, size_t klen,
                  igz_toml_node_t *v);
igz_toml_node_t *igz__toml_find(const igz_toml_node_t *t, const char *key, size_t klen);
int igz__toml_fail(igz_toml_parser_t *P, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void igz__toml_skip_ws(igz_toml_parser_t *P);
int igz__toml_skip_comment(igz_toml_parser_t *P);
int igz__toml_skip_ws_nl(igz_toml_parser_t *P);
int igz__toml_newline(igz_toml_parser_t *P);
int igz__toml_key(igz_toml_parser_t *P, igz_toml_key_t *k);
void igz__toml_key_free(igz_toml_key_t *k);
int igz__toml_walk_dotted(igz_toml_parser_t *P, igz_toml_node_t **t, const igz_toml_key_t *k);
int igz__toml_keyval(igz_toml_parser_t *P, igz_toml_node_t *t);

/* toml_value.c */
igz_toml_node_t *igz__toml_value(igz_toml_parser_t *P);
/* A basic or literal string (single line or multi-line) at P->p into *out. */
int igz__toml_string(igz_toml_parser_t *P, char **out, size_t *len);

#endif
