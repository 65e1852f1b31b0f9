/* main.c - the iguazu binary: everything lives in libiguazu, so that the binary and the plugins
 * share one copy of the runtime. */
#include "cli.h"

int main(int argc, char **argv)
{
    return igz__main(argc, argv);
}
