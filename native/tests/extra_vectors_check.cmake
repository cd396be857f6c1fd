# MADA_EXTRA_VECTORS is read every time the vector tests run, not when ctest first listed them
# (gtest_discover_tests caches that list): this script sets the variable now and runs them, so
# a faithful copy of a shared file must pass and a copy with one expected value changed must
# fail. Run as: cmake -DTESTS=<mada_tests> -DSOURCE=<adam_fixed.json> -DWORK=<dir> -P <this>
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}/faithful" "${WORK}/altered")
file(READ "${SOURCE}" text)
file(WRITE "${WORK}/faithful/copy.json" "${text}")
# The first parameter element after update 1, -0.76857..., becomes -0.66857...
string(REPLACE "\"x\":[[-0.7685723304748535," "\"x\":[[-0.6685723304748535," altered "${text}")
if(altered STREQUAL text)
  message(FATAL_ERROR "${SOURCE} no longer holds the value this check alters")
endif()
file(WRITE "${WORK}/altered/copy.json" "${altered}")

foreach(kind faithful altered)
  set(ENV{MADA_EXTRA_VECTORS} "${WORK}/${kind}")
  execute_process(COMMAND "${TESTS}" "--gtest_filter=Files/*copy_json*" OUTPUT_VARIABLE out ERROR_VARIABLE out
                  RESULT_VARIABLE rc)
  if(NOT out MATCHES "copy_json")
    message(FATAL_ERROR "the ${kind} file given in MADA_EXTRA_VECTORS did not run:\n${out}")
  endif()
  if(kind STREQUAL "faithful" AND NOT rc EQUAL 0)
    message(FATAL_ERROR "a faithful copy of ${SOURCE} failed:\n${out}")
  elseif(kind STREQUAL "altered" AND rc EQUAL 0)
    message(FATAL_ERROR "a copy of ${SOURCE} with a changed expected value passed:\n${out}")
  endif()
endforeach()
