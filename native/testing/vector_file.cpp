#include "vector_file.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace mada::testing {

namespace {

using nlohmann::json;

Coefficients coefficients_from(const json& j) {
  Coefficients c;
  for (std::size_t k = 0; k < kCoefficientCount; ++k) c[k] = j.at(kCoefficientNames[k]).get<double>();
  return c;
}

}  // namespace

VectorFile read_vector_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open vector file " + path);
  VectorFile f;
  f.path = path;
  try {
    const json j = json::parse(in);
    if (j.at("format").get<std::string>() != "mada-vectors/1")
      throw std::runtime_error("unknown format " + j.at("format").dump());
    f.name = j.at("name").get<std::string>();
    const std::string mode = j.at("mode").get<std::string>();
    if (mode != "paper" && mode != "reference") throw std::runtime_error("unknown mode " + mode);
    f.mode = mode == "paper" ? Mode::Paper : Mode::Reference;

    const json& problem = j.at("problem");
    if (problem.at("kind").get<std::string>() != "quadratic")
      throw std::runtime_error("unknown problem kind " + problem.at("kind").dump());
    for (const json& t : problem.at("tensors")) {
      VectorTensor vt;
      vt.name = t.at("name").get<std::string>();
      vt.shape = t.at("shape").get<std::vector<int64_t>>();
      vt.weight_decay = t.at("weight_decay").get<double>();
      vt.x0 = t.at("x0").get<std::vector<float>>();
      vt.a = t.at("a").get<std::vector<float>>();
      vt.b = t.at("b").get<std::vector<float>>();
      int64_t numel = 1;
      for (int64_t d : vt.shape) numel *= d;
      if (static_cast<int64_t>(vt.x0.size()) != numel || vt.a.size() != vt.x0.size() ||
          vt.b.size() != vt.x0.size())
        throw std::runtime_error("tensor " + vt.name + ": arrays do not match its shape");
      f.tensors.push_back(std::move(vt));
    }
    f.noise = problem.at("noise").get<std::vector<std::vector<std::vector<float>>>>();

    const json& o = j.at("options");
    const Coefficients hyper_lr = coefficients_from(o.at("hyper_lr"));
    Coefficients lower, upper;
    for (std::size_t k = 0; k < kCoefficientCount; ++k) {
      const json& b = o.at("bounds").at(kCoefficientNames[k]);
      lower[k] = b.at(0).get<double>();
      upper[k] = b.at(1).get<double>();
    }
    LearnMask learn = kLearnNone;
    for (std::size_t k = 0; k < kCoefficientCount; ++k)
      if (hyper_lr[k] != 0.0) learn |= 1u << k;
    f.options.eps(o.at("eps").get<double>())
        .grad_clip(o.at("grad_clip").get<double>())
        .hypergrad_clip(o.at("hypergrad_clip").get<double>())
        .lion_beta1(o.at("lion_beta1").get<double>())
        .lion_beta2(o.at("lion_beta2").get<double>())
        .q0(coefficients_from(o.at("q0")))
        .hyper_lr(hyper_lr)
        .learn(learn)
        .lower(lower)
        .upper(upper)
        .mode(f.mode);

    for (const json& s : j.at("steps")) {
      VectorStep st;
      st.t = s.at("t").get<int64_t>();
      st.lr = s.at("lr").get<double>();
      st.loss = s.at("loss").get<double>();
      st.grad_norm = s.at("grad_norm").get<double>();
      st.hypergrad = coefficients_from(s.at("hypergrad"));
      st.q = coefficients_from(s.at("q"));
      st.x = s.at("x").get<std::vector<std::vector<double>>>();
      if (st.x.size() != f.tensors.size())
        throw std::runtime_error("step " + std::to_string(st.t) + " has the wrong tensor count");
      f.steps.push_back(std::move(st));
    }
    if (f.steps.empty()) throw std::runtime_error("no steps");
    if (f.noise.size() < f.steps.size()) throw std::runtime_error("fewer noise arrays than steps");
    f.options.lr(f.steps.front().lr);
  } catch (const std::exception& e) {
    throw std::runtime_error("vector file " + path + " is malformed: " + e.what());
  }
  return f;
}

std::vector<std::string> vector_files_in(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) throw std::runtime_error("cannot list vector directory " + dir + ": " + ec.message());
  std::vector<std::string> files;
  for (const auto& entry : it)
    if (entry.path().extension() == ".json") files.push_back(entry.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<std::string> vector_directories(const std::string& builtin_dir) {
  std::vector<std::string> dirs{builtin_dir};
  if (const char* extra = std::getenv("MADA_EXTRA_VECTORS")) {
    std::stringstream list(extra);
    std::string dir;
    while (std::getline(list, dir, ':'))
      if (!dir.empty()) dirs.push_back(dir);
  }
  return dirs;
}

}  // namespace mada::testing
