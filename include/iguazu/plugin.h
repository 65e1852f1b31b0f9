/*
 * plugin.h - the plugin ABI: descriptor, magic block, and what a plugin may
 * ask of the engine.
 *
 * A plugin is a shared object exporting one data symbol, `igz_plugin_magic`,
 * made by IGZ_PLUGIN_DEFINE(descriptor). The loader reads it before calling
 * anything in the plugin: first the block's length and ABI major (a plugin
 * of another major is refused and nothing else is read), then the minor (a
 * plugin built for a newer minor than the host is refused), then the struct
 * sizes and the build signature. Fields are only ever read up to the sizes
 * the plugin declares, so later minors may append fields at the end.
 *
 * Lifetimes:
 * - init(ins, config, &ctx) runs once, after the configuration was checked;
 *   `config` points to the filled configuration struct (config_size bytes)
 *   and stays valid until exit returns. A non-zero return refuses the
 *   instance and stops the start-up (log the reason first).
 * - inputs: start() begins producing, pause()/resume() follow back pressure
 *   and must take effect before they return (at most the batch being emitted
 *   may still arrive), stop() ends producing for good (shutdown).
 * - filters: filter() runs on the loop for every batch of a matching tag.
 * - outputs: flush() receives a sealed chunk and must end, now or later, with
 *   exactly one igz_flush_done().
 * - exit(ins, ctx) runs last; uv handles the plugin opened must be closed
 *   there (uv_close), and the loop keeps running until their close callbacks
 *   have run, so ctx may be freed in the last close callback.
 * Every callback runs on the engine's loop thread and must not block:
 * blocking work goes to the thread pool (uv_queue_work on igz_instance_loop).
 */
#ifndef IGUAZU_PLUGIN_H
#define IGUAZU_PLUGIN_H

#include <uv.h>
#include "common.h"
#include "config.h"
#include "record.h"

IGZ_BEGIN_DECLS

#define IGZ_ABI_MAJOR 1
#define IGZ_ABI_MINOR 0

/* What decides binary compatibility beyond the version: data model and byte order. */
#define IGZ__STR2(x) #x
#define IGZ__STR(x)  IGZ__STR2(x)
#define IGZ_BUILD_SIGNATURE                                                                        \
    "igz:ptr" IGZ__STR(__SIZEOF_POINTER__) ":long" IGZ__STR(__SIZEOF_LONG__) ":order" IGZ__STR(    \
        __BYTE_ORDER__)

typedef enum igz_kind { IGZ_KIND_INPUT = 1, IGZ_KIND_FILTER = 2, IGZ_KIND_OUTPUT = 3 } igz_kind_t;

typedef struct igz_instance igz_instance_t;
typedef struct igz_flush igz_flush_t;

/* Results of a filter call. */
#define IGZ_FILTER_NOTOUCH  0 /* keep the batch as it came; `out` is ignored */
#define IGZ_FILTER_MODIFIED 1 /* replace the batch by the records written to `out` */

/* Results of a flush. */
typedef enum igz_flush_result {
    IGZ_FLUSH_OK = 0,    /* delivered */
    IGZ_FLUSH_RETRY = 1, /* transient failure: try again after a back-off */
    IGZ_FLUSH_FAILED = 2 /* permanent failure: do not retry, dead-letter the chunk */
} igz_flush_result_t;

typedef struct igz_plugin {
    uint32_t size;      /* sizeof(igz_plugin_t) when the plugin was built */
    uint16_t abi_major; /* IGZ_ABI_MAJOR */
    uint16_t abi_minor; /* IGZ_ABI_MINOR */
    igz_kind_t kind;
    const char *name;            /* "csv" for in_csv.so, configured as [[inputs.csv]] */
    const char *description;     /* one line */
    const igz_option_t *options; /* ends with IGZ_OPTION_END; may be NULL */
    size_t config_size;          /* size of the struct the options fill (0: none) */

    int (*init)(igz_instance_t *ins, const void *config, void **ctx);
    int (*start)(igz_instance_t *ins, void *ctx);   /* inputs */
    void (*pause)(igz_instance_t *ins, void *ctx);  /* inputs */
    void (*resume)(igz_instance_t *ins, void *ctx); /* inputs */
    void (*stop)(igz_instance_t *ins, void *ctx);   /* inputs */
    int (*filter)(igz_instance_t *ins, void *ctx, const char *tag, const void *data, size_t len,
                  igz_writer_t *out);                               /* filters */
    void (*flush)(igz_instance_t *ins, void *ctx, igz_flush_t *fl); /* outputs */
    void (*exit)(igz_instance_t *ins, void *ctx);

    void *reserved[8]; /* must be NULL: room for callbacks of later minors */
} igz_plugin_t;

/* The block the loader reads first. Never reorder: only append. */
typedef struct igz_plugin_magic {
    uint32_t len; /* sizeof(igz_plugin_magic_t) when built */
    uint16_t abi_major;
    uint16_t abi_minor;
    uint16_t sizeof_plugin; /* sizeof(igz_plugin_t) */
    uint16_t sizeof_option; /* sizeof(igz_option_t) */
    uint16_t sizeof_writer; /* sizeof(igz_writer_t), used inline by plugins */
    uint16_t reserved0;
    const char *signature; /* IGZ_BUILD_SIGNATURE */
    const igz_plugin_t *plugin;
} igz_plugin_magic_t;

/* Export a plugin: IGZ_PLUGIN_DEFINE(my_plugin); at file scope, once. */
#define IGZ_PLUGIN_DEFINE(desc)                                                                    \
    IGZ_API const igz_plugin_magic_t igz_plugin_magic = {sizeof(igz_plugin_magic_t),               \
                                                         IGZ_ABI_MAJOR,                            \
                                                         IGZ_ABI_MINOR,                            \
                                                         sizeof(igz_plugin_t),                     \
                                                         sizeof(igz_option_t),                     \
                                                         sizeof(igz_writer_t),                     \
                                                         0,                                        \
                                                         IGZ_BUILD_SIGNATURE,                      \
                                                         &(desc)}

/* ---- the instance ------------------------------------------------------ */

/* The loop every callback runs on. */
IGZ_API uv_loop_t *igz_instance_loop(const igz_instance_t *ins);
/* "in_csv" */
IGZ_API const char *igz_instance_plugin_name(const igz_instance_t *ins);
/* The `alias` key, or a generated "csv.0" when none was given. */
IGZ_API const char *igz_instance_alias(const igz_instance_t *ins);
/* Inputs: the `tag` key (default: the plugin name, e.g. "gen"). */
IGZ_API const char *igz_instance_tag(const igz_instance_t *ins);
/* A folder of this instance's own under the storage path (created on first
 * call: STORAGE/state/ALIAS) for state such as offsets, or NULL when no
 * storage path is set or the folder cannot be made (the reason is logged).
 * Give the instance an `alias` so that the folder survives configuration
 * changes. Owned by the instance; valid until exit returns. */
IGZ_API const char *igz_instance_state_dir(igz_instance_t *ins);

/* ---- inputs ------------------------------------------------------------ */

typedef enum igz_ack_event {
    IGZ_ACK_STORED = 1, /* in the buffer (on disk when storage is on, synced per policy) */
    IGZ_ACK_DELIVERED,  /* acknowledged by every output that matched */
    IGZ_ACK_FAILED      /* an output gave up: the chunk went to the dead-letter hook */
} igz_ack_event_t;

/* Called on the loop for each event of an emitted batch, STORED first and
 * then DELIVERED or FAILED. A batch whose records were all dropped by
 * filters, or that matched no output, is DELIVERED at once. */
typedef void (*igz_ack_cb)(igz_instance_t *ins, void *data, igz_ack_event_t ev);

/* Hand the records of w to the chain under tag (NULL: the instance tag):
 * filters run, then the records are appended to chunks. The writer is
 * reset (emptied) on success. Returns 0, IGZ_EINVAL (w has an error or an
 * unfinished record), or IGZ_ENOMEM; on error nothing of the batch entered
 * the chain and w is left as it was. Accepted while paused (one batch of
 * overshoot is allowed), but a paused input should not emit. */
IGZ_API int igz_input_emit(igz_instance_t *ins, const char *tag, igz_writer_t *w);
/* The same with acknowledgement callbacks (cb may be NULL). When an error is
 * returned, cb is never called. */
IGZ_API int igz_input_emit_ack(igz_instance_t *ins, const char *tag, igz_writer_t *w, igz_ack_cb cb,
                               void *data);
/* True while the engine has this input paused. */
IGZ_API bool igz_input_paused(const igz_instance_t *ins);
/* The input has nothing more to produce (e.g. in_gen reached its count).
 * With `[service] exit_when_done = true` the engine stops once every input
 * is done and every chunk is delivered. */
IGZ_API void igz_input_done(igz_instance_t *ins);

/* ---- outputs ----------------------------------------------------------- */

/* The chunk being flushed; valid until igz_flush_done(). */
IGZ_API const char *igz_flush_tag(const igz_flush_t *fl);
IGZ_API const void *igz_flush_data(const igz_flush_t *fl, size_t *len);
IGZ_API uint32_t igz_flush_records(const igz_flush_t *fl);
/* A stable id of the chunk (hex, 32 characters): the same for every retry
 * and after a restart, so an output can name what it writes after it. */
IGZ_API const char *igz_flush_chunk_id(const igz_flush_t *fl);
/* 1 for the first try, 2 for the first retry, ... */
IGZ_API uint32_t igz_flush_attempt(const igz_flush_t *fl);
/* End the flush. reason (printf format, may be NULL) says what failed for
 * RETRY and FAILED. After this call fl must not be used. Cannot fail. */
IGZ_API void igz_flush_done(igz_flush_t *fl, igz_flush_result_t result, const char *reason, ...)
    IGZ_PRINTF(3, 4);

IGZ_END_DECLS

#endif
