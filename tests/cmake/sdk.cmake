# The SDK as a third party sees it: installed, pkg-config, an out-of-tree build.
add_test(NAME sdk_out_of_tree COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/sdk/test_out_of_tree.sh)
set_tests_properties(sdk_out_of_tree PROPERTIES TIMEOUT 300 ENVIRONMENT
  "${IGZ_TEST_ENV};IGZ_BIN=${CMAKE_BINARY_DIR}/iguazu;IGZ_TEST_LIB=${CMAKE_CURRENT_SOURCE_DIR}/engine/lib.sh")
