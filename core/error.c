/* error.c - messages and names for the IGZ_E* codes, from the one table in error.h. */
#include "iguazu/error.h"

const char *igz_strerror(int code)
{
    switch (code) {
    case 0:
        return "success";
#define IGZ__ERR_MSG(name, value, msg)                                                             \
    case value:                                                                                    \
        return msg;
        IGZ_ERRNO_MAP(IGZ__ERR_MSG)
#undef IGZ__ERR_MSG
    default:
        return "unknown error";
    }
}

const char *igz_err_name(int code)
{
    switch (code) {
    case 0:
        return "OK";
#define IGZ__ERR_NAME(name, value, msg)                                                            \
    case value:                                                                                    \
        return #name;
        IGZ_ERRNO_MAP(IGZ__ERR_NAME)
#undef IGZ__ERR_NAME
    default:
        return "UNKNOWN";
    }
}
