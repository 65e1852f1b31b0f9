/*
 * plugin_path.c - where plugin files are looked for.
 *
 * The search order lets a user override anything: IGUAZU_PLUGIN_PATH first,
 * then `[service] plugin_dirs`, then "plugins" beside the binary (so a build
 * tree runs without installing), then the install folder. A plugin is
 * DIR/<prefix><name>.so or DIR/<prefix><name>/<prefix><name>.so.
 */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

static int add_dir(igz_plugin_path_t *pp, const char *dir, size_t len)
{
    if (len == 0)
        return 0;
    char *d = strndup(dir, len);
    if (!d)
        return IGZ_ENOMEM;
    for (size_t i = 0; i < pp->n; i++) {
        if (strcmp(pp->dirs[i], d) == 0) {
            free(d);
            return 0;
        }
    }
    char **nd = realloc(pp->dirs, (pp->n + 1) * sizeof *nd);
    if (!nd) {
        free(d);
        return IGZ_ENOMEM;
    }
    pp->dirs = nd;
    pp->dirs[pp->n++] = d;
    return 0;
}

int igz__plugin_path_init(igz_plugin_path_t *pp, const igz_strlist_t *configured)
{
    pp->dirs = NULL;
    pp->n = 0;
    int rc = 0;
    const char *env = getenv("IGUAZU_PLUGIN_PATH");
    while (env && *env && !rc) {
        const char *colon = strchr(env, ':');
        size_t n = colon ? (size_t)(colon - env) : strlen(env);
        rc = add_dir(pp, env, n);
        env = colon ? colon + 1 : NULL;
    }
    for (size_t i = 0; configured && i < configured->n && !rc; i++)
        rc = add_dir(pp, configured->v[i], strlen(configured->v[i]));
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0 && !rc) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            /* build tree: build/iguazu and build/plugins; install: bin/ and lib/iguazu/plugins */
            static const char *const rel[] = {"/plugins", "/../" IGZ_PLUGIN_REL_DIR};
            for (size_t i = 0; i < 2 && !rc; i++) {
                char dir[PATH_MAX];
                snprintf(dir, sizeof dir, "%.*s%s", (int)(slash - exe), exe, rel[i]);
                char real[PATH_MAX];
                struct stat st;
                if (realpath(dir, real) && stat(real, &st) == 0 && S_ISDIR(st.st_mode))
                    rc = add_dir(pp, real, strlen(real));
            }
        }
    }
    if (!rc)
        rc = add_dir(pp, IGZ_PLUGIN_DIR, strlen(IGZ_PLUGIN_DIR));
    if (rc)
        igz__plugin_path_free(pp);
    return rc;
}

void igz__plugin_path_free(igz_plugin_path_t *pp)
{
    for (size_t i = 0; i < pp->n; i++)
        free(pp->dirs[i]);
    free(pp->dirs);
    pp->dirs = NULL;
    pp->n = 0;
}

static bool is_file(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

char *igz__plugin_find(const igz_plugin_path_t *pp, igz_kind_t kind, const char *name)
{
    const char *prefix = igz__kind_prefix(kind);
    char path[PATH_MAX];
    for (size_t i = 0; i < pp->n; i++) {
        snprintf(path, sizeof path, "%s/%s%s.so", pp->dirs[i], prefix, name);
        if (is_file(path))
            return strdup(path);
        snprintf(path, sizeof path, "%s/%s%s/%s%s.so", pp->dirs[i], prefix, name, prefix, name);
        if (is_file(path))
            return strdup(path);
    }
    return NULL;
}

static bool plugin_like(const char *n)
{
    size_t l = strlen(n);
    return l > 3 && strcmp(n + l - 3, ".so") == 0 &&
           (strncmp(n, "in_", 3) == 0 || strncmp(n, "out_", 4) == 0 ||
            strncmp(n, "filter_", 7) == 0);
}

static int push_path(char ***paths, size_t *n, const char *p)
{
    /* the first of two files with the same name wins, as in igz__plugin_find */
    const char *b = strrchr(p, '/');
    b = b ? b + 1 : p;
    for (size_t i = 0; i < *n; i++) {
        const char *o = strrchr((*paths)[i], '/');
        if (strcmp(o ? o + 1 : (*paths)[i], b) == 0)
            return 0;
    }
    char **np = realloc(*paths, (*n + 1) * sizeof *np);
    if (!np)
        return IGZ_ENOMEM;
    *paths = np;
    if (!(np[*n] = strdup(p)))
        return IGZ_ENOMEM;
    (*n)++;
    return 0;
}

int igz__plugin_list(const igz_plugin_path_t *pp, char ***paths, size_t *n)
{
    *paths = NULL;
    *n = 0;
    int rc = 0;
    char p[PATH_MAX];
    for (size_t i = 0; i < pp->n && !rc; i++) {
        DIR *d = opendir(pp->dirs[i]);
        if (!d)
            continue;
        struct dirent *e;
        while ((e = readdir(d)) != NULL && !rc) {
            if (e->d_name[0] == '.')
                continue;
            snprintf(p, sizeof p, "%s/%s", pp->dirs[i], e->d_name);
            if (plugin_like(e->d_name) && is_file(p)) {
                rc = push_path(paths, n, p);
                continue;
            }
            /* DIR/in_x/in_x.so */
            char sub[PATH_MAX];
            snprintf(sub, sizeof sub, "%s/%s/%s.so", pp->dirs[i], e->d_name, e->d_name);
            char so[NAME_MAX + 4];
            snprintf(so, sizeof so, "%s.so", e->d_name);
            if (plugin_like(so) && is_file(sub))
                rc = push_path(paths, n, sub);
        }
        closedir(d);
    }
    return rc;
}
