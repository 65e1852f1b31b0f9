/*
 * out_file_resume.c - offsets of partly written chunks, by chunk id (see the
 * header for why). A linear search: a handful of entries, touched once per
 * flush.
 */
#include <stdio.h>
#include <string.h>

#include "out_file_resume.h"

size_t out_file_resume_take(out_file_resume_t *r, const char *id)
{
    for (size_t i = 0; i < OUT_FILE_RESUME_SLOTS; i++)
        if (r->slot[i].id[0] && strcmp(r->slot[i].id, id) == 0) {
            r->slot[i].id[0] = '\0';
            return r->slot[i].off;
        }
    return 0;
}

void out_file_resume_put(out_file_resume_t *r, const char *id, size_t off)
{
    size_t pick = 0;
    for (size_t i = 0; i < OUT_FILE_RESUME_SLOTS; i++) {
        if (!r->slot[i].id[0]) {
            pick = i;
            break;
        }
        if (r->slot[i].stamp < r->slot[pick].stamp)
            pick = i;
    }
    snprintf(r->slot[pick].id, sizeof r->slot[pick].id, "%s", id);
    r->slot[pick].off = off;
    r->slot[pick].stamp = ++r->clock;
}
