/* storage_format.c - encoding and decoding the chunk file header (storage_format.h). */
#include <string.h>

#include "storage_format.h"

static void put16(unsigned char *p, uint16_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
}

static void put32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static void put64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static uint16_t get16(const unsigned char *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get64(const unsigned char *p)
{
    return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

size_t igz__chunk_header_encode(const igz_chunk_header_t *h, unsigned char *out)
{
    size_t tl = strlen(h->tag), il = strlen(h->input), rl = strlen(h->route);
    size_t len = IGZ_CHUNK_FIXED + tl + il + rl;
    if (len > IGZ_CHUNK_MAX_HDR)
        return 0;
    memset(out, 0, IGZ_CHUNK_FIXED);
    memcpy(out, IGZ_CHUNK_MAGIC, 8);
    put16(out + 8, IGZ_CHUNK_VERSION);
    put16(out + 10, h->flags);
    put32(out + 12, (uint32_t)len);
    put64(out + 16, h->content_len);
    put32(out + 24, h->records);
    put32(out + 28, h->crc);
    put64(out + 32, (uint64_t)h->created);
    memcpy(out + 40, h->id, strnlen(h->id, 32));
    put16(out + 72, (uint16_t)tl);
    put16(out + 74, (uint16_t)il);
    put16(out + 76, (uint16_t)rl);
    memcpy(out + IGZ_CHUNK_FIXED, h->tag, tl);
    memcpy(out + IGZ_CHUNK_FIXED + tl, h->input, il);
    memcpy(out + IGZ_CHUNK_FIXED + tl + il, h->route, rl);
    return len;
}

const char *igz__chunk_header_decode(const unsigned char *p, size_t n, igz_chunk_header_t *h)
{
    if (n < IGZ_CHUNK_FIXED)
        return "file shorter than a chunk header";
    if (memcmp(p, IGZ_CHUNK_MAGIC, 8) != 0)
        return "bad magic (not a chunk file)";
    h->version = get16(p + 8);
    if (h->version != IGZ_CHUNK_VERSION)
        return "unknown chunk format version";
    h->flags = get16(p + 10);
    h->header_len = get32(p + 12);
    h->content_len = get64(p + 16);
    h->records = get32(p + 24);
    h->crc = get32(p + 28);
    h->created = (int64_t)get64(p + 32);
    memcpy(h->id, p + 40, 32);
    h->id[32] = '\0';
    size_t tl = get16(p + 72), il = get16(p + 74), rl = get16(p + 76);
    if (h->header_len != IGZ_CHUNK_FIXED + tl + il + rl || h->header_len > IGZ_CHUNK_MAX_HDR ||
        tl >= sizeof h->tag || il >= sizeof h->input || rl >= sizeof h->route || tl == 0)
        return "inconsistent header lengths";
    if (n < h->header_len)
        return "file shorter than its header";
    memcpy(h->tag, p + IGZ_CHUNK_FIXED, tl);
    h->tag[tl] = '\0';
    memcpy(h->input, p + IGZ_CHUNK_FIXED + tl, il);
    h->input[il] = '\0';
    memcpy(h->route, p + IGZ_CHUNK_FIXED + tl + il, rl);
    h->route[rl] = '\0';
    return NULL;
}
