/*
 * dead_letter.c - chunks that an output gave up on are written to the
 * dead-letter folder with a JSON sidecar saying why, never dropped.
 *
 * An entry is NAME.chunk (the chunk file format, so `iguazu dlq replay` can
 * put it back) and NAME.json; NAME is "<chunk id>.<output alias>". Both
 * appear by rename, the sidecar last, so a listed entry is always complete.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fault.h"
#include "storage_internal.h"

static int set_err(char *err, size_t errlen, const char *call, const char *path)
{
    snprintf(err, errlen, "%s() \"%s\" failed (%d: %s)", call, path, errno, strerror(errno));
    return -1;
}

static int write_fd_all(int fd, const void *p, size_t n)
{
    size_t done = 0;
    while (done < n) {
        ssize_t w = igz__io_write(fd, (const char *)p + done, n - done);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        done += (size_t)w;
    }
    return 0;
}

/* Write parts to a temporary file beside path, sync it, rename it to path. */
static int write_atomic(const char *path, const void *a, size_t alen, const void *b, size_t blen,
                        char *err, size_t errlen)
{
    char tmp[4200];
    const char *slash = strrchr(path, '/');
    snprintf(tmp, sizeof tmp, "%.*s/.%s.tmp", slash ? (int)(slash - path) : 1, slash ? path : ".",
             slash ? slash + 1 : path);
    int fd = igz__io_open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
    if (fd < 0)
        return set_err(err, errlen, "open", tmp);
    if (write_fd_all(fd, a, alen) || (blen && write_fd_all(fd, b, blen))) {
        set_err(err, errlen, "write", tmp);
        close(fd);
        unlink(tmp);
        return -1;
    }
    if (igz__io_fsync(fd) != 0) {
        set_err(err, errlen, "fsync", tmp);
        close(fd);
        unlink(tmp);
        return -1;
    }
    close(fd);
    if (igz__io_rename(tmp, path) != 0) {
        set_err(err, errlen, "rename", tmp);
        unlink(tmp);
        return -1;
    }
    return 0;
}

int igz__chunk_file_write(const char *path, const igz_chunk_header_t *h, const void *content,
                          size_t len, char *err, size_t errlen)
{
    unsigned char hdr[IGZ_CHUNK_MAX_HDR];
    size_t n = igz__chunk_header_encode(h, hdr);
    if (!n) {
        snprintf(err, errlen, "chunk header too long for \"%s\"", path);
        return -1;
    }
    return write_atomic(path, hdr, n, content, len, err, errlen);
}

static int copy_file(const char *src, const char *dst, char *err, size_t errlen)
{
    int in = open(src, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return set_err(err, errlen, "open", src);
    struct stat st;
    char *buf = NULL;
    int rc = -1;
    if (fstat(in, &st) != 0) {
        set_err(err, errlen, "fstat", src);
    } else if (!(buf = malloc((size_t)st.st_size + 1))) {
        snprintf(err, errlen, "out of memory copying \"%s\"", src);
    } else {
        size_t got = 0;
        while (got < (size_t)st.st_size) {
            ssize_t r = read(in, buf + got, (size_t)st.st_size - got);
            if (r <= 0)
                break;
            got += (size_t)r;
        }
        if (got == (size_t)st.st_size)
            rc = write_atomic(dst, buf, got, NULL, 0, err, errlen);
        else
            set_err(err, errlen, "read", src);
    }
    free(buf);
    close(in);
    return rc;
}

int igz__dlq_store_file(const char *dir, const char *name, const char *src, bool move,
                        const char *sidecar, char *err, size_t errlen)
{
    if (igz__mkdirs(dir, err, errlen))
        return -1;
    char dst[4200], side[4200];
    snprintf(dst, sizeof dst, "%s/%s.chunk", dir, name);
    snprintf(side, sizeof side, "%s/%s.json", dir, name);
    if (src) {
        int done = move ? igz__io_rename(src, dst) : link(src, dst);
        if (done != 0 && errno == EEXIST) { /* the same chunk dead-lettered before: replace */
            unlink(dst);
            done = move ? igz__io_rename(src, dst) : link(src, dst);
        }
        if (done != 0) { /* another file system, or no hard links: copy */
            if (copy_file(src, dst, err, errlen))
                return -1;
            if (move)
                unlink(src);
        }
    }
    if (write_atomic(side, sidecar, strlen(sidecar), NULL, 0, err, errlen))
        return -1;
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        if (igz__io_fsync(fd) != 0) {
            set_err(err, errlen, "fsync", dir);
            close(fd);
            return -1;
        }
        close(fd);
    }
    return 0;
}

/* In the thread pool: the chunk's file is linked (or moved, when damaged), or
 * its content written when it is only in memory. */
void igz__storage_dlq_work(st_job_t *j)
{
    igz_chunk_t *c = j->c;
    const char *dir = j->s->engine->dead_letter_dir;
    char src[4200];
    bool have_file = c->st.base && c->st.on_disk;
    if (have_file)
        snprintf(src, sizeof src, "%s.chunk", c->st.base);
    if (!have_file) {
        char path[4200];
        if (igz__mkdirs(dir, j->msg, sizeof j->msg)) {
            j->err = EIO;
            return;
        }
        snprintf(path, sizeof path, "%s/%s.chunk", dir, j->text2);
        igz_chunk_header_t h;
        memset(&h, 0, sizeof h);
        h.flags = IGZ_CHUNK_F_SEALED;
        h.content_len = c->buf.len;
        h.records = c->records;
        h.crc = igz_crc32c(0, c->buf.data, c->buf.len);
        h.created = c->created;
        memcpy(h.id, c->id, 32);
        snprintf(h.tag, sizeof h.tag, "%s", c->tag);
        snprintf(h.input, sizeof h.input, "%s", c->input_alias);
        if (igz__chunk_file_write(path, &h, c->buf.data, c->buf.len, j->msg, sizeof j->msg)) {
            j->err = EIO;
            return;
        }
    }
    if (igz__dlq_store_file(dir, j->text2, have_file ? src : NULL, j->corrupt, j->text, j->msg,
                            sizeof j->msg))
        j->err = EIO;
}

static int json_time(igz_buf_t *b, const char *key, igz_time_t t)
{
    int rc = igz_buf_printf(b, ",\"%s\":\"", key);
    if (!rc)
        rc = igz_json_time(t, b);
    if (!rc)
        rc = igz_buf_append(b, "\"", 1);
    return rc;
}

/* The sidecar: what a person needs to decide what to do with the chunk. */
static char *sidecar_json(igz_chunk_t *c, const char *output, const char *plugin, uint32_t attempts,
                          igz_time_t first, igz_time_t last, const char *reason)
{
    igz_buf_t b = IGZ_BUF_INIT;
    int rc = igz_buf_printf(&b, "{\"chunk_id\":\"%s\",\"output\":", c->id);
    if (!rc)
        rc = igz_json_quote(output, strlen(output), &b);
    if (!rc && (rc = igz_buf_append_str(&b, ",\"plugin\":")) == 0)
        rc = igz_json_quote(plugin, strlen(plugin), &b);
    if (!rc && (rc = igz_buf_append_str(&b, ",\"input\":")) == 0)
        rc = igz_json_quote(c->input_alias, strlen(c->input_alias), &b);
    if (!rc && (rc = igz_buf_append_str(&b, ",\"tag\":")) == 0)
        rc = igz_json_quote(c->tag, strlen(c->tag), &b);
    if (!rc)
        rc = igz_buf_printf(&b, ",\"records\":%u,\"attempts\":%u", c->records, attempts);
    if (!rc)
        rc = json_time(&b, "created", c->created);
    if (!rc && attempts)
        rc = json_time(&b, "first_attempt", first);
    if (!rc && attempts)
        rc = json_time(&b, "last_attempt", last);
    if (!rc && (rc = igz_buf_append_str(&b, ",\"error\":")) == 0)
        rc = igz_json_quote(reason, strlen(reason), &b);
    if (!rc)
        rc = igz_buf_append(&b, "}\n", 3);
    if (rc) {
        igz_buf_free(&b);
        return NULL;
    }
    return b.data;
}

static char *entry_name(const igz_chunk_t *c, const char *output)
{
    char *name = NULL;
    if (asprintf(&name, "%s.%s", c->id, output) < 0)
        return NULL;
    for (char *p = name; *p; p++)
        if (*p == '/' || *p == ' ')
            *p = '_';
    return name;
}

int igz__storage_dead_letter(igz_engine_t *e, igz_chunk_t *c, igz_instance_t *out,
                             const igz_flush_t *t, const char *reason)
{
    igz_storage_t *s = e->storage;
    st_job_t *j = calloc(1, sizeof *j);
    if (!j)
        return IGZ_ENOMEM;
    j->type = st_DLQ;
    j->s = s;
    j->c = c;
    /* wall-clock times of the attempts, from the loop clock's offsets */
    igz_time_t now = igz_time_now();
    uint64_t loop_now = uv_now(&e->loop);
    igz_time_t first = t ? now - (igz_time_t)(loop_now - t->first_ms) * 1000000 : now;
    igz_time_t last = t ? now - (igz_time_t)(loop_now - t->last_ms) * 1000000 : now;
    const char *alias = out ? out->alias : "all";
    j->text = sidecar_json(c, alias, out ? out->plugin_name : "(storage)", t ? t->attempt : 0,
                           first, last, reason);
    j->text2 = entry_name(c, alias);
    j->corrupt = out == NULL; /* a damaged file is moved, not linked */
    if (!j->text || !j->text2) {
        free(j->text);
        free(j->text2);
        free(j);
        return IGZ_ENOMEM;
    }
    c->st.busy++;
    igz__storage_push(s, j);
    return 0;
}
