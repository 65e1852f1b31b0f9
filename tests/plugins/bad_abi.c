/*
 * bad_abi.c - plugins that must be refused: built with IGZ_TEST_ABI_MAJOR /
 * IGZ_TEST_ABI_MINOR in place of the SDK's version, or with no magic block.
 * Its flush aborts, so a test fails loudly if the host ever runs it.
 */
#include <stdlib.h>

#include <iguazu/iguazu.h>

static void bad_flush(igz_instance_t *ins, void *ctx, igz_flush_t *fl)
{
    abort();
}

#ifndef IGZ_TEST_NO_MAGIC
static igz_plugin_t bad = {
    .size = sizeof(igz_plugin_t),
    .abi_major = IGZ_TEST_ABI_MAJOR,
    .abi_minor = IGZ_TEST_ABI_MINOR,
    .kind = IGZ_KIND_OUTPUT,
    .name = "badabi",
    .description = "a plugin of another ABI",
    .flush = bad_flush,
};

IGZ_API const igz_plugin_magic_t igz_plugin_magic = {sizeof(igz_plugin_magic_t),
                                                     IGZ_TEST_ABI_MAJOR,
                                                     IGZ_TEST_ABI_MINOR,
                                                     sizeof(igz_plugin_t),
                                                     sizeof(igz_option_t),
                                                     sizeof(igz_writer_t),
                                                     0,
                                                     IGZ_BUILD_SIGNATURE,
                                                     &bad};
#else
IGZ_API void not_a_plugin(void);
IGZ_API void not_a_plugin(void)
{
    bad_flush(NULL, NULL, NULL);
}
#endif
