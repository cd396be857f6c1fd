// mada_vector_tool: replays part of a vector file in C++, resuming from and leaving behind a
// checkpoint. The managed tests use it to prove that checkpoints cross the language boundary.
//
//   mada_vector_tool VECTOR_JSON FROM TO IN_CKPT IN_PARAMS OUT_CKPT OUT_PARAMS
//
// Runs updates FROM+1..TO. IN_* are read when FROM > 0 (params: raw little-endian float32 of
// every tensor, concatenated in file order); OUT_* are written unless "-". Exit code 0 only if
// every update matched the file.
#include "../testing/vector_replay.h"

#include <cstdio>
#include <fstream>
#include <iostream>

namespace {

void read_params(const std::string& path, std::vector<torch::Tensor>& params) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  for (auto& p : params) {
    in.read(static_cast<char*>(p.data_ptr()), p.numel() * sizeof(float));
    if (!in) throw std::runtime_error(path + " is too short");
  }
  if (in.peek() != EOF) throw std::runtime_error(path + " is too long");
}

void write_params(const std::string& path, const std::vector<torch::Tensor>& params) {
  std::ofstream out(path, std::ios::binary);
  for (const auto& p : params) out.write(static_cast<const char*>(p.data_ptr()), p.numel() * sizeof(float));
  if (!out) throw std::runtime_error("cannot write " + path);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 8) {
    std::cerr << "usage: mada_vector_tool VECTOR_JSON FROM TO IN_CKPT IN_PARAMS OUT_CKPT OUT_PARAMS\n";
    return 2;
  }
  try {
    const auto file = mada::testing::read_vector_file(argv[1]);
    const int64_t from = std::stoll(argv[2]), to = std::stoll(argv[3]);
    if (from < 0 || to < from || to > static_cast<int64_t>(file.steps.size()))
      throw std::runtime_error("FROM/TO out of range");
    mada::testing::VectorReplay replay(file);
    if (from > 0) {
      read_params(argv[5], replay.params());
      mada::load_checkpoint(replay.optimizer(), argv[4]);
    }
    int failures = 0;
    for (int64_t t = from + 1; t <= to; ++t) {
      const std::string problem = replay.run_step(t);
      if (!problem.empty()) {
        std::cerr << file.name << ": " << problem << "\n";
        ++failures;
      }
    }
    if (std::string(argv[6]) != "-") mada::save_checkpoint(replay.optimizer(), argv[6]);
    if (std::string(argv[7]) != "-") write_params(argv[7], replay.params());
    std::cout << file.name << ": updates " << from + 1 << ".." << to << ", " << failures
              << " mismatched\n";
    return failures == 0 ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "mada_vector_tool: " << e.what() << "\n";
    return 2;
  }
}
