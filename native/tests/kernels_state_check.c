/* Saves and loads through mada_kernels.h alone, in C99, for valgrind (./build.sh sanitize):
 * under the compact state with odd element counts, whose bfloat16 rows end in padding, every
 * byte a save writes (and its CRC reads) must be defined, and the same history must save the
 * same bytes. Also a plain ctest: two engines with one history save identical bytes, and a
 * state loaded from a file saves those bytes again. */
#include <mada/mada_kernels.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(const char* what) {
  char message[512];
  mada_last_error(message, sizeof message);
  fprintf(stderr, "%s: %s\n", what, message);
  return 1;
}

enum { kParams = 5 };
static const int64_t kNumels[kParams] = {1, 3, 5, 7, 1001};

/* An engine of the compact state after three steps of a fixed history; NULL on failure. */
static mada_engine* history(mada_mode mode) {
  mada_options options;
  mada_engine* engine = NULL;
  float* x[kParams];
  float* g[kParams];
  void* params[kParams];
  const void* grads[kParams];
  int i, t;
  int64_t j;
  if (mada_options_preset(MADA_PRESET_MADA, &options) != MADA_OK) return NULL;
  options.mode = mode;
  options.compact_state = 1;
  if (mada_engine_create(&options, &engine) != MADA_OK) return NULL;
  if (mada_engine_add_group(engine, kNumels, kParams, MADA_DTYPE_FLOAT32, 0.01, 0.01) != MADA_OK) return NULL;
  for (i = 0; i < kParams; ++i) {
    x[i] = malloc((size_t)kNumels[i] * sizeof(float));
    g[i] = malloc((size_t)kNumels[i] * sizeof(float));
    for (j = 0; j < kNumels[i]; ++j) x[i][j] = (float)sin((double)(j + 7 * i));
    params[i] = x[i];
    grads[i] = g[i];
  }
  for (t = 1; t <= 3; ++t) {
    for (i = 0; i < kParams; ++i)
      for (j = 0; j < kNumels[i]; ++j) g[i][j] = x[i][j] + 0.1f * (float)cos((double)(t * (j + 1)));
    if (mada_engine_step(engine, params, grads, kParams) != MADA_OK) {
      mada_engine_destroy(engine);
      engine = NULL;
      break;
    }
  }
  for (i = 0; i < kParams; ++i) {
    free(x[i]);
    free(g[i]);
  }
  return engine;
}

static unsigned char* saved(const mada_engine* engine, size_t* size) {
  unsigned char* bytes;
  if (mada_engine_save_buffer(engine, NULL, 0, size) != MADA_OK) return NULL;
  bytes = malloc(*size);
  if (bytes != NULL && mada_engine_save_buffer(engine, bytes, *size, size) != MADA_OK) {
    free(bytes);
    return NULL;
  }
  return bytes;
}

int main(void) {
  const char* path = "kernels_state_check.bin";
  int mode, status = 0;
  for (mode = 0; mode <= 1 && status == 0; ++mode) {
    mada_engine* a = history((mada_mode)mode);
    mada_engine* b;
    mada_engine* c;
    unsigned char *sa, *sb, *sc;
    size_t na = 0, nb = 0, nc = 0;
    if (a == NULL) return fail("history");
    /* Dirty the heap with freed blocks of the states' sizes before the second engine. */
    {
      size_t sizes[] = {64, 128, 192, 256, 36096, 36160};
      size_t k;
      int r;
      for (k = 0; k < sizeof sizes / sizeof sizes[0]; ++k)
        for (r = 0; r < 8; ++r) {
          void* p = malloc(sizes[k]);
          if (p != NULL) memset(p, 0xA5, sizes[k]);
          free(p);
        }
    }
    b = history((mada_mode)mode);
    if (b == NULL) return fail("history");
    sa = saved(a, &na);
    sb = saved(b, &nb);
    if (sa == NULL || sb == NULL) return fail("save");
    if (na != nb || memcmp(sa, sb, na) != 0) {
      fprintf(stderr, "two engines with the same history saved different bytes (mode %d)\n", mode);
      status = 1;
    }
    if (mada_engine_save(a, path) != MADA_OK) return fail("save to a file");
    c = history((mada_mode)mode);
    if (c == NULL || mada_engine_load(c, path) != MADA_OK) return fail("load from the file");
    sc = saved(c, &nc);
    if (sc == NULL || nc != na || memcmp(sc, sa, na) != 0) {
      fprintf(stderr, "a state loaded from a file saved other bytes (mode %d)\n", mode);
      status = 1;
    }
    free(sa);
    free(sb);
    free(sc);
    mada_engine_destroy(a);
    mada_engine_destroy(b);
    mada_engine_destroy(c);
  }
  remove(path);
  if (status == 0) printf("mada_kernels: compact states of odd sizes save identical, fully defined bytes\n");
  return status;
}
