/*
 * out_file_io.c - atomic JSON lines files.
 *
 * A file is written under a hidden temporary name in its final folder and
 * renamed to its final "*.jsonl" name only once complete (after fsync), so a
 * reader listing "*.jsonl" never sees a partial file, and the rename cannot
 * cross file systems. Lines are appended with pwrite() at the file's known
 * length: after a failed write the file is cut back to that length and the
 * next write lands right after the last complete line. After a crash,
 * recovery keeps every complete line of the temporary files (their chunks
 * were acknowledged) and renames them.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <iguazu/common.h>

#include "out_file_io.h"

#define OUT_FILE_TMP_SUFFIX ".jsonl.tmp"
/* Tags are cut to this many bytes in file names: with the time and counter
 * the name stays well under NAME_MAX (255). */
#define OUT_FILE_TAG_MAX 160

static int io_fail(out_file_io_t *io, int err, const char *call, const char *path)
{
    snprintf(io->err, sizeof io->err, "%s() \"%s\" failed (%d: %s)", call, path, err,
             strerror(err));
    return -err;
}

/* Append ", and ..." to the current error, for a second failure while
 * cleaning up after the first. */
static void io_also(out_file_io_t *io, int err, const char *call, const char *path)
{
    size_t n = strlen(io->err);
    snprintf(io->err + n, sizeof io->err - n, ", and %s() \"%s\" failed too (%d: %s)", call, path,
             err, strerror(err));
}

static char *path_join(const char *dir, const char *fmt, ...) IGZ_PRINTF(2, 3);

static char *path_join(const char *dir, const char *fmt, ...)
{
    char name[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(name, sizeof name, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof name)
        return NULL;
    char *p = NULL;
    if (asprintf(&p, "%s/%s", dir, name) < 0)
        return NULL;
    return p;
}

int out_file_mkdirs(out_file_io_t *io, const char *dir)
{
    if (!dir[0])
        return io_fail(io, EINVAL, "mkdir", dir);
    char *tmp = strdup(dir);
    if (!tmp)
        return io_fail(io, ENOMEM, "mkdir", dir);
    int rc = 0;
    /* each prefix ending at a '/', then the whole path */
    for (char *p = tmp + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char c = *p;
        *p = '\0';
        if (mkdir(tmp, 0755) != 0 && errno != EEXIST) {
            rc = io_fail(io, errno, "mkdir", tmp);
            break;
        }
        *p = c;
        if (c == '\0')
            break;
    }
    free(tmp);
    if (rc)
        return rc;
    struct stat st;
    if (stat(dir, &st) != 0)
        return io_fail(io, errno, "stat", dir);
    if (!S_ISDIR(st.st_mode))
        return io_fail(io, ENOTDIR, "mkdir", dir);
    return 0;
}

int out_file_lock(out_file_io_t *io)
{
    /* the folder itself carries the lock: no extra file in the lake for readers to skip */
    int fd = open(io->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return io_fail(io, errno, "open", io->dir);
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        if (e == EWOULDBLOCK)
            snprintf(io->err, sizeof io->err,
                     "folder \"%s\" is written by another out_file instance (it holds the folder's "
                     "flock)",
                     io->dir);
        else
            io_fail(io, e, "flock", io->dir);
        (void)close(fd); /* an error is already reported; the descriptor goes either way */
        return -e;
    }
    io->lock_fd = fd;
    return 0;
}

void out_file_unlock(out_file_io_t *io)
{
    if (io->lock_fd >= 0)
        (void)close(io->lock_fd); /* releases the lock; nothing was written that could be lost */
    io->lock_fd = -1;
}

/* A tag as a file name part: letters, digits, '.', '_' and '-' kept, anything
 * else (a '/' above all) made '_'; never empty, never hidden (hidden names are
 * the temporary files'), never longer than OUT_FILE_TAG_MAX. */
static void tag_to_name(const char *tag, char *out)
{
    size_t i = 0;
    for (; tag[i] && i < OUT_FILE_TAG_MAX; i++) {
        char c = tag[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '_' || c == '-';
        out[i] = ok ? c : '_';
    }
    out[i] = '\0';
    if (out[0] == '.' || out[0] == '\0') {
        out[0] = '_';
        out[i ? i : 1] = '\0';
    }
}

int out_file_open(out_file_io_t *io, out_file_t *f, const char *tag, int64_t now_ms)
{
    char name[OUT_FILE_TAG_MAX + 1];
    tag_to_name(tag, name);
    struct timespec ts;
    struct tm tm;
    char when[32];
    if (clock_gettime(CLOCK_REALTIME, &ts) != 0 || !gmtime_r(&ts.tv_sec, &tm) ||
        strftime(when, sizeof when, "%Y%m%dT%H%M%S", &tm) == 0)
        return io_fail(io, errno ? errno : EINVAL, "clock_gettime", io->dir);
    bool remade = false;
    /* the name must be new: a complete file is never written again */
    for (unsigned n = 0; n < 1000; n++) {
        char *final =
            path_join(io->dir, "%s.%s.%03ldZ.%u.jsonl", name, when, ts.tv_nsec / 1000000, n);
        char *tmp = path_join(io->dir, ".%s.%s.%03ldZ.%u" OUT_FILE_TMP_SUFFIX, name, when,
                              ts.tv_nsec / 1000000, n);
        if (!final || !tmp) {
            free(final);
            free(tmp);
            return io_fail(io, ENOMEM, "open", io->dir);
        }
        int fd = -1, e = 0;
        if (access(final, F_OK) == 0) {
            e = EEXIST;
        } else {
            fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, io->mode);
            e = fd < 0 ? errno : 0;
        }
        if (e == ENOENT && !remade) {
            /* the folder was removed under us (a clean-up job, say): make it again, once */
            free(final);
            free(tmp);
            remade = true;
            int rc = out_file_mkdirs(io, io->dir);
            if (rc)
                return rc;
            n--;
            continue;
        }
        if (e == EEXIST) {
            free(final);
            free(tmp);
            continue;
        }
        if (e) {
            io_fail(io, e, "open", tmp);
            free(final);
            free(tmp);
            return -e;
        }
        /* exactly the configured bits, whatever the umask */
        char *tag_copy = NULL;
        if (fchmod(fd, io->mode) != 0)
            e = errno;
        else if (!(tag_copy = strdup(tag)))
            e = ENOMEM;
        if (e) {
            io_fail(io, e, e == ENOMEM ? "open" : "fchmod", tmp);
            (void)close(fd); /* an error is already reported; the descriptor goes either way */
            if (unlink(tmp) != 0)
                io_also(io, errno, "unlink", tmp);
            free(final);
            free(tmp);
            return -e;
        }
        f->tag = tag_copy;
        f->tmp_path = tmp;
        f->final_path = final;
        f->fd = fd;
        f->size = 0;
        f->opened_ms = now_ms;
        return 0;
    }
    return io_fail(io, EEXIST, "open", io->dir);
}

int out_file_write(out_file_io_t *io, out_file_t *f, const char *p, size_t n, bool *broken)
{
    *broken = false;
    size_t done = 0;
    int e = 0;
    const char *call = "pwrite";
    while (done < n) {
        ssize_t w = pwrite(f->fd, p + done, n - done, (off_t)(f->size + done));
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            e = w < 0 ? errno : EIO; /* a zero-byte write of a regular file is not progress */
            break;
        }
        done += (size_t)w;
    }
    if (!e && io->fsync && fdatasync(f->fd) != 0) {
        e = errno;
        call = "fdatasync";
    }
    if (!e) {
        f->size += n;
        return 0;
    }
    io_fail(io, e, call, f->tmp_path);
    /* cut back to the last complete line: what follows is a chunk not acknowledged */
    if (ftruncate(f->fd, (off_t)f->size) != 0) {
        io_also(io, errno, "ftruncate", f->tmp_path);
        *broken = true;
    }
    return -e;
}

static int sync_dir(out_file_io_t *io)
{
    int fd = open(io->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return io_fail(io, errno, "open", io->dir);
    int rc = fsync(fd) == 0 ? 0 : io_fail(io, errno, "fsync", io->dir);
    (void)close(fd); /* read-only: nothing to lose */
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
        if (io->fsync && f->size && fsync(f->fd) != 0)
            rc = io_fail(io, errno, "fsync", f->tmp_path);
        if (close(f->fd) != 0 && !rc)
            rc = io_fail(io, errno, "close", f->tmp_path);
        f->fd = -1;
    }
    if (!rc && f->size == 0) {
        if (unlink(f->tmp_path) != 0 && errno != ENOENT)
            rc = io_fail(io, errno, "unlink", f->tmp_path);
    } else if (!rc) {
        if (rename(f->tmp_path, f->final_path) != 0)
            rc = io_fail(io, errno, "rename", f->tmp_path);
        else if (io->fsync)
            rc = sync_dir(io); /* the rename itself must survive a power cut */
    }
    file_forget(f);
    return rc;
}

void out_file_abandon(out_file_t *f)
{
    if (f->fd >= 0)
        (void)close(f->fd); /* given up already; the next start recovers what the file holds */
    file_forget(f);
}

/* Cut a leftover file after its last '\n'; *kept and *dropped get the sizes.
 * Returns 0 or -errno. */
static int cut_to_last_line(out_file_io_t *io, const char *path, uint64_t *kept, uint64_t *dropped)
{
    int fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return io_fail(io, errno, "open", path);
    int rc = 0;
    struct stat st;
    off_t keep = 0;
    char buf[65536];
    if (fstat(fd, &st) != 0) {
        rc = io_fail(io, errno, "fstat", path);
        goto out;
    }
    /* backwards, a block at a time, to the last line end */
    for (off_t end = st.st_size; end > 0;) {
        off_t start = end > (off_t)sizeof buf ? end - (off_t)sizeof buf : 0;
        ssize_t n = pread(fd, buf, (size_t)(end - start), start);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            rc = io_fail(io, n < 0 ? errno : EIO, "pread", path);
            goto out;
        }
        const char *nl = memrchr(buf, '\n', (size_t)n);
        if (nl) {
            keep = start + (nl - buf) + 1;
            break;
        }
        end = start;
    }
    if (keep != st.st_size && ftruncate(fd, keep) != 0)
        rc = io_fail(io, errno, "ftruncate", path);
    else if (keep && fsync(fd) != 0)
        rc = io_fail(io, errno, "fsync", path);
    *kept = (uint64_t)keep;
    *dropped = (uint64_t)(st.st_size - keep);
out:
    if (close(fd) != 0 && !rc)
        rc = io_fail(io, errno, "close", path);
    return rc;
}

static bool is_tmp_name(const char *name)
{
    size_t n = strlen(name), sl = strlen(OUT_FILE_TMP_SUFFIX);
    return name[0] == '.' && n > sl + 1 && strcmp(name + n - sl, OUT_FILE_TMP_SUFFIX) == 0;
}

/* Recover one leftover: cut, then rename to a free final name. */
static void recover_one(out_file_io_t *io, const char *name, out_file_recover_cb cb, void *arg,
                        int *renamed)
{
    size_t stem = strlen(name) - 1 - strlen(OUT_FILE_TMP_SUFFIX); /* ".STEM.jsonl.tmp" */
    char *tmp = path_join(io->dir, "%s", name);
    char *final = NULL;
    uint64_t kept = 0, dropped = 0;
    if (!tmp) {
        io_fail(io, ENOMEM, "open", name);
        cb(arg, false, name, 0, 0);
        return;
    }
    if (cut_to_last_line(io, tmp, &kept, &dropped) != 0) {
        cb(arg, false, tmp, 0, 0);
        goto out;
    }
    if (kept == 0) {
        if (unlink(tmp) != 0) {
            io_fail(io, errno, "unlink", tmp);
            cb(arg, false, tmp, 0, 0);
        } else {
            cb(arg, true, tmp, 0, dropped);
        }
        goto out;
    }
    /* never over an existing file: another name when the first is taken */
    for (unsigned k = 0; k < 1000; k++) {
        free(final);
        final = k ? path_join(io->dir, "%.*s.recovered.%u.jsonl", (int)stem, name + 1, k)
                  : path_join(io->dir, "%.*s.jsonl", (int)stem, name + 1);
        if (!final || access(final, F_OK) != 0)
            break;
    }
    if (!final) {
        io_fail(io, ENOMEM, "rename", tmp);
        cb(arg, false, tmp, 0, 0);
    } else if (rename(tmp, final) != 0) {
        io_fail(io, errno, "rename", tmp);
        cb(arg, false, tmp, 0, 0);
    } else {
        (*renamed)++;
        cb(arg, true, final, kept, dropped);
    }
out:
    free(tmp);
    free(final);
}

int out_file_recover(out_file_io_t *io, out_file_recover_cb cb, void *arg)
{
    DIR *d = opendir(io->dir);
    if (!d)
        return io_fail(io, errno, "opendir", io->dir);
    /* names first, renames after: a folder changed while it is read may list a file twice */
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    struct dirent *e;
    errno = 0;
    while ((e = readdir(d)) != NULL) {
        if (!is_tmp_name(e->d_name))
            continue;
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 8;
            char **nn = realloc(names, ncap * sizeof *nn);
            if (!nn) {
                rc = io_fail(io, ENOMEM, "readdir", io->dir);
                break;
            }
            names = nn;
            cap = ncap;
        }
        if (!(names[n] = strdup(e->d_name))) {
            rc = io_fail(io, ENOMEM, "readdir", io->dir);
            break;
        }
        n++;
        errno = 0;
    }
    if (!rc && errno)
        rc = io_fail(io, errno, "readdir", io->dir);
    closedir(d);
    int renamed = 0;
    for (size_t i = 0; i < n; i++) {
        if (!rc)
            recover_one(io, names[i], cb, arg, &renamed);
        free(names[i]);
    }
    free(names);
    if (!rc && renamed && io->fsync)
        rc = sync_dir(io);
    return rc;
}
