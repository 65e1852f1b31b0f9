/* fault.c - the I/O wrappers of fault.h and their failure schedule. */
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fault.h"
#include "iguazu/log.h"

enum { OP_WRITE, OP_FSYNC, OP_RENAME, OP_OPEN, OP_READ, OP_COUNT };
static const char *const op_names[OP_COUNT] = {"write", "fsync", "rename", "open", "read"};

static struct {
    int err;    /* 0: no fault planned */
    long nth;   /* first failing call */
    long count; /* failing calls, 0 for all from nth on */
    atomic_long calls;
} plan[OP_COUNT];
static int active;

static int errno_by_name(const char *s)
{
    static const struct {
        const char *name;
        int value;
    } names[] = {{"ENOSPC", ENOSPC}, {"EIO", EIO},       {"EDQUOT", EDQUOT},
                 {"EROFS", EROFS},   {"EACCES", EACCES}, {"EINTR", EINTR}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(s, names[i].name) == 0)
            return names[i].value;
    return 0;
}

void igz__fault_init(void)
{
    const char *spec = getenv("IGZ_FAULTS");
    if (!spec || !*spec)
        return;
    char *copy = strdup(spec);
    if (!copy)
        return;
    char *save = NULL;
    for (char *item = strtok_r(copy, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
        char *parts[4] = {0};
        int n = 0;
        char *s2 = NULL;
        for (char *p = strtok_r(item, ":", &s2); p && n < 4; p = strtok_r(NULL, ":", &s2))
            parts[n++] = p;
        if (n < 3)
            continue;
        for (int op = 0; op < OP_COUNT; op++) {
            if (strcmp(parts[0], op_names[op]) != 0)
                continue;
            plan[op].err = errno_by_name(parts[1]);
            plan[op].nth = strtol(parts[2], NULL, 10);
            plan[op].count = n > 3 ? strtol(parts[3], NULL, 10) : 1;
            active = 1;
            igz_warn(NULL, "fault injection: %s fails with %s from call %ld (%ld times)",
                     op_names[op], parts[1], plan[op].nth, plan[op].count);
        }
    }
    free(copy);
}

/* True when this call of op must fail; sets errno. */
static int fails(int op)
{
    if (!active || !plan[op].err)
        return 0;
    long k = atomic_fetch_add(&plan[op].calls, 1) + 1;
    if (k < plan[op].nth || (plan[op].count > 0 && k >= plan[op].nth + plan[op].count))
        return 0;
    errno = plan[op].err;
    return 1;
}

ssize_t igz__io_write(int fd, const void *p, size_t n)
{
    if (fails(OP_WRITE)) {
        /* a short write first, as a full disk does, so that cut-back code is exercised */
        if (n > 1 && errno == ENOSPC) {
            ssize_t w = write(fd, p, n / 2);
            errno = ENOSPC;
            return w > 0 ? w : -1;
        }
        return -1;
    }
    return write(fd, p, n);
}

ssize_t igz__io_pwrite(int fd, const void *p, size_t n, off_t off)
{
    return fails(OP_WRITE) ? -1 : pwrite(fd, p, n, off);
}

int igz__io_fsync(int fd)
{
    return fails(OP_FSYNC) ? -1 : fsync(fd);
}

int igz__io_rename(const char *from, const char *to)
{
    return fails(OP_RENAME) ? -1 : rename(from, to);
}

int igz__io_open(const char *path, int flags, int mode)
{
    return fails(OP_OPEN) ? -1 : open(path, flags, mode);
}

ssize_t igz__io_pread(int fd, void *p, size_t n, off_t off)
{
    return fails(OP_READ) ? -1 : pread(fd, p, n, off);
}
