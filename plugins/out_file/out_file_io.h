/*
 * out_file_io.h - the blocking file work of out_file, run in the thread pool
 * (and once, at start, by init). Nothing here touches the loop or logs: a
 * failing call returns -errno and leaves a message in io->err, in the
 * project's style, for the caller to log on the loop.
 */
#ifndef OUT_FILE_IO_H
#define OUT_FILE_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One file being written: hidden ".NAME.jsonl.tmp" until complete, then
 * "NAME.jsonl", in the same folder. */
typedef struct {
    char *tag;
    char *tmp_path;
    char *final_path;
    int fd;
    uint64_t size;     /* bytes of complete lines in the file */
    int64_t opened_ms; /* loop clock (monotonic) when opened, for roll_age */
} out_file_t;

typedef struct {
    char *dir;     /* owned: the folder of the files */
    bool fsync;    /* sync data before a chunk is acknowledged, files before renaming */
    unsigned mode; /* permission bits of new files */
    int lock_fd;   /* the folder, locked while the instance lives (-1: none) */
    char err[640]; /* the last error, for the log */
} out_file_io_t;

/* Create dir and its parents (mode 0755). Returns 0 or -errno. */
int out_file_mkdirs(out_file_io_t *io, const char *dir);
/* Take the folder's lock (flock on the folder itself), so that two instances
 * or two processes never write (and recover) the same folder. Returns 0,
 * -EWOULDBLOCK when another holder has it, or -errno. */
int out_file_lock(out_file_io_t *io);
/* Release the lock. Cannot fail. */
void out_file_unlock(out_file_io_t *io);
/* Open a new temporary file for tag, named after the current UTC time; the
 * folder is made again if it vanished. Returns 0 or -errno (f untouched). */
int out_file_open(out_file_io_t *io, out_file_t *f, const char *tag, int64_t now_ms);
/* Append n bytes of complete lines, synced when io->fsync. Returns 0 or
 * -errno; on error the file is cut back to its size before the call so that no
 * partial line stays, and *broken is set when even that failed (the file must
 * then be given up with out_file_abandon). */
int out_file_write(out_file_io_t *io, out_file_t *f, const char *p, size_t n, bool *broken);
/* Sync, close, rename to the final name, sync the folder; an empty file is
 * removed instead. f's strings are freed and f is closed either way. Returns
 * 0 or -errno, in which case the data stays under the temporary name and the
 * next start recovers it. */
int out_file_complete(out_file_io_t *io, out_file_t *f);
/* Close f without renaming (its temporary file is left for the recovery of
 * the next start) and free its strings. Cannot fail. */
void out_file_abandon(out_file_t *f);
/* What recovery did to one leftover file: ok with the final path, the bytes
 * kept and the bytes of a torn last line dropped; or not ok with io->err. */
typedef void (*out_file_recover_cb)(void *arg, bool ok, const char *path, uint64_t kept,
                                    uint64_t dropped);
/* At start: every ".*.jsonl.tmp" left by a crash is cut to its last complete
 * line and renamed to its final name (never over an existing file); empty
 * ones are removed. cb hears about each file that had data; one that cannot
 * be recovered is left as it is, to be tried again at the next start.
 * Returns 0, or -errno when the folder cannot be read. */
int out_file_recover(out_file_io_t *io, out_file_recover_cb cb, void *arg);

#endif
