/* out_file_io.h - the blocking file work of out_file, run in the thread pool. */
#ifndef OUT_FILE_IO_H
#define OUT_FILE_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One file being written: hidden ".NAME.tmp" until complete, then "NAME". */
typedef struct {
    char *tag;
    char *tmp_path;
    char *final_path;
    int fd;
    uint64_t size;
    int64_t opened_ms; /* monotonic, for roll_age */
} out_file_t;

typedef struct {
    const char *dir;
    bool fsync;
    char err[512]; /* the last error, for the log */
} out_file_io_t;

/* Create dir and its parents. Returns 0 or -errno (err filled). */
int out_file_mkdirs(out_file_io_t *io, const char *dir);
/* Open a new temporary file for tag. Returns 0 or -errno. */
int out_file_open(out_file_io_t *io, out_file_t *f, const char *tag, int64_t now_ms);
/* Append n bytes; on failure the file is cut back to its size before the call,
 * so no partial record stays. Syncs when io->fsync. Returns 0 or -errno. */
int out_file_write(out_file_io_t *io, out_file_t *f, const char *p, size_t n);
/* Sync, close, rename to the final name, sync the folder. Frees f's strings.
 * An empty file is removed instead. Returns 0 or -errno (the file is closed
 * either way; its temporary name stays for recovery at the next start). */
int out_file_complete(out_file_io_t *io, out_file_t *f);
/* At start: every ".*.jsonl.tmp" left by a crash is cut to its last complete
 * line and renamed; returns how many were recovered, or -errno. */
int out_file_recover(out_file_io_t *io, int *recovered);

#endif
