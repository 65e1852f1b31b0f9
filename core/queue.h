/*
 * queue.h - an intrusive circular doubly linked list (internal).
 *
 * Chunks, flush tasks and instances sit in several lists at once without
 * extra allocations; removal is O(1) from anywhere.
 */
#ifndef IGZ_QUEUE_H
#define IGZ_QUEUE_H

#include <stddef.h>

typedef struct queue {
    struct queue *next, *prev;
} queue_t;

#define QUEUE_DATA(ptr, type, field) ((type *)((char *)(ptr)-offsetof(type, field)))
#define QUEUE_FOREACH(q, h)          for ((q) = (h)->next; (q) != (h); (q) = (q)->next)

static inline void queue_init(queue_t *h)
{
    h->next = h;
    h->prev = h;
}

static inline int queue_empty(const queue_t *h)
{
    return h->next == h;
}

static inline void queue_insert_tail(queue_t *h, queue_t *q)
{
    q->next = h;
    q->prev = h->prev;
    h->prev->next = q;
    h->prev = q;
}

static inline void queue_remove(queue_t *q)
{
    q->prev->next = q->next;
    q->next->prev = q->prev;
    q->next = q;
    q->prev = q;
}

static inline queue_t *queue_head(const queue_t *h)
{
    return h->next;
}

#endif
