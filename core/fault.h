/*
 * fault.h - I/O fault injection for tests, in the spirit of SQLite's I/O
 * error tests: storage calls go through these wrappers, which fail on demand.
 *
 * IGZ_FAULTS="op:ERRNO:nth[:count],..." makes the nth call of op (1-based)
 * and the count-1 calls after it fail with ERRNO (count 0: every call from
 * the nth on). op is write, fsync, rename, open or read; ERRNO is a name such
 * as ENOSPC or EIO. Unset (the normal case), the wrappers cost one branch.
 */
#ifndef IGZ_FAULT_H
#define IGZ_FAULT_H

#include <stddef.h>
#include <sys/types.h>

void igz__fault_init(void);
ssize_t igz__io_write(int fd, const void *p, size_t n);
ssize_t igz__io_pwrite(int fd, const void *p, size_t n, off_t off);
int igz__io_fsync(int fd);
int igz__io_rename(const char *from, const char *to);
int igz__io_open(const char *path, int flags, int mode);
ssize_t igz__io_pread(int fd, void *p, size_t n, off_t off);

#endif
