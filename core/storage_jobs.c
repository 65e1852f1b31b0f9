/*
 * storage_jobs.c - the file work of each storage job (in the thread pool)
 * and how its result is applied (on the loop).
 *
 * Writes are cut back to their starting length when they fail, so a chunk
 * file never holds half a batch; a chunk becomes ".chunk" only by rename
 * after its final header is written, so a visible sealed chunk is complete.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fault.h"
#include "storage_internal.h"

static int fail(st_job_t *j, int err, const char *call, const char *path)
{
    j->err = err ? err : EIO;
    snprintf(j->msg, sizeof j->msg, "%s() \"%s\" failed (%d: %s)", call, path, j->err,
             strerror(j->err));
    return -1;
}

static int write_all(st_job_t *j, int fd, const void *p, size_t n, off_t off, const char *path)
{
    size_t done = 0;
    while (done < n) {
        ssize_t w = igz__io_pwrite(fd, (const char *)p + done, n - done, off + (off_t)done);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return fail(j, errno, "write", path);
        }
        done += (size_t)w;
    }
    return 0;
}

static int sync_dir(st_job_t *j, const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return fail(j, errno, "open", dir);
    int rc = igz__io_fsync(fd) == 0 ? 0 : fail(j, errno, "fsync", dir);
    close(fd);
    return rc;
}

static void fill_header(const igz_chunk_t *c, igz_chunk_header_t *h, bool sealed, uint32_t crc,
                        size_t len)
{
    memset(h, 0, sizeof *h);
    h->flags = sealed ? IGZ_CHUNK_F_SEALED : 0;
    h->content_len = sealed ? len : 0;
    h->records = sealed ? c->records : 0;
    h->crc = sealed ? crc : 0;
    h->created = c->created;
    if (sealed)
        memcpy(h->id, c->id, 32);
    snprintf(h->tag, sizeof h->tag, "%s", c->tag);
    snprintf(h->input, sizeof h->input, "%s", c->input_alias);
    snprintf(h->route, sizeof h->route, "%s", c->st.route ? c->st.route : "");
}

/* Open the chunk's file on its first write, with a provisional header. */
static int ensure_open(st_job_t *j, igz_chunk_t *c, char *path, size_t pathlen)
{
    if (!c->st.base)
        return fail(j, ENOMEM, "asprintf", "chunk name");
    snprintf(path, pathlen, "%s.open", c->st.base);
    if (c->st.fd >= 0)
        return 0;
    int fd = igz__io_open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
    if (fd < 0)
        return fail(j, errno, "open", path);
    igz_chunk_header_t h;
    unsigned char hdr[IGZ_CHUNK_MAX_HDR];
    fill_header(c, &h, false, 0, 0);
    size_t n = igz__chunk_header_encode(&h, hdr);
    if (n == 0) {
        close(fd);
        unlink(path);
        return fail(j, ENAMETOOLONG, "encode", path);
    }
    if (write_all(j, fd, hdr, n, 0, path)) {
        close(fd);
        unlink(path);
        return -1;
    }
    c->st.fd = fd;
    c->st.hdr_len = (uint32_t)n;
    j->bytes_added += n;
    return 0;
}

static void work_write(st_job_t *j, bool seal)
{
    igz_chunk_t *c = j->c;
    igz_storage_t *s = j->s;
    char path[4200];
    if (ensure_open(j, c, path, sizeof path))
        return;
    if (j->to > j->from) {
        if (write_all(j, c->st.fd, j->data + j->from, j->to - j->from,
                      (off_t)c->st.hdr_len + (off_t)j->from, path)) {
            /* no half batch stays in the file */
            if (ftruncate(c->st.fd, (off_t)c->st.hdr_len + (off_t)j->from) != 0)
                snprintf(j->msg + strlen(j->msg), sizeof j->msg - strlen(j->msg),
                         "; cutting back failed too");
            return;
        }
        j->bytes_added += j->to - j->from;
    }
    if (!seal) {
        if (s->full_sync && igz__io_fsync(c->st.fd) != 0)
            fail(j, errno, "fsync", path);
        return;
    }
    igz_chunk_header_t h;
    unsigned char hdr[IGZ_CHUNK_MAX_HDR];
    fill_header(c, &h, true, igz_crc32c(0, j->data, j->to), j->to);
    size_t n = igz__chunk_header_encode(&h, hdr);
    if (write_all(j, c->st.fd, hdr, n, 0, path))
        return;
    if (s->full_sync && igz__io_fsync(c->st.fd) != 0) {
        fail(j, errno, "fsync", path);
        return;
    }
    char final[4200];
    snprintf(final, sizeof final, "%s.chunk", c->st.base);
    if (igz__io_rename(path, final) != 0) {
        fail(j, errno, "rename", path);
        return;
    }
    if (s->full_sync && sync_dir(j, s->chunks_dir))
        return;
    close(c->st.fd);
    c->st.fd = -1;
}

static void work_ack(st_job_t *j)
{
    char path[4200];
    snprintf(path, sizeof path, "%s.acks", j->c->st.base);
    int fd = igz__io_open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    if (fd < 0) {
        fail(j, errno, "open", path);
        return;
    }
    char line[300];
    int n = snprintf(line, sizeof line, "%s\n", j->text);
    ssize_t w = igz__io_write(fd, line, (size_t)n);
    if (w != n)
        fail(j, w < 0 ? errno : EIO, "write", path);
    else if (j->s->full_sync && igz__io_fsync(fd) != 0)
        fail(j, errno, "fsync", path);
    close(fd);
}

static void work_delete(st_job_t *j)
{
    igz_chunk_t *c = j->c;
    if (c->st.fd >= 0) {
        close(c->st.fd);
        c->st.fd = -1;
    }
    if (!c->st.base)
        return;
    static const char *const ext[] = {".chunk", ".open", ".acks"};
    char path[4200];
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s%s", c->st.base, ext[i]);
        if (unlink(path) != 0 && errno != ENOENT)
            fail(j, errno, "unlink", path);
    }
}

/* Read a sealed chunk file whole; corrupt files are marked, not retried. */
static void work_load(st_job_t *j)
{
    igz_chunk_t *c = j->c;
    char path[4200];
    snprintf(path, sizeof path, "%s.chunk", c->st.base);
    int fd = igz__io_open(path, O_RDONLY | O_CLOEXEC, 0);
    if (fd < 0) {
        fail(j, errno, "open", path);
        return;
    }
    unsigned char hdr[IGZ_CHUNK_MAX_HDR];
    ssize_t n = igz__io_pread(fd, hdr, sizeof hdr, 0);
    igz_chunk_header_t h;
    const char *why = n < 0 ? NULL : igz__chunk_header_decode(hdr, (size_t)n, &h);
    struct stat st;
    if (n < 0 || fstat(fd, &st) != 0) {
        fail(j, errno, "read", path);
    } else if (why) {
        j->corrupt = true;
        snprintf(j->msg, sizeof j->msg, "%s", why);
    } else if ((uint64_t)st.st_size != h.header_len + h.content_len) {
        j->corrupt = true;
        snprintf(j->msg, sizeof j->msg, "file is %lld bytes, its header says %llu",
                 (long long)st.st_size, (unsigned long long)(h.header_len + h.content_len));
    } else if (!(j->loaded = malloc(h.content_len ? h.content_len : 1))) {
        fail(j, ENOMEM, "malloc", path);
    } else {
        size_t got = 0;
        while (got < h.content_len) {
            ssize_t r = igz__io_pread(fd, j->loaded + got, h.content_len - got,
                                      (off_t)(h.header_len + got));
            if (r <= 0) {
                fail(j, r < 0 ? errno : EIO, "read", path);
                break;
            }
            got += (size_t)r;
        }
        if (!j->err && igz_crc32c(0, j->loaded, h.content_len) != h.crc) {
            j->corrupt = true;
            snprintf(j->msg, sizeof j->msg, "CRC32C mismatch: the content is damaged");
        }
        j->loaded_len = h.content_len;
    }
    close(fd);
    if (j->corrupt && !j->err)
        j->err = EIO;
}

void igz__storage_job_work(uv_work_t *req)
{
    st_job_t *j = req->data;
    switch (j->type) {
    case st_WRITE:
        work_write(j, false);
        break;
    case st_SEAL:
        work_write(j, true);
        break;
    case st_ACK:
        work_ack(j);
        break;
    case st_DELETE:
        work_delete(j);
        break;
    case st_LOAD:
        work_load(j);
        break;
    case st_DLQ:
        igz__storage_dlq_work(j);
        break;
    }
}

void igz__storage_job_applied(igz_storage_t *s, st_job_t *j)
{
    igz_engine_t *e = s->engine;
    igz_chunk_t *c = j->c;
    switch (j->type) {
    case st_WRITE:
    case st_SEAL:
        s->pending -= j->to - j->from < s->pending ? j->to - j->from : s->pending;
        c->st.persisted = j->to;
        if (s->full_sync)
            c->st.synced = j->to;
        c->st.file_size += j->bytes_added;
        s->disk_used += j->bytes_added;
        if (j->type == st_SEAL)
            c->st.on_disk = true;
        /* normal sync: written is enough to survive the process being killed */
        igz__storage_fire_stored(c, s->full_sync ? c->st.synced : c->st.persisted);
        break;
    case st_ACK:
        break;
    case st_DELETE:
        if (j->err)
            igz_warn(NULL, "storage: %s", j->msg);
        s->disk_used -= c->st.file_size < s->disk_used ? c->st.file_size : s->disk_used;
        s->releasing -= c->st.file_size < s->releasing ? c->st.file_size : s->releasing;
        if (c->st.loaded)
            s->up_count -= s->up_count ? 1 : 0;
        igz__chunk_free(c);
        igz__engine_kick_outputs(e);
        igz__engine_check_done(e);
        break;
    case st_LOAD:
        c->st.loading = false;
        if (j->corrupt) {
            c->st.loaded = false;
            s->up_count -= s->up_count ? 1 : 0;
            igz_error(NULL,
                      "storage: chunk %s.chunk is damaged (%s): moved to the dead-letter "
                      "folder",
                      c->st.base, j->msg);
            igz__chunk_abandon(c, j->msg);
            break;
        }
        igz_buf_free(&c->buf);
        c->buf.data = j->loaded;
        c->buf.len = c->buf.cap = j->loaded_len;
        j->loaded = NULL;
        c->st.up = true;
        e->mem_used += c->buf.len;
        if (e->mem_used > e->mem_peak)
            e->mem_peak = e->mem_used;
        igz__engine_kick_outputs(e);
        break;
    case st_DLQ:
        if (j->err)
            igz_error(NULL, "dead-letter: %s", j->msg);
        else
            igz_warn(NULL, "dead-letter: chunk written to \"%s/%s.chunk\"", e->dead_letter_dir,
                     j->text2);
        break;
    }
}
