/*
 * iguazu.h - the whole plugin SDK. A plugin includes this one header and
 * builds with `pkg-config --cflags --libs iguazu`.
 */
#ifndef IGUAZU_IGUAZU_H
#define IGUAZU_IGUAZU_H

#include "common.h"
#include <iguazu/version.h>
#include "error.h"
#include "checksum.h"
#include "digest.h"
#include "aws_sigv4.h"
#include "buf.h"
#include "record.h"
#include "json.h"
#include "config.h"
#include "log.h"
#include "metrics.h"
#include "plugin.h"

#endif
