/* mada.h is C99: this file compiles it as C with -pedantic -Werror and runs one step. */
#include <mada/mada.h>

#include <stdio.h>

int main(void) {
  mada_options options;
  mada_optimizer* optimizer = NULL;
  mada_tensor* param = NULL;
  mada_tensor* grad = NULL;
  const float x[3] = {1.0f, -2.0f, 0.5f};
  const float g[3] = {0.1f, -0.3f, 0.2f};
  const int64_t shape[1] = {3};
  mada_coefficients q;
  if (mada_abi_version() != MADA_ABI_VERSION) return 1;
  if (mada_options_preset(MADA_PRESET_MADA, &options) != MADA_OK) return 2;
  if (mada_optimizer_create(&options, &optimizer) != MADA_OK) return 3;
  if (mada_tensor_create(x, 3, shape, 1, &param) != MADA_OK) return 4;
  if (mada_tensor_create(g, 3, shape, 1, &grad) != MADA_OK) return 5;
  if (mada_optimizer_add_group(optimizer, &param, 1, 1e-2, 0.0) != MADA_OK) return 6;
  if (mada_optimizer_step(optimizer, &grad, 1) != MADA_OK) return 7;
  if (mada_optimizer_coefficients(optimizer, &q) != MADA_OK) return 8;
  printf("C99 client: one step done, beta1 = %g\n", q.beta1);
  mada_tensor_destroy(grad);
  mada_tensor_destroy(param);
  mada_optimizer_destroy(optimizer);
  return 0;
}
