/* cli.c - placeholder until the engine lands (replaced in this same series). */
#include <stdio.h>
#include "cli.h"
#include "iguazu/version.h"

int igz__main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("iguazu %s\n", IGZ_VERSION_STRING);
    return 0;
}
