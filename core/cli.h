/* cli.h - the command line of the iguazu binary (internal, exported for main.c only). */
#ifndef IGZ_CLI_H
#define IGZ_CLI_H

#include "iguazu/common.h"

/* Run the iguazu command line; returns the process exit status. */
IGZ_API int igz__main(int argc, char **argv);
/* cli_dlq.c: `iguazu dlq list|replay ...` (argv starts after "dlq"). */
int igz__cli_dlq(int argc, char **argv, const char *usage);

#endif
