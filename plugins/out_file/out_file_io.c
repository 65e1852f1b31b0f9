/*
 * out_file_io.c - atomic JSON lines files.
 *
 * A file is written under a hidden temporary name in the same folder and
 * renamed to its final "*.jsonl" name only once complete (after fsync), so a
 * reader listing "*.jsonl" never sees a partial file. Written data is synced
 * before the chunk is acknowledged; after a crash, recovery keeps every
 * complete line of the temporary files and renames them.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "out_file_io.h"

static int fail(out_file_io_t *io, int err, const char *call, const char *path)
{
    snprintf(io->err, sizeof io->err, "%s() \"%s\" failed (%d: %s)", call, path, err,
             strerror(err));
    return -err;
}

int out_file_mkdirs(out_file_io_t *io, const char *dir)
{
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s", dir) >= (int)sizeof tmp)
        return fail(io, ENAMETOOLONG, "mkdir", dir);
    for (char *p = tmp + 1;; p++) {
        if (*p == '/' || *p == '\0') {
            char c = *p;
            *p = '\0';
            if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
                return fail(io, errno, "mkdir", tmp);
            *p = c;
            if (c == '\0')
                break;
        }
    }
    struct stat st;
    if (stat(dir, &st) != 0)
        return fail(io, errno, "stat", dir);
    if (!S_ISDIR(st.st_mode))
        return fail(io, ENOTDIR, "mkdir", dir);
    return 0;
}

static void sanitize(const char *tag, char *out, size_t n)
{
    size_t i = 0;
    for (; tag[i] && i + 1 < n; i++) {
        char c = tag[i];
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '.' || c == '_' || c == '-';
        out[i] = ok ? c : '_';
    }
    out[i] = '\0';
    if (out[0] == '.' || out[0] == '\0')
        out[0] = '_';
}

int out_file_open(out_file_io_t *io, out_file_t *f, const char *tag, int64_t now_ms)
{
    char safe[256];
    sanitize(tag, safe, sizeof safe);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    char when[32];
    strftime(when, sizeof when, "%Y%m%dT%H%M%S", &tm);
    /* the name must be new: an existing final file is never overwritten */
    for (unsigned n = 0; n < 1000; n++) {
        char *final = NULL, *tmp = NULL;
        if (asprintf(&final, "%s/%s.%s.%03ldZ.%u.jsonl", io->dir, safe, when, ts.tv_nsec / 1000000,
                     n) < 0)
            return fail(io, ENOMEM, "asprintf", io->dir);
        if (asprintf(&tmp, "%s/.%s.%s.%03ldZ.%u.jsonl.tmp", io->dir, safe, when,
                     ts.tv_nsec / 1000000, n) < 0) {
            free(final);
            return fail(io, ENOMEM, "asprintf", io->dir);
        }
        if (access(final, F_OK) == 0) {
            free(final);
            free(tmp);
            continue;
        }
        int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd < 0) {
            int e = errno;
            free(final);
            if (e == EEXIST) {
                free(tmp);
                continue;
            }
            fail(io, e, "open", tmp);
            free(tmp);
            return -e;
        }
        f->tag = strdup(tag);
        if (!f->tag) {
            close(fd);
            unlink(tmp);
            free(final);
            free(tmp);
            return fail(io, ENOMEM, "strdup", tag);
        }
        f->tmp_path = tmp;
        f->final_path = final;
        f->fd = fd;
        f->size = 0;
        f->opened_ms = now_ms;
        return 0;
    }
    return fail(io, EEXIST, "open", io->dir);
}

int out_file_write(out_file_io_t *io, out_file_t *f, const char *p, size_t n)
{
    size_t done = 0;
    while (done < n) {
        ssize_t w = write(f->fd, p + done, n - done);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            /* cut back: no half record may stay in the file */
            if (ftruncate(f->fd, (off_t)f->size) == 0)
                lseek(f->fd, (off_t)f->size, SEEK_SET);
            return fail(io, e, "write", f->tmp_path);
        }
        done += (size_t)w;
    }
    if (io->fsync && fdatasync(f->fd) != 0) {
        int e = errno;
        if (ftruncate(f->fd, (off_t)f->size) == 0)
            lseek(f->fd, (off_t)f->size, SEEK_SET);
        return fail(io, e, "fdatasync", f->tmp_path);
    }
    f->size += n;
    return 0;
}

static int sync_dir(out_file_io_t *io, const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return fail(io, errno, "open", dir);
    int rc = fsync(fd) == 0 ? 0 : fail(io, errno, "fsync", dir);
    close(fd);
    return rc;
}

static void file_forget(out_file_t *f)
{
    free(f->tag);
    free(f->tmp_path);
    free(f->final_path);
    f->tag = f->tmp_path = f->final_path = NULL;
    f->fd = -1;
}

int out_file_complete(out_file_io_t *io, out_file_t *f)
{
    int rc = 0;
    if (f->fd >= 0) {
        if (io->fsync && fsync(f->fd) != 0)
            rc = fail(io, errno, "fsync", f->tmp_path);
        if (close(f->fd) != 0 && !rc)
            rc = fail(io, errno, "close", f->tmp_path);
        f->fd = -1;
    }
    if (!rc && f->size == 0) {
        unlink(f->tmp_path);
    } else if (!rc) {
        if (rename(f->tmp_path, f->final_path) != 0)
            rc = fail(io, errno, "rename", f->tmp_path);
        else if (io->fsync)
            rc = sync_dir(io, io->dir);
    }
    file_forget(f);
    return rc;
}

/* Cut a leftover file to its last newline; returns the kept size or -errno. */
static off_t cut_to_last_line(out_file_io_t *io, const char *path)
{
    int fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return fail(io, errno, "open", path);
    off_t size = lseek(fd, 0, SEEK_END);
    off_t keep = 0;
    char buf[4096];
    for (off_t end = size; end > 0;) {
        off_t start = end > (off_t)sizeof buf ? end - (off_t)sizeof buf : 0;
        ssize_t n = pread(fd, buf, (size_t)(end - start), start);
        if (n <= 0) {
            int e = n < 0 ? errno : EIO;
            close(fd);
            return fail(io, e, "pread", path);
        }
        ssize_t i = n - 1;
        while (i >= 0 && buf[i] != '\n')
            i--;
        if (i >= 0) {
            keep = start + i + 1;
            break;
        }
        end = start;
    }
    int rc = 0;
    if (keep != size && ftruncate(fd, keep) != 0)
        rc = fail(io, errno, "ftruncate", path);
    if (!rc && fsync(fd) != 0)
        rc = fail(io, errno, "fsync", path);
    close(fd);
    return rc ? rc : keep;
}

int out_file_recover(out_file_io_t *io, int *recovered)
{
    *recovered = 0;
    DIR *d = opendir(io->dir);
    if (!d)
        return fail(io, errno, "opendir", io->dir);
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(d)) != NULL && !rc) {
        size_t n = strlen(e->d_name);
        if (e->d_name[0] != '.' || n < 11 || strcmp(e->d_name + n - 10, ".jsonl.tmp") != 0)
            continue;
        char tmp[4096], final[4096];
        snprintf(tmp, sizeof tmp, "%s/%s", io->dir, e->d_name);
        snprintf(final, sizeof final, "%s/%.*s", io->dir, (int)(n - 5), e->d_name + 1);
        off_t kept = cut_to_last_line(io, tmp);
        if (kept < 0) {
            rc = (int)kept;
            break;
        }
        if (kept == 0) {
            unlink(tmp);
            continue;
        }
        if (access(final, F_OK) == 0) /* never overwrite: pick another name */
            snprintf(final, sizeof final, "%s/%.*s.recovered.%ld.jsonl", io->dir, (int)(n - 11),
                     e->d_name + 1, (long)time(NULL));
        if (rename(tmp, final) != 0) {
            rc = fail(io, errno, "rename", tmp);
            break;
        }
        (*recovered)++;
    }
    closedir(d);
    if (!rc && *recovered)
        rc = sync_dir(io, io->dir);
    return rc;
}
