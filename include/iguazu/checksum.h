/*
 * checksum.h - CRC32C (Castagnoli), as used by chunk files, S3's checksum
 * headers and iSCSI: reflected polynomial 0x82F63B78, initial value and final
 * xor 0xFFFFFFFF. Uses the CPU's crc32 instruction when there is one.
 */
#ifndef IGUAZU_CHECKSUM_H
#define IGUAZU_CHECKSUM_H

#include "common.h"

IGZ_BEGIN_DECLS

/* Extend crc (0 to start) over n bytes. igz_crc32c(0, "123456789", 9) is
 * 0xE3069283. Cannot fail. */
IGZ_API uint32_t igz_crc32c(uint32_t crc, const void *p, size_t n);

IGZ_END_DECLS

#endif
