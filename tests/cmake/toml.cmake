# The TOML parser against the toml-test suite, through the toml-decoder program.
add_executable(toml-decoder ${CMAKE_CURRENT_SOURCE_DIR}/toml/toml_decoder.c)
target_link_libraries(toml-decoder PRIVATE iguazu_static)
add_test(NAME toml_test_suite COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/toml/run_toml_test.py
  $<TARGET_FILE:toml-decoder>)
set_tests_properties(toml_test_suite PROPERTIES ENVIRONMENT "${IGZ_TEST_ENV}" TIMEOUT 600)

if(NOT IGZ_FUZZ)
  add_test(NAME fuzz_toml_seeds COMMAND fuzz_toml ${CMAKE_SOURCE_DIR}/../shared/conformance/toml-test/tests)
endif()
