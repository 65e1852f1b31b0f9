/*
 * internal.h - the engine's own structures, shared by the core files and
 * never installed. Plugins see igz_instance_t and igz_flush_t only through
 * the accessors of plugin.h.
 */
#ifndef IGZ_INTERNAL_H
#define IGZ_INTERNAL_H

#include <uv.h>

#include "iguazu/iguazu.h"
#include "queue.h"
#include "toml.h"

typedef struct igz_engine igz_engine_t;
typedef struct igz_chunk igz_chunk_t;
typedef struct igz_service igz_service_t;

/* ---- plugins ------------------------------------------------------------ */

typedef struct igz_plugin_handle {
    char *path;
    void *dl;
    char *file_name;   /* "in_gen" */
    igz_plugin_t desc; /* host-sized copy: fields past the plugin's size are zero */
    struct igz_plugin_handle *next;
} igz_plugin_handle_t;

/* The kind's configuration word and file prefix: "inputs"/"in_", ... */
const char *igz__kind_section(igz_kind_t kind);
const char *igz__kind_prefix(igz_kind_t kind);

/* Open the plugin file path and check its magic block (see plugin.h).
 * Returns 0 with *out set, or an error with a message in err. */
int igz__plugin_open(const char *path, igz_plugin_handle_t **out, char *err, size_t errlen);
void igz__plugin_close(igz_plugin_handle_t *h);

/* Where plugins are searched, in order: IGUAZU_PLUGIN_PATH, the configured
 * plugin_dirs, the folder "plugins" beside the binary (build tree), and the
 * install folder. */
typedef struct igz_plugin_path {
    char **dirs;
    size_t n;
} igz_plugin_path_t;

int igz__plugin_path_init(igz_plugin_path_t *pp, const igz_strlist_t *configured);
void igz__plugin_path_free(igz_plugin_path_t *pp);
/* Find "<prefix><name>.so" in the search path. Returns a malloc'd path or NULL. */
char *igz__plugin_find(const igz_plugin_path_t *pp, igz_kind_t kind, const char *name);
/* Every plugin file found, as malloc'd paths (caller frees each and the array). */
int igz__plugin_list(const igz_plugin_path_t *pp, char ***paths, size_t *n);

/* ---- configuration -------------------------------------------------------- */

typedef struct igz_instance_conf {
    igz_kind_t kind;
    char *name;                  /* "gen" */
    const igz_toml_node_t *node; /* its table */
    igz_plugin_handle_t *plugin;
} igz_instance_conf_t;

struct igz_service {
    const char *log_level;
    const char *log_format;
    int64_t flush_interval_ms;
    int64_t grace_ms;
    int64_t mem_limit;
    int64_t chunk_size;
    igz_strlist_t plugin_dirs;
    igz_strlist_t plugins;
    bool exit_when_done;
    const char *storage_path;
    const char *storage_sync;
    int64_t storage_max_chunks_up;
    int64_t storage_total_limit;
    const char *storage_full_policy;
    const char *dead_letter_path;
};

typedef struct igz_config {
    char *path;
    igz_toml_node_t *root;
    igz_service_t service;
    void *service_allocs; /* lists allocated while filling service */
    igz_instance_conf_t *instances;
    size_t n_instances;
    igz_plugin_handle_t *plugins; /* every plugin opened, owned here */
    igz_plugin_path_t search;
} igz_config_t;

/* Read, parse, expand ${VAR}, check [service] and find every plugin; the
 * plugin schemas are applied when the engine creates the instances (and by
 * igz__config_check). Errors read "FILE:LINE: message" in err. */
int igz__config_load(const char *path, igz_config_t **out, char *err, size_t errlen);
void igz__config_free(igz_config_t *cfg);
/* Read a whole file, NUL-terminated (*len excludes the NUL; caller frees *text).
 * Returns 0, or IGZ_ENOENT / IGZ_EIO / IGZ_ENOMEM with a message in err. */
int igz__read_file(const char *path, char **text, size_t *len, char *err, size_t errlen);

/* Options every instance of a kind accepts besides its plugin's own. */
const igz_option_t *igz__common_options(igz_kind_t kind);
extern const igz_option_t igz__service_options[];

/* Apply a schema to a table: type checks, defaults, unknown keys with a
 * suggestion, values stored into conf (which must be zeroed, size big enough).
 * extra is a second table of accepted keys (may be NULL). allocs collects what
 * must be freed with igz__schema_free. what names the table in messages
 * ("[[inputs.gen]]"). */
int igz__schema_apply(const igz_option_t *opts, const igz_option_t *extra,
                      const igz_toml_node_t *table, const char *what, void *conf, void **allocs,
                      char *err, size_t errlen);
void igz__schema_free(void *allocs);
/* The closest name to s out of candidates (NULL when none is close). */
const char *igz__closest(const char *s, const char *const *candidates, size_t n);

/* ---- instances ------------------------------------------------------------ */

typedef struct igz_common_conf {
    const char *alias;
    const char *tag;
    const char *match;
    int64_t mem_limit;
    int64_t retry_base_ms;
    int64_t retry_max_ms;
    int64_t retry_limit;
    int64_t workers;
} igz_common_conf_t;

typedef struct igz_metric_node igz_metric_node_t;

struct igz_instance {
    igz_engine_t *engine;
    igz_plugin_handle_t *plugin;
    igz_kind_t kind;
    char *plugin_name; /* "in_gen" */
    char *alias;
    igz_common_conf_t common;
    void *common_allocs;
    void *config; /* the plugin's filled configuration struct */
    void *config_allocs;
    void *ctx;
    bool initialised;
    char *state_dir;

    /* inputs */
    bool started, paused, stopped, done;
    size_t mem_used;
    queue_t open_chunks; /* chunks still accepting records */

    /* outputs */
    queue_t pending; /* flush tasks waiting for a worker */
    int inflight;    /* flushes being carried out */
    int waiting;     /* tasks in back-off */
    bool kicking;    /* inside igz__router_kick: flushes that end at once don't recurse */

    /* counters kept by the core */
    uint64_t records_in, records_out, records_dropped, bytes_in, bytes_out;
    uint64_t retries, failures, chunks_failed;

    igz_metric_node_t *metrics;
    queue_t node; /* in the engine's list of its kind */
};

/* ---- chunks and flushes ----------------------------------------------------- */

typedef struct igz_ack_waiter {
    igz_ack_cb cb;
    void *data;
    size_t end;  /* the batch ends at this offset of the chunk */
    bool stored; /* IGZ_ACK_STORED was sent */
} igz_ack_waiter_t;

typedef struct igz_storage igz_storage_t;

struct igz_chunk {
    igz_engine_t *engine;
    igz_instance_t *input; /* NULL for a chunk recovered from disk */
    char *input_alias;
    char *tag;
    igz_buf_t buf;
    uint32_t records;
    igz_time_t created;  /* wall clock, for the id */
    uint64_t created_ms; /* loop clock, for the flush interval */
    uint64_t seq;
    char id[33];
    bool sealed;
    int owed;    /* outputs that still have to acknowledge it */
    bool failed; /* at least one output gave up */
    igz_ack_waiter_t *acks;
    size_t n_acks, cap_acks;
    queue_t node; /* in the input's open list */
    queue_t all;  /* in the engine's list of live chunks */
    int readers;  /* flushes reading buf right now */

    /* durable storage (unused when it is off) */
    struct {
        char *base; /* DIR/chunks/NAME, without ".open" / ".chunk" */
        int fd;     /* the open file, used by storage jobs only */
        uint32_t hdr_len;
        size_t persisted;   /* content bytes written */
        size_t synced;      /* content bytes synced */
        size_t content_len; /* for chunks whose content is not in memory */
        uint32_t crc;
        uint64_t file_size;
        bool on_disk; /* the sealed ".chunk" file exists */
        bool up;      /* buf holds the content */
        bool write_queued;
        bool inflight; /* a job reads buf right now: buf must not move */
        bool loading;
        bool loaded; /* brought up by a load: counts in storage_max_chunks_up */
        bool released;
        int busy;     /* jobs queued or running for this chunk */
        char *route;  /* only this output (a replayed chunk), or NULL */
        char **acked; /* outputs that delivered it before a restart */
        size_t n_acked;
    } st;
};

struct igz_flush {
    igz_chunk_t *chunk;
    igz_instance_t *output;
    uint32_t attempt;
    uint64_t first_ms, last_ms;
    uv_timer_t timer; /* back-off */
    bool timer_init;
    char *last_error;
    queue_t node; /* in the output's pending queue */
    queue_t all;  /* in the engine's list of live flushes */
};

/* ---- the engine ------------------------------------------------------------- */

typedef enum { IGZ_ENGINE_RUNNING, IGZ_ENGINE_DRAINING, IGZ_ENGINE_DONE } igz_engine_state_t;

struct igz_engine {
    uv_loop_t loop;
    igz_config_t *cfg;
    igz_service_t *svc;
    queue_t inputs, filters, outputs;
    queue_t chunks, flushes; /* everything alive, for the teardown */
    igz_storage_t *storage;  /* job queue: with storage_path or dead_letter_path */
    bool persist;            /* storage_path is set: chunks live on disk */
    char *dead_letter_dir;   /* NULL: dead chunks are only logged */
    uint64_t chunks_dropped; /* storage_full_policy = "drop_oldest" */
    size_t n_inputs, n_filters, n_outputs;
    uv_timer_t flush_timer, grace_timer, ack_timer, done_timer;
    uv_signal_t sigint, sigterm;
    igz_engine_state_t state;
    int signals;
    int exit_code;
    size_t mem_used, mem_peak, mem_low;
    uint64_t pauses;
    bool prepared;
    bool abandon; /* flushes still running when the grace period ended */
    uint64_t chunk_seq;
    size_t chunks_alive;
    igz_writer_t scratch[2]; /* filter output, used in turn */
    /* deferred acknowledgements: never called inside igz_input_emit */
    struct igz_ack_event_rec {
        igz_instance_t *ins;
        igz_ack_cb cb;
        void *data;
        igz_ack_event_t ev;
    } * ack_queue;
    size_t n_ack_queue, cap_ack_queue;
};

int igz__engine_new(igz_config_t *cfg, igz_engine_t **out);
/* Create the instances (schemas applied, nothing initialised); errors are logged. */
int igz__engine_prepare(igz_engine_t *e);
/* Run until stopped; returns the process exit status. */
int igz__engine_run(igz_engine_t *e);
void igz__engine_free(igz_engine_t *e);

/* instance.c */
int igz__instance_create(igz_engine_t *e, const igz_instance_conf_t *ic, int index,
                         igz_instance_t **out, char *err, size_t errlen);
void igz__instance_free(igz_instance_t *ins);

/* chain.c: from an input's batch to sealed chunks */
void igz__chain_seal_all(igz_engine_t *e, bool only_old);
void igz__chain_pressure(igz_engine_t *e);
int igz__ack_push(igz_engine_t *e, igz_instance_t *ins, igz_ack_cb cb, void *data,
                  igz_ack_event_t ev);
void igz__chunk_release_output(igz_chunk_t *c, bool failed);
void igz__chunk_free(igz_chunk_t *c);
void igz__flush_closed(uv_handle_t *h);

/* router.c: from sealed chunks to outputs */
int igz__router_dispatch(igz_engine_t *e, igz_chunk_t *c);
bool igz__glob_match(const char *pattern, const char *s);
void igz__router_kick(igz_instance_t *out);
/* Fail every flush still owed for c (its file is damaged): dead-letter it once. */
void igz__chunk_abandon(igz_chunk_t *c, const char *reason);
/* Cancel every flush still owed for c, as failures (it is dropped). Only for
 * chunks none of whose flushes is running. */
void igz__chunk_cancel(igz_chunk_t *c);
/* chain.c: the stable id of a chunk from its origin and content */
void igz__chunk_compute_id(igz_chunk_t *c);

/* engine.c */
void igz__engine_check_done(igz_engine_t *e);
void igz__engine_kick_outputs(igz_engine_t *e);
igz_instance_t *igz__instance_by_alias(igz_engine_t *e, const char *alias);
void igz__engine_drain(igz_engine_t *e, const char *why);
/* The dead-letter hook: the chunk failed for good at out. */
void igz__dead_letter(igz_chunk_t *c, igz_instance_t *out, const igz_flush_t *t,
                      const char *reason);

/* metrics.c */
void igz__metrics_free(igz_metric_node_t *m);

#endif
