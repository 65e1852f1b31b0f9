/* cli.h - the command line of the iguazu binary (internal, exported for main.c only). */
#ifndef IGZ_CLI_H
#define IGZ_CLI_H

#include "iguazu/common.h"

/* Run the iguazu command line; returns the process exit status. */
IGZ_API int igz__main(int argc, char **argv);

#endif
