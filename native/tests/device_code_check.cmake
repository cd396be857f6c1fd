# ctest's CudaStep.LibraryHoldsDeviceCode: the built libmada_kernels carries machine code
# (an ELF cubin, not only PTX to be compiled at load) for every architecture of the build.
execute_process(COMMAND ${CUOBJDUMP} --list-elf ${LIBRARY} OUTPUT_VARIABLE listed RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "cuobjdump --list-elf ${LIBRARY} failed (${status})")
endif()
foreach(arch ${ARCHITECTURES})
  string(REGEX REPLACE "-(real|virtual)$" "" arch "${arch}")
  if(NOT listed MATCHES "sm_${arch}")
    message(FATAL_ERROR "${LIBRARY} holds no sm_${arch} machine code; cuobjdump lists:\n${listed}")
  endif()
  message(STATUS "sm_${arch} machine code present")
endforeach()
