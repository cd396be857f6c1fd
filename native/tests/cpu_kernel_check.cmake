# The vector files and the kernel tests under one CPU kernel variant, forced with
# MADA_CPU_KERNEL=KERNEL; "SKIPPED" (ctest's SKIP_REGULAR_EXPRESSION) where this processor, its
# OS or the build lacks it. Run as
#   cmake -DKERNEL=avx512 -DPROBE=mada_kernels_c_check -DTESTS=mada_tests -P cpu_kernel_check.cmake
execute_process(COMMAND ${CMAKE_COMMAND} -E env MADA_CPU_KERNEL=${KERNEL} ${PROBE}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(err MATCHES "lacks ${KERNEL}")
  message(STATUS "SKIPPED: ${err}")
  return()
endif()
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the kernel core failed under MADA_CPU_KERNEL=${KERNEL}: ${err}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E env MADA_CPU_KERNEL=${KERNEL} ${TESTS}
                        --gtest_filter=Files/*:EngineVectorFile*:CpuKernels.*:CompactState.*
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "under MADA_CPU_KERNEL=${KERNEL}:\n${out}\n${err}")
endif()
string(REGEX MATCH "\\[  PASSED  \\] [0-9]+ tests?" passed "${out}")
message(STATUS "MADA_CPU_KERNEL=${KERNEL}: ${passed}")
