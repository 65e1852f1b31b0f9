# out_file and out_stdout: each tests/outfile/test_*.sh runs the real iguazu
# binary (given as the first argument) with in_gen, and checks what landed in
# the files or on stdout.
file(GLOB outfile_tests CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/outfile/test_*.sh)
foreach(t ${outfile_tests})
  get_filename_component(name ${t} NAME_WE)
  add_test(NAME outfile_${name} COMMAND bash ${t} ${CMAKE_BINARY_DIR}/iguazu)
  set_tests_properties(outfile_${name} PROPERTIES TIMEOUT 300 ENVIRONMENT "${IGZ_TEST_ENV}")
endforeach()
