/* storage_internal.h - what storage.c, storage_jobs.c and storage_recover.c share. */
#ifndef IGZ_STORAGE_INTERNAL_H
#define IGZ_STORAGE_INTERNAL_H

#include "storage.h"
#include "storage_format.h"

typedef enum { st_WRITE, st_SEAL, st_ACK, st_DELETE, st_LOAD, st_DLQ } st_job_type_t;

typedef struct st_job {
    uv_work_t req;
    st_job_type_t type;
    igz_storage_t *s;
    igz_chunk_t *c;
    /* set on the loop when the job starts */
    const char *data;
    size_t from, to;
    char *text;  /* ACK: output alias; DLQ: the sidecar JSON */
    char *text2; /* DLQ: the entry's name */
    /* results, read on the loop when it is done */
    int err;
    bool corrupt;
    char msg[512];
    char *loaded;
    size_t loaded_len;
    uint64_t bytes_added;
    struct st_job *next;
} st_job_t;

struct igz_storage {
    igz_engine_t *engine;
    char *chunks_dir, *replay_dir, *state_dir;
    bool persist; /* storage_path set; otherwise only dead-letter jobs run */
    bool full_sync, drop_oldest, failing, running, waiting_retry, closed;
    uint64_t failures;
    uint64_t total_limit, disk_used;
    uint64_t releasing; /* bytes of chunks whose deletion is queued */
    uint64_t pending;   /* bytes accepted in memory, not written yet */
    size_t up_count, max_up;
    st_job_t *head, *tail;
    uv_timer_t retry_timer, replay_timer;
};

void igz__storage_push(igz_storage_t *s, st_job_t *j);
/* storage_jobs.c: the work (thread pool) and its result (loop) */
void igz__storage_job_work(uv_work_t *req);
void igz__storage_job_applied(igz_storage_t *s, st_job_t *j);
/* dead_letter.c */
void igz__storage_dlq_work(st_job_t *j);
/* Put a chunk file into the dead-letter folder as NAME.chunk (a hard link, a
 * move, or a copy) with the sidecar NAME.json. Blocking; returns 0 or -1 with
 * err filled. */
int igz__dlq_store_file(const char *dir, const char *name, const char *src, bool move,
                        const char *sidecar, char *err, size_t errlen);
/* Write a whole chunk (header and content) to path atomically (tmp + rename). */
int igz__chunk_file_write(const char *path, const igz_chunk_header_t *h, const void *content,
                          size_t len, char *err, size_t errlen);

#endif
