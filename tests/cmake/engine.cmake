# The engine's tests run the real iguazu binary with test plugins.
set(IGZ_TEST_PLUGIN_DIR ${CMAKE_BINARY_DIR}/tests/plugins)
function(igz_test_plugin name)
  add_library(${name} MODULE ${ARGN})
  target_link_libraries(${name} PRIVATE iguazu)
  set_target_properties(${name} PROPERTIES PREFIX "" C_VISIBILITY_PRESET hidden
    LIBRARY_OUTPUT_DIRECTORY ${IGZ_TEST_PLUGIN_DIR})
endfunction()
igz_test_plugin(out_testsink ${CMAKE_CURRENT_SOURCE_DIR}/plugins/out_testsink.c)
igz_test_plugin(filter_testdrop ${CMAKE_CURRENT_SOURCE_DIR}/plugins/filter_testdrop.c)
# refused plugins live in their own folder so that `iguazu plugins` in other tests stays clean
set(bad_dir ${CMAKE_BINARY_DIR}/tests/plugins-bad)
foreach(v "abi2;2;0" "abi_minor;1;99" "nomagic;1;0")
  list(GET v 0 n)
  list(GET v 1 maj)
  list(GET v 2 min)
  add_library(out_${n} MODULE ${CMAKE_CURRENT_SOURCE_DIR}/plugins/bad_abi.c)
  target_link_libraries(out_${n} PRIVATE iguazu)
  target_compile_definitions(out_${n} PRIVATE IGZ_TEST_ABI_MAJOR=${maj} IGZ_TEST_ABI_MINOR=${min})
  if(n STREQUAL "nomagic")
    target_compile_definitions(out_${n} PRIVATE IGZ_TEST_NO_MAGIC)
  endif()
  set_target_properties(out_${n} PROPERTIES PREFIX "" C_VISIBILITY_PRESET hidden
    LIBRARY_OUTPUT_DIRECTORY ${bad_dir})
endforeach()

file(GLOB engine_tests CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/engine/test_*.sh)
foreach(t ${engine_tests})
  get_filename_component(name ${t} NAME_WE)
  add_test(NAME engine_${name} COMMAND bash ${t})
  set_tests_properties(engine_${name} PROPERTIES TIMEOUT 300 ENVIRONMENT
    "${IGZ_TEST_ENV};IGZ_BIN=${CMAKE_BINARY_DIR}/iguazu;IGUAZU_PLUGIN_PATH=${CMAKE_BINARY_DIR}/plugins:${IGZ_TEST_PLUGIN_DIR};IGZ_BAD_PLUGIN_DIR=${bad_dir};IGZ_TEST_LIB=${CMAKE_CURRENT_SOURCE_DIR}/engine/lib.sh")
endforeach()
