/*
 * cli_dlq.c - `iguazu dlq list` and `iguazu dlq replay`: looking at the
 * dead-letter folder and putting its chunks back into the chain.
 *
 * Replay writes each chunk, with the output it is meant for, into the
 * storage's replay folder; a running iguazu takes it within two seconds, or
 * the next start does. The dead-letter entry is removed only once the replay
 * file is complete, so a chunk is never in neither place.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "internal.h"
#include "storage_internal.h"

/* The value of "key" in our own sidecar JSON: a string (unescaped simply) or a number. */
static void sidecar_field(const char *json, const char *key, char *out, size_t n)
{
    out[0] = '\0';
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\":", key);
    const char *p = strstr(json, pat);
    if (!p)
        return;
    p += strlen(pat);
    size_t k = 0;
    if (*p == '"') {
        for (p++; *p && *p != '"' && k + 1 < n; p++) {
            if (*p == '\\' && p[1])
                p++;
            out[k++] = *p;
        }
    } else {
        while (*p && *p != ',' && *p != '}' && k + 1 < n)
            out[k++] = *p++;
    }
    out[k] = '\0';
}

static char *read_text(const char *path)
{
    char *text, err[256];
    size_t len;
    return igz__read_file(path, &text, &len, err, sizeof err) ? NULL : text;
}

typedef struct {
    char **names; /* entry names, without extension */
    size_t n;
} entries_t;

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int list_entries(const char *dir, entries_t *out)
{
    out->names = NULL;
    out->n = 0;
    DIR *d = opendir(dir);
    if (!d)
        return errno == ENOENT ? 0 : -errno;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t l = strlen(e->d_name);
        if (e->d_name[0] == '.' || l < 6 || strcmp(e->d_name + l - 5, ".json") != 0)
            continue;
        char **p = realloc(out->names, (out->n + 1) * sizeof *p);
        if (!p || !(p[out->n] = strndup(e->d_name, l - 5))) {
            if (p)
                out->names = p;
            closedir(d);
            return IGZ_ENOMEM;
        }
        out->names = p;
        out->n++;
    }
    closedir(d);
    if (out->n > 1)
        qsort(out->names, out->n, sizeof *out->names, by_name);
    return 0;
}

static void entries_free(entries_t *e)
{
    for (size_t i = 0; i < e->n; i++)
        free(e->names[i]);
    free(e->names);
}

static int dlq_list(const char *dir)
{
    entries_t es;
    if (list_entries(dir, &es)) {
        fprintf(stderr, "iguazu: cannot read \"%s\" (%s)\n", dir, strerror(errno));
        return 1;
    }
    if (es.n == 0) {
        printf("no dead-letter entries in \"%s\"\n", dir);
        return 0;
    }
    printf("%-45s %-14s %-16s %8s %8s  %-24s %s\n", "ID", "OUTPUT", "TAG", "RECORDS", "ATTEMPTS",
           "LAST ATTEMPT", "ERROR");
    for (size_t i = 0; i < es.n; i++) {
        char path[4200];
        snprintf(path, sizeof path, "%s/%s.json", dir, es.names[i]);
        char *json = read_text(path);
        if (!json) {
            printf("%-45s (sidecar unreadable)\n", es.names[i]);
            continue;
        }
        char output[128], tag[256], records[32], attempts[32], last[64], error[512];
        sidecar_field(json, "output", output, sizeof output);
        sidecar_field(json, "tag", tag, sizeof tag);
        sidecar_field(json, "records", records, sizeof records);
        sidecar_field(json, "attempts", attempts, sizeof attempts);
        sidecar_field(json, "last_attempt", last, sizeof last);
        sidecar_field(json, "error", error, sizeof error);
        printf("%-45s %-14s %-16s %8s %8s  %-24.24s %s\n", es.names[i], output, tag,
               records[0] ? records : "?", attempts[0] ? attempts : "-", last[0] ? last : "-",
               error);
        free(json);
    }
    printf("%zu entries in \"%s\"\n", es.n, dir);
    entries_free(&es);
    return 0;
}

/* Read a dead-letter chunk file whole and check it. */
static int load_chunk(const char *path, igz_chunk_header_t *h, char **content, char *err,
                      size_t errlen)
{
    char *data = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        snprintf(err, errlen, "open() \"%s\" failed (%s)", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    data = malloc((size_t)st.st_size + 1);
    ssize_t n = data ? read(fd, data, (size_t)st.st_size) : -1;
    close(fd);
    const char *why = NULL;
    if (n != st.st_size)
        why = "cannot read it";
    else if ((why = igz__chunk_header_decode((unsigned char *)data, (size_t)n, h)) == NULL &&
             (uint64_t)n != h->header_len + h->content_len)
        why = "its length does not match its header";
    else if (!why && igz_crc32c(0, data + h->header_len, h->content_len) != h->crc)
        why = "CRC32C mismatch";
    if (why) {
        snprintf(err, errlen, "\"%s\": %s", path, why);
        free(data);
        return -1;
    }
    memmove(data, data + h->header_len, h->content_len);
    *content = data;
    return 0;
}

static int dlq_replay(const igz_config_t *cfg, const char *dir, const char *output, char **ids,
                      int n_ids)
{
    if (!cfg->service.storage_path) {
        fprintf(stderr,
                "iguazu: dlq replay needs [service] storage_path in \"%s\": replayed "
                "chunks go back through the storage\n",
                cfg->path);
        return 1;
    }
    char replay_dir[4200];
    snprintf(replay_dir, sizeof replay_dir, "%s/replay", cfg->service.storage_path);
    if (mkdir(cfg->service.storage_path, 0750) != 0 && errno != EEXIST) {
        fprintf(stderr, "iguazu: mkdir() \"%s\" failed (%s)\n", cfg->service.storage_path,
                strerror(errno));
        return 1;
    }
    if (mkdir(replay_dir, 0750) != 0 && errno != EEXIST) {
        fprintf(stderr, "iguazu: mkdir() \"%s\" failed (%s)\n", replay_dir, strerror(errno));
        return 1;
    }
    entries_t es;
    if (list_entries(dir, &es)) {
        fprintf(stderr, "iguazu: cannot read \"%s\"\n", dir);
        return 1;
    }
    int replayed = 0, failed = 0;
    for (size_t i = 0; i < es.n; i++) {
        bool wanted = n_ids == 0;
        for (int k = 0; k < n_ids && !wanted; k++)
            wanted = strncmp(es.names[i], ids[k], strlen(ids[k])) == 0;
        if (!wanted)
            continue;
        char chunk_path[4200], side_path[4200], dst[4300], err[600];
        snprintf(chunk_path, sizeof chunk_path, "%s/%s.chunk", dir, es.names[i]);
        snprintf(side_path, sizeof side_path, "%s/%s.json", dir, es.names[i]);
        char *json = read_text(side_path);
        char route[256] = "";
        if (json)
            sidecar_field(json, "output", route, sizeof route);
        free(json);
        if (output)
            snprintf(route, sizeof route, "%s", output);
        if (strcmp(route, "all") == 0)
            route[0] = '\0';
        igz_chunk_header_t h;
        char *content = NULL;
        if (load_chunk(chunk_path, &h, &content, err, sizeof err)) {
            fprintf(stderr, "iguazu: %s: not replayed\n", err);
            failed++;
            continue;
        }
        snprintf(h.route, sizeof h.route, "%s", route);
        snprintf(dst, sizeof dst, "%s/%s.chunk", replay_dir, es.names[i]);
        if (igz__chunk_file_write(dst, &h, content, h.content_len, err, sizeof err)) {
            fprintf(stderr, "iguazu: %s: not replayed\n", err);
            failed++;
        } else {
            unlink(side_path);
            unlink(chunk_path);
            printf("replayed %s (%u records, tag \"%s\") to %s\n", es.names[i], h.records, h.tag,
                   route[0] ? route : "every matching output");
            replayed++;
        }
        free(content);
    }
    entries_free(&es);
    printf("%d chunks replayed, %d failed; a running iguazu takes them within 2 s, otherwise the "
           "next start does\n",
           replayed, failed);
    return failed ? 1 : 0;
}

int igz__cli_dlq(int argc, char **argv, const char *usage)
{
    if (argc < 1 || (strcmp(argv[0], "list") != 0 && strcmp(argv[0], "replay") != 0)) {
        fprintf(stderr, "iguazu: dlq needs list or replay\n%s", usage);
        return 2;
    }
    bool replay = strcmp(argv[0], "replay") == 0;
    const char *path = "conf/iguazu.toml", *output = NULL;
    char **ids = calloc((size_t)argc, sizeof *ids);
    int n_ids = 0;
    if (!ids)
        return 1;
    for (int i = 1; i < argc; i++) {
        if ((strcmp(argv[i], "-c") == 0 || strcmp(argv[i], "--config") == 0) && i + 1 < argc)
            path = argv[++i];
        else if (replay && strcmp(argv[i], "--output") == 0 && i + 1 < argc)
            output = argv[++i];
        else if (replay && argv[i][0] != '-')
            ids[n_ids++] = argv[i];
        else {
            fprintf(stderr, "iguazu: unexpected argument \"%s\"\n%s", argv[i], usage);
            free(ids);
            return 2;
        }
    }
    igz_config_t *cfg;
    char err[4096];
    if (igz__config_load(path, &cfg, err, sizeof err)) {
        fprintf(stderr, "iguazu: %s\n", err);
        free(ids);
        return 1;
    }
    char dir[4200];
    if (cfg->service.dead_letter_path)
        snprintf(dir, sizeof dir, "%s", cfg->service.dead_letter_path);
    else if (cfg->service.storage_path)
        snprintf(dir, sizeof dir, "%s/dead-letter", cfg->service.storage_path);
    else {
        fprintf(stderr,
                "iguazu: \"%s\" has neither storage_path nor dead_letter_path: there is "
                "no dead-letter folder\n",
                path);
        igz__config_free(cfg);
        free(ids);
        return 1;
    }
    int rc = replay ? dlq_replay(cfg, dir, output, ids, n_ids) : dlq_list(dir);
    igz__config_free(cfg);
    free(ids);
    return rc;
}
