/*
 * out_file_resume.h - where to go on with a chunk that was partly written.
 *
 * When a flush fails after some of its lines were already written somewhere
 * they stay (a file that rolled, a pipe), its retry must not write them
 * again. The engine retries a chunk under the same id, but may flush other
 * chunks meanwhile, so the offsets are kept per chunk id, a few at a time: a
 * chunk that is never retried (given up, or the process restarted) is simply
 * written whole again, which at-least-once delivery allows. Shared by out_file
 * and out_stdout; used by one job at a time, so it needs no lock.
 */
#ifndef OUT_FILE_RESUME_H
#define OUT_FILE_RESUME_H

#include <stddef.h>
#include <stdint.h>

#define OUT_FILE_RESUME_SLOTS 16

typedef struct {
    struct {
        char id[72];
        size_t off;
        uint64_t stamp; /* for the least recently set to go first */
    } slot[OUT_FILE_RESUME_SLOTS];
    uint64_t clock;
} out_file_resume_t;

/* The offset to start chunk id at (0: from its start), forgotten once taken.
 * Cannot fail. */
size_t out_file_resume_take(out_file_resume_t *r, const char *id);
/* Remember that chunk id was written up to off; the oldest entry gives way
 * when all are taken. Cannot fail. */
void out_file_resume_put(out_file_resume_t *r, const char *id, size_t off);

#endif
