# in_csv's parsing core (plugins/in_csv/in_csv_*.c, compiled straight into each
# program: the plugin's CMakeLists comes later): unit tests, the fuzz target
# and the parse benchmark.
set(IN_CSV_DIR ${CMAKE_SOURCE_DIR}/plugins/in_csv)
set(IN_CSV_CORE_SOURCES
  ${IN_CSV_DIR}/in_csv_parser.c ${IN_CSV_DIR}/in_csv_types.c
  ${IN_CSV_DIR}/in_csv_time.c ${IN_CSV_DIR}/in_csv_tz.c)

foreach(name test_csv_parser test_csv_types test_csv_oom)
  add_executable(${name} ${CMAKE_CURRENT_SOURCE_DIR}/csv/${name}.c ${IN_CSV_CORE_SOURCES})
  target_include_directories(${name} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR} ${IN_CSV_DIR})
  target_link_libraries(${name} PRIVATE iguazu_static)
  target_compile_definitions(${name} PRIVATE IGZ_CSV_SHARED_DIR="${CMAKE_SOURCE_DIR}/../shared")
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES ENVIRONMENT "${IGZ_TEST_ENV}" TIMEOUT 300)
endforeach()
# test_csv_oom fails the N-th allocation: malloc and friends are wrapped at link time.
target_link_options(test_csv_oom PRIVATE -Wl,--wrap=malloc -Wl,--wrap=calloc -Wl,--wrap=realloc)

# The fuzz target: a libFuzzer program with IGZ_FUZZ (clang), otherwise run
# over the csv-spectrum files and its own seeds as a test.
if(IGZ_FUZZ)
  add_executable(fuzz_csv ${CMAKE_CURRENT_SOURCE_DIR}/csv/fuzz_csv.c ${IN_CSV_CORE_SOURCES})
  target_link_options(fuzz_csv PRIVATE -fsanitize=fuzzer)
else()
  add_executable(fuzz_csv ${CMAKE_CURRENT_SOURCE_DIR}/csv/fuzz_csv.c ${IN_CSV_CORE_SOURCES}
    ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/driver.c)
  add_test(NAME fuzz_csv_seeds COMMAND fuzz_csv
    ${CMAKE_SOURCE_DIR}/../shared/conformance/csv-spectrum/csvs ${CMAKE_CURRENT_SOURCE_DIR}/csv/seeds)
  set_tests_properties(fuzz_csv_seeds PROPERTIES TIMEOUT 300)
endif()
target_include_directories(fuzz_csv PRIVATE ${CMAKE_CURRENT_SOURCE_DIR} ${IN_CSV_DIR})
target_link_libraries(fuzz_csv PRIVATE iguazu_static)

# The benchmark (not a test): build/csv_parse_bench [rows]
add_executable(csv_parse_bench ${CMAKE_SOURCE_DIR}/bench/csv_parse_bench.c ${IN_CSV_CORE_SOURCES})
target_include_directories(csv_parse_bench PRIVATE ${IN_CSV_DIR})
target_link_libraries(csv_parse_bench PRIVATE iguazu_static)
set_target_properties(csv_parse_bench PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR})
