/*
 * storage.h - chunks on disk: the engine's side of durable storage.
 *
 * Every file operation is a job run in the thread pool, one at a time, in the
 * order queued: a chunk's appends, its seal, the acknowledgements of its
 * outputs and its deletion can never overtake each other, and no chunk file
 * needs a lock. A failing write keeps its place at the head of the queue and
 * is retried every second while the inputs are paused; nothing queued behind
 * it is lost.
 */
#ifndef IGZ_STORAGE_H
#define IGZ_STORAGE_H

#include "internal.h"

typedef struct igz_storage igz_storage_t;

/* Create dir and its parents (0750). Returns 0, or IGZ_EIO with err as
 * `mkdir() "PATH" failed (N: reason)`. Blocking: start-up and storage jobs only. */
int igz__mkdirs(const char *dir, char *err, size_t errlen);

/* Create the folders and start the queue (fault injection is read here). */
int igz__storage_open(igz_engine_t *e, igz_storage_t **out, char *err, size_t errlen);
/* Stop the retry timer; jobs still queued are abandoned (their data is on disk
 * or will be recovered from the open files). */
void igz__storage_close(igz_storage_t *s);
void igz__storage_free(igz_storage_t *s);
/* A job is running in the thread pool. */
bool igz__storage_running(const igz_storage_t *s);

/* A new chunk: give it a file name. Cannot fail. */
void igz__storage_chunk_init(igz_storage_t *s, igz_chunk_t *c);
/* Bytes were appended to c: make sure a write job will take them. */
int igz__storage_append(igz_storage_t *s, igz_chunk_t *c, size_t len);
/* c was sealed: write the final header and rename the file. */
int igz__storage_seal(igz_storage_t *s, igz_chunk_t *c);
/* Output out delivered or gave up on c, which others still owe. */
int igz__storage_acked(igz_storage_t *s, igz_chunk_t *c, igz_instance_t *out);
/* Nobody owes c any more: delete its files, then free it. */
void igz__storage_release(igz_storage_t *s, igz_chunk_t *c);
/* Write c into the dead-letter folder for out, with a JSON sidecar. */
int igz__storage_dead_letter(igz_engine_t *e, igz_chunk_t *c, igz_instance_t *out,
                             const igz_flush_t *t, const char *reason);
/* True when c's content is in memory; otherwise a load is queued (when the
 * memory budget allows) and the outputs are kicked once it is there. */
bool igz__storage_ensure_up(igz_storage_t *s, igz_chunk_t *c);
/* Over the memory budget: drop the content of chunks that are safe on disk. */
void igz__storage_shed(igz_storage_t *s);
/* Inputs must wait: a write is failing, or the storage limit is reached. */
bool igz__storage_blocked(const igz_storage_t *s);
/* storage_full_policy = "drop_oldest": drop the oldest chunks until under the limit. */
void igz__storage_enforce_limit(igz_storage_t *s);
/* Recover the chunks left by earlier runs and queue them for their outputs. */
int igz__storage_recover(igz_storage_t *s);
/* Take the chunks `iguazu dlq replay` put in the replay folder. */
void igz__storage_scan_replay(igz_storage_t *s);
/* Waiters of c whose batch is now durable get IGZ_ACK_STORED. */
void igz__storage_fire_stored(igz_chunk_t *c, size_t durable);

#endif
