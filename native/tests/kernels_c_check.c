/* mada_kernels.h compiles as strict C99, a C program steps parameters it owns through
 * libmada_kernels, and that process maps no libtorch: the kernel core can join a process
 * whose libtorch is another one (TorchSharp's). */
#include <mada/mada_kernels.h>

#include <stdio.h>
#include <string.h>

static int fail(const char* what) {
  char message[512];
  mada_last_error(message, sizeof message);
  fprintf(stderr, "%s: %s\n", what, message);
  return 1;
}

int main(void) {
  mada_options options;
  mada_engine* engine = NULL;
  float w[3] = {0.0f, 0.0f, 0.0f};
  float g[3];
  const float target[3] = {1.0f, -2.0f, 0.5f};
  const int64_t numel = 3;
  void* params[1];
  const void* grads[1];
  int step, i;
  FILE* maps;
  char line[1024];

  if (mada_kernels_abi_version() != MADA_KERNELS_ABI_VERSION) return fail("ABI version");
  if (mada_options_preset(MADA_PRESET_MADA, &options) != MADA_OK) return fail("preset");
  options.lr = 0.05;
  if (mada_engine_create(&options, &engine) != MADA_OK) return fail("create");
  if (mada_engine_add_group(engine, &numel, 1, MADA_DTYPE_FLOAT32, 0.05, 0.0) != MADA_OK) return fail("add_group");
  params[0] = w;
  grads[0] = g;
  for (step = 0; step < 300; ++step) {
    for (i = 0; i < 3; ++i) g[i] = w[i] - target[i];
    if (mada_engine_step(engine, params, grads, 1) != MADA_OK) return fail("step");
  }
  mada_engine_destroy(engine);
  for (i = 0; i < 3; ++i) {
    if (!(w[i] - target[i] < 0.05f && target[i] - w[i] < 0.05f)) {
      fprintf(stderr, "w[%d] = %g did not reach %g\n", i, w[i], target[i]);
      return 1;
    }
  }
  maps = fopen("/proc/self/maps", "r");
  if (maps == NULL) return 0; /* not Linux: nothing to look at */
  while (fgets(line, sizeof line, maps) != NULL) {
    if (strstr(line, "libtorch") != NULL || strstr(line, "libc10") != NULL) {
      fprintf(stderr, "libmada_kernels brought libtorch into the process: %s", line);
      return 1;
    }
  }
  fclose(maps);
  printf("mada_kernels: C99 client stepped 3 parameters to %g %g %g; no libtorch mapped\n", w[0], w[1], w[2]);
  return 0;
}
