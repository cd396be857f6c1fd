// The vector-file reader on any text: a VectorFile or an exception naming what is wrong;
// crashes, leaks and undefined behaviour are findings.
#include "fuzz_input.h"
#include "testing/vector_file.h"

#include <fstream>
#include <stdexcept>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path = mada::fuzz::scratch_path("mada_fuzz_vectors.json");
  std::ofstream(path, std::ios::binary | std::ios::trunc).write(reinterpret_cast<const char*>(data),
                                                               static_cast<std::streamsize>(size));
  try {
    (void)mada::testing::read_vector_file(path);
  } catch (const std::exception&) {
  }
  return 0;
}
