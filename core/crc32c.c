/*
 * crc32c.c - CRC32C with the SSE4.2 crc32 instruction when the CPU has it
 * (about 20 GB/s: chunk checksums cost nothing next to the disk), and a
 * slice-by-8 table otherwise.
 */
#include <pthread.h>
#include <string.h>

#include "iguazu/checksum.h"

static uint32_t table[8][256];
static int hw;
static pthread_once_t probed = PTHREAD_ONCE_INIT;

static void init_tables(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = c & 1 ? (c >> 1) ^ 0x82f63b78u : c >> 1;
        table[0][i] = c;
    }
    for (uint32_t i = 0; i < 256; i++)
        for (int t = 1; t < 8; t++)
            table[t][i] = (table[t - 1][i] >> 8) ^ table[0][table[t - 1][i] & 0xff];
}

static uint32_t sw_crc(uint32_t c, const unsigned char *p, size_t n)
{
    while (n && ((uintptr_t)p & 7)) {
        c = table[0][(c ^ *p++) & 0xff] ^ (c >> 8);
        n--;
    }
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        w ^= c;
        c = table[7][w & 0xff] ^ table[6][(w >> 8) & 0xff] ^ table[5][(w >> 16) & 0xff] ^
            table[4][(w >> 24) & 0xff] ^ table[3][(w >> 32) & 0xff] ^ table[2][(w >> 40) & 0xff] ^
            table[1][(w >> 48) & 0xff] ^ table[0][w >> 56];
        p += 8;
        n -= 8;
    }
    while (n--)
        c = table[0][(c ^ *p++) & 0xff] ^ (c >> 8);
    return c;
}

#if defined(__x86_64__) && defined(__GNUC__)
__attribute__((target("sse4.2"))) static uint32_t hw_crc(uint32_t c, const unsigned char *p,
                                                         size_t n)
{
    uint64_t c64 = c;
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        c64 = __builtin_ia32_crc32di(c64, w);
        p += 8;
        n -= 8;
    }
    c = (uint32_t)c64;
    while (n--)
        c = __builtin_ia32_crc32qi(c, *p++);
    return c;
}
#endif

/* Once per process, whatever thread comes first (storage jobs run in the thread pool). */
static void probe(void)
{
    init_tables();
#if defined(__x86_64__) && defined(__GNUC__)
    __builtin_cpu_init();
    hw = __builtin_cpu_supports("sse4.2") ? 1 : 0;
#endif
}

uint32_t igz_crc32c(uint32_t crc, const void *p, size_t n)
{
    pthread_once(&probed, probe);
    uint32_t c = ~crc;
#if defined(__x86_64__) && defined(__GNUC__)
    if (hw == 1)
        return ~hw_crc(c, p, n);
#endif
    return ~sw_crc(c, p, n);
}

/* For tests: the table version regardless of the CPU. */
uint32_t igz__crc32c_sw(uint32_t crc, const void *p, size_t n);
uint32_t igz__crc32c_sw(uint32_t crc, const void *p, size_t n)
{
    pthread_once(&probed, probe);
    return ~sw_crc(~crc, p, n);
}
