/* fuzz_toml.c - the TOML parser must never crash, hang or leak, whatever the bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "toml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    igz_toml_node_t *root = NULL;
    char err[256];
    if (igz_toml_parse((const char *)data, size, "fuzz", &root, err, sizeof err) == 0) {
        /* a parsed tree must be walkable through the public accessors */
        for (size_t i = 0; i < igz_conf_len(root); i++)
            (void)igz_conf_type(igz_conf_at(root, i));
        igz_toml_free(root);
    } else if (root || !err[0]) {
        abort(); /* a failure always explains itself and returns no tree */
    }
    return 0;
}
