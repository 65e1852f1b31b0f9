/*
 * storage_recover.c - the chunks left on disk by earlier runs.
 *
 * At start every chunk file is checked and queued for the outputs that still
 * owe it: sealed chunks by their header only (their content is read, and its
 * CRC checked, when an output is ready for it, so a backlog larger than memory
 * streams through); open chunks of a crashed run are cut back to their last
 * whole record and sealed. Damaged files go to the dead-letter folder with the
 * reason, and recovery goes on with the rest.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fault.h"
#include "storage_internal.h"

typedef struct {
    size_t chunks, records, damaged, opened;
    uint64_t bytes;
} recover_stats_t;

static void dead_letter_file(igz_storage_t *s, const char *path, const char *why)
{
    igz_engine_t *e = s->engine;
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    igz_buf_t side = IGZ_BUF_INIT;
    int rc = igz_buf_append_str(&side, "{\"file\":");
    if (!rc)
        rc = igz_json_quote(path, strlen(path), &side);
    if (!rc)
        rc = igz_buf_append_str(&side, ",\"output\":\"all\",\"error\":");
    if (!rc)
        rc = igz_json_quote(why, strlen(why), &side);
    if (!rc)
        rc = igz_buf_append(&side, "}\n", 3);
    char err[512];
    char name[300];
    size_t bl = strlen(base);
    if (bl > 6 && strcmp(base + bl - 6, ".chunk") == 0)
        bl -= 6;
    else if (bl > 5 && strcmp(base + bl - 5, ".open") == 0)
        bl -= 5;
    snprintf(name, sizeof name, "damaged.%.*s", (int)(bl > 200 ? 200 : bl), base);
    if (rc || !e->dead_letter_dir ||
        igz__dlq_store_file(e->dead_letter_dir, name, path, true, side.data, err, sizeof err)) {
        igz_error(NULL,
                  "storage: damaged chunk \"%s\" (%s) could not be moved to the dead-letter "
                  "folder: %s; it is left in place",
                  path, why, rc ? "out of memory" : err);
    } else {
        igz_error(NULL, "storage: damaged chunk \"%s\" (%s): moved to \"%s/%s.chunk\"", path, why,
                  e->dead_letter_dir, name);
    }
    igz_buf_free(&side);
}

/* Cut an open chunk back to its last whole record and seal it in place. */
static int seal_open_file(igz_storage_t *s, const char *open_path, const char *final,
                          const char **why)
{
    int fd = open(open_path, O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        *why = "cannot open";
        return -1;
    }
    struct stat st;
    unsigned char hdr[IGZ_CHUNK_MAX_HDR];
    igz_chunk_header_t h;
    ssize_t n = fstat(fd, &st) == 0 ? pread(fd, hdr, sizeof hdr, 0) : -1;
    if (n < 0 || (*why = igz__chunk_header_decode(hdr, (size_t)n, &h)) != NULL) {
        if (n < 0)
            *why = "cannot read";
        close(fd);
        return -1;
    }
    size_t len = (size_t)st.st_size - h.header_len;
    char *content = malloc(len ? len : 1);
    if (!content || pread(fd, content, len, h.header_len) != (ssize_t)len) {
        free(content);
        close(fd);
        *why = "cannot read its content";
        return -1;
    }
    igz_reader_t r;
    igz_record_t rec;
    igz_reader_init(&r, content, len);
    uint32_t records = 0;
    size_t good = 0;
    while (igz_reader_next(&r, &rec) == 1) {
        records++;
        good = (size_t)(rec.raw + rec.raw_len - content);
    }
    int rc = 0;
    if (records == 0) {
        rc = 1; /* nothing to keep */
    } else {
        igz_chunk_t tmp;
        memset(&tmp, 0, sizeof tmp);
        tmp.created = h.created;
        tmp.tag = h.tag;
        tmp.input_alias = h.input;
        tmp.buf.data = content;
        tmp.buf.len = good;
        igz__chunk_compute_id(&tmp);
        h.flags = IGZ_CHUNK_F_SEALED;
        h.content_len = good;
        h.records = records;
        h.crc = igz_crc32c(0, content, good);
        memcpy(h.id, tmp.id, 32);
        unsigned char out[IGZ_CHUNK_MAX_HDR];
        size_t hl = igz__chunk_header_encode(&h, out);
        if (ftruncate(fd, (off_t)(h.header_len + good)) != 0 ||
            pwrite(fd, out, hl, 0) != (ssize_t)hl || fsync(fd) != 0 ||
            igz__io_rename(open_path, final) != 0) {
            *why = "cannot seal it";
            rc = -1;
        }
    }
    free(content);
    close(fd);
    if (rc == 1)
        unlink(open_path);
    return rc;
}

static void read_acks(igz_chunk_t *c)
{
    char path[4200];
    snprintf(path, sizeof path, "%s.acks", c->st.base);
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    char line[300];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        if (!line[0])
            continue;
        char **a = realloc(c->st.acked, (c->st.n_acked + 1) * sizeof *a);
        if (!a)
            break;
        c->st.acked = a;
        if (!(a[c->st.n_acked] = strdup(line)))
            break;
        c->st.n_acked++;
    }
    fclose(f);
}

/* Register a sealed chunk file (content left on disk) and route it. */
static int adopt(igz_storage_t *s, const char *path, recover_stats_t *rs)
{
    igz_engine_t *e = s->engine;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    unsigned char hdr[IGZ_CHUNK_MAX_HDR];
    igz_chunk_header_t h;
    struct stat st;
    ssize_t n = fd >= 0 && fstat(fd, &st) == 0 ? pread(fd, hdr, sizeof hdr, 0) : -1;
    if (fd >= 0)
        close(fd);
    const char *why = n < 0 ? "cannot read" : igz__chunk_header_decode(hdr, (size_t)n, &h);
    if (!why && !(h.flags & IGZ_CHUNK_F_SEALED))
        why = "sealed name but not sealed";
    if (!why && (uint64_t)st.st_size != h.header_len + h.content_len)
        why = (uint64_t)st.st_size < h.header_len + h.content_len ? "truncated" : "too long";
    if (why) {
        dead_letter_file(s, path, why);
        rs->damaged++;
        return 0;
    }
    igz_chunk_t *c = calloc(1, sizeof *c);
    if (!c)
        return IGZ_ENOMEM;
    c->engine = e;
    c->tag = strdup(h.tag);
    c->input_alias = strdup(h.input);
    c->st.base = strndup(path, strlen(path) - 6); /* without ".chunk" */
    c->st.route = h.route[0] ? strdup(h.route) : NULL;
    if (!c->tag || !c->input_alias || !c->st.base || (h.route[0] && !c->st.route)) {
        free(c->tag);
        free(c->input_alias);
        free(c->st.base);
        free(c->st.route);
        free(c);
        return IGZ_ENOMEM;
    }
    c->created = h.created;
    c->records = h.records;
    memcpy(c->id, h.id, 33);
    c->sealed = true;
    c->st.fd = -1;
    c->st.on_disk = true;
    c->st.content_len = h.content_len;
    c->st.persisted = c->st.synced = h.content_len;
    c->st.crc = h.crc;
    c->st.file_size = (uint64_t)st.st_size;
    queue_init(&c->node);
    queue_insert_tail(&e->chunks, &c->all);
    e->chunks_alive++;
    s->disk_used += c->st.file_size;
    read_acks(c);
    rs->chunks++;
    rs->records += h.records;
    rs->bytes += c->st.file_size;
    igz__router_dispatch(e, c);
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The chunk files of dir with the given extension, sorted (oldest first). */
static int list_dir(const char *dir, const char *ext, char ***out, size_t *n)
{
    *out = NULL;
    *n = 0;
    DIR *d = opendir(dir);
    if (!d)
        return errno == ENOENT ? 0 : -errno;
    struct dirent *de;
    size_t el = strlen(ext);
    int rc = 0;
    while ((de = readdir(d)) != NULL) {
        size_t l = strlen(de->d_name);
        if (de->d_name[0] == '.' || l <= el || strcmp(de->d_name + l - el, ext) != 0)
            continue;
        char **p = realloc(*out, (*n + 1) * sizeof *p);
        if (!p || asprintf(&p[*n], "%s/%s", dir, de->d_name) < 0) {
            if (p)
                *out = p;
            rc = IGZ_ENOMEM;
            break;
        }
        *out = p;
        (*n)++;
    }
    closedir(d);
    if (*n)
        qsort(*out, *n, sizeof **out, by_name);
    return rc;
}

static void free_list(char **l, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(l[i]);
    free(l);
}

int igz__storage_recover(igz_storage_t *s)
{
    recover_stats_t rs = {0};
    char **files;
    size_t n;
    /* 1. open chunks of a run that did not end cleanly: sealed in place */
    int rc = list_dir(s->chunks_dir, ".open", &files, &n);
    for (size_t i = 0; i < n && !rc; i++) {
        char final[4200];
        snprintf(final, sizeof final, "%.*s.chunk", (int)(strlen(files[i]) - 5), files[i]);
        const char *why = NULL;
        int r = seal_open_file(s, files[i], final, &why);
        if (r < 0) {
            dead_letter_file(s, files[i], why);
            rs.damaged++;
        } else if (r == 0) {
            rs.opened++;
        }
    }
    free_list(files, n);
    if (rc)
        return rc;
    /* 2. every sealed chunk */
    rc = list_dir(s->chunks_dir, ".chunk", &files, &n);
    for (size_t i = 0; i < n && !rc; i++)
        rc = adopt(s, files[i], &rs);
    free_list(files, n);
    /* 3. acknowledgement files whose chunk is gone */
    if (!rc && list_dir(s->chunks_dir, ".acks", &files, &n) == 0) {
        for (size_t i = 0; i < n; i++) {
            char chunk[4200];
            snprintf(chunk, sizeof chunk, "%.*s.chunk", (int)(strlen(files[i]) - 5), files[i]);
            if (access(chunk, F_OK) != 0)
                unlink(files[i]);
        }
        free_list(files, n);
    }
    if (rs.chunks || rs.damaged)
        igz_info(NULL,
                 "storage: recovered %zu chunks (%zu records, %llu bytes; %zu were open), %zu "
                 "damaged ones moved to the dead-letter folder",
                 rs.chunks, rs.records, (unsigned long long)rs.bytes, rs.opened, rs.damaged);
    return rc;
}

static void replay_timer_cb(uv_timer_t *t)
{
    igz__storage_scan_replay(t->data);
}

void igz__storage_scan_replay(igz_storage_t *s)
{
    char **files;
    size_t n;
    if (list_dir(s->replay_dir, ".chunk", &files, &n) == 0) {
        recover_stats_t rs = {0};
        for (size_t i = 0; i < n; i++) {
            const char *b = strrchr(files[i], '/');
            char dst[4200];
            snprintf(dst, sizeof dst, "%s/%s", s->chunks_dir, b + 1);
            if (igz__io_rename(files[i], dst) != 0) {
                igz_error(NULL, "storage: rename() \"%s\" failed (%d: %s)", files[i], errno,
                          strerror(errno));
                continue;
            }
            if (adopt(s, dst, &rs) == 0)
                igz_info(NULL, "dead-letter replay: chunk \"%s\" is back in the chain", b + 1);
        }
        free_list(files, n);
    }
    if (!uv_is_active((uv_handle_t *)&s->replay_timer) && !s->closed) {
        uv_timer_start(&s->replay_timer, replay_timer_cb, 2000, 2000);
        uv_unref((uv_handle_t *)&s->replay_timer);
    }
}
