// The engine over a long run with a save and a load every K steps: its memory stays flat and
// its bits equal those of a run that never reloads (docs/reliability.md, "Soak"). Not a test of
// the default suite: 100,000 steps at 1M parameters take about 20 minutes on two cores.
//
//   mada_engine_soak [--steps 100000] [--params 1000000] [--every 1000] [--threads 0]
//
// Two engines take the same steps on their own copies of the parameters: one straight through,
// the other saving its state to a file every K steps, destroyed, made anew and loaded from the
// file. Prints the resident set size at each reload's first and last sample and exits non-zero
// when the parameters or the saved states differ, or the resident set grew by more than 1 % after the first tenth of the run.
#include <mada/mada_kernels.h>

#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

namespace {

std::string last_error() {
  std::string s(mada_last_error(nullptr, 0) + 1, '\0');
  mada_last_error(s.data(), s.size());
  return s;
}

void check(mada_status status, const char* what) {
  if (status == MADA_OK) return;
  std::fprintf(stderr, "%s failed: %s\n", what, last_error().c_str());
  std::exit(2);
}

long resident_kib() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

// Two tensors, as a model has weights and biases: 99 % and 1 % of the parameters.
const std::vector<int64_t>& sizes(int64_t params) {
  static const std::vector<int64_t> s{params - params / 100, params / 100};
  return s;
}

mada_engine* make(int threads, int64_t params) {
  mada_options o{};
  check(mada_options_preset(MADA_PRESET_MADA, &o), "mada_options_preset");
  mada_engine* e = nullptr;
  check(mada_engine_create(&o, &e), "mada_engine_create");
  check(mada_engine_add_group(e, sizes(params).data(), sizes(params).size(), MADA_DTYPE_FLOAT32, 1e-3, 0.01),
        "mada_engine_add_group");
  check(mada_engine_set_threads(e, threads), "mada_engine_set_threads");
  return e;
}

std::string saved(const mada_engine* e) {
  size_t size = 0;
  check(mada_engine_save_buffer(e, nullptr, 0, &size), "mada_engine_save_buffer");
  std::string bytes(size, '\0');
  check(mada_engine_save_buffer(e, reinterpret_cast<uint8_t*>(bytes.data()), size, &size), "mada_engine_save_buffer");
  return bytes;
}

struct Run {
  mada_engine* engine;
  std::vector<std::vector<float>> x;

  Run(int threads, int64_t params) : engine(make(threads, params)) {
    for (int64_t n : sizes(params)) {
      x.emplace_back(n);
      for (int64_t j = 0; j < n; ++j) x.back()[j] = std::sin(0.001f * static_cast<float>(j));
    }
  }

  // The gradient of a quadratic with a moving target, the same on both runs.
  void step(int64_t t, std::vector<std::vector<float>>& g) {
    std::vector<void*> params;
    std::vector<const void*> grads;
    for (size_t i = 0; i < x.size(); ++i) {
      const float shift = 0.1f * std::sin(0.01f * static_cast<float>(t) + static_cast<float>(i));
      for (size_t j = 0; j < x[i].size(); ++j) g[i][j] = x[i][j] - shift;
      params.push_back(x[i].data());
      grads.push_back(g[i].data());
    }
    check(mada_engine_step(engine, params.data(), grads.data(), params.size()), "mada_engine_step");
  }
};

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // progress lines as they come, into a file too
  int64_t steps = 100000, params = 1000000, every = 1000;
  int threads = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const long long value = std::atoll(argv[i + 1]);
    if (flag == "--steps") steps = value;
    else if (flag == "--params") params = value;
    else if (flag == "--every") every = value;
    else if (flag == "--threads") threads = static_cast<int>(value);
    else {
      std::fprintf(stderr, "unknown flag %s\n", flag.c_str());
      return 2;
    }
  }
  const std::string path = "/tmp/mada_engine_soak." + std::to_string(::getpid()) + ".bin";
  Run straight(threads, params), reloaded(threads, params);
  std::vector<std::vector<float>> g = straight.x;
  long first_rss = 0, max_rss = 0;
  for (int64_t t = 1; t <= steps; ++t) {
    straight.step(t, g);
    reloaded.step(t, g);
    if (t % every != 0) continue;
    check(mada_engine_save(reloaded.engine, path.c_str()), "mada_engine_save");
    mada_engine_destroy(reloaded.engine);
    reloaded.engine = make(threads, params);
    check(mada_engine_load(reloaded.engine, path.c_str()), "mada_engine_load");
    // The baseline is taken a tenth of the way in (at the fifth reload at least): by then the
    // allocator has reached its high-water mark (it was still growing by 1.3 % between the fifth
    // and the tenth of a 100-reload run), and only a leak grows it further.
    const long rss = resident_kib();
    if (t == std::max<int64_t>(5, steps / every / 10) * every) first_rss = rss;
    if (first_rss != 0) max_rss = std::max(max_rss, rss);
    if (std::getenv("SOAK_VERBOSE") || t % (every * 10) == 0 || t == steps) std::printf("step %lld: resident %ld KiB\n", static_cast<long long>(t), rss);
  }
  std::remove(path.c_str());
  const bool same_params = straight.x == reloaded.x;
  const bool same_state = saved(straight.engine) == saved(reloaded.engine);
  const double growth = first_rss > 0 ? static_cast<double>(max_rss - first_rss) / static_cast<double>(first_rss) : 0.0;
  std::printf("%lld steps of %lld parameters, a save and a load every %lld: parameters %s, saved states %s; "
              "resident %ld KiB a tenth of the way in, at most %ld KiB after it (%+.2f %%)\n",
              static_cast<long long>(steps), static_cast<long long>(params), static_cast<long long>(every),
              same_params ? "identical" : "DIFFER", same_state ? "identical" : "DIFFER", first_rss, max_rss,
              100.0 * growth);
  mada_engine_destroy(straight.engine);
  mada_engine_destroy(reloaded.engine);
  return same_params && same_state && growth <= 0.01 ? 0 : 1;
}
