/*
 * storage_format.h - the chunk file format.
 *
 *   offset  size  field
 *   0       8     magic "IGZCHUNK"
 *   8       2     format version (1), little endian like every field below
 *   10      2     flags (bit 0: sealed)
 *   12      4     header length (fixed part + tag + input + route)
 *   16      8     content length in bytes
 *   24      4     record count
 *   28      4     CRC32C of the content
 *   32      8     creation time, ns since the epoch
 *   40      32    chunk id (hex)
 *   72      2     tag length, then 2 input alias length, then 2 route length
 *   78      ...   tag, input alias, route (output alias or empty)
 *   then    ...   content: msgpack records laid end to end
 *
 * An open chunk has the sealed flag clear and zeros for length, count and
 * CRC; sealing rewrites the header in place, then renames ".open" to ".chunk".
 */
#ifndef IGZ_STORAGE_FORMAT_H
#define IGZ_STORAGE_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IGZ_CHUNK_MAGIC    "IGZCHUNK"
#define IGZ_CHUNK_VERSION  1
#define IGZ_CHUNK_FIXED    78
#define IGZ_CHUNK_MAX_HDR  4096
#define IGZ_CHUNK_F_SEALED 1u

typedef struct {
    uint16_t version;
    uint16_t flags;
    uint32_t header_len;
    uint64_t content_len;
    uint32_t records;
    uint32_t crc;
    int64_t created;
    char id[33];
    char tag[1024];
    char input[256];
    char route[256];
} igz_chunk_header_t;

/* Encode h into out (at least IGZ_CHUNK_MAX_HDR bytes); returns the length,
 * or 0 when a string is too long. */
size_t igz__chunk_header_encode(const igz_chunk_header_t *h, unsigned char *out);
/* Decode; returns 0, or a static reason ("bad magic", "unknown version", ...). */
const char *igz__chunk_header_decode(const unsigned char *p, size_t n, igz_chunk_header_t *h);

#endif
