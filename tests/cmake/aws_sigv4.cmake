# AWS SigV4: the allocation-failure test routes libiguazu's allocations
# through its own wrappers (GNU ld --wrap); the fuzz target replays the
# SigV4 suite's files as seeds.
if(TARGET test_aws_sigv4_oom)
  target_link_options(test_aws_sigv4_oom PRIVATE
    -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=free)
endif()

if(NOT IGZ_FUZZ)
  add_test(NAME fuzz_aws_sigv4_seeds
    COMMAND fuzz_aws_sigv4 ${CMAKE_SOURCE_DIR}/../shared/conformance/aws-sigv4/v4)
endif()
