/*
 * mada.h: the flat C ABI of Mada.Interop (C99).
 *
 * Rules that hold for every function below:
 *  - Every function that can fail returns a mada_status; MADA_OK is 0. On failure nothing the
 *    call was given has changed, and mada_last_error() on the same thread explains why.
 *  - No C++ exception ever leaves a function of this header.
 *  - Handles are opaque. Each *_create has a *_destroy; destroying NULL is a no-op.
 *  - Bulk data moves through caller-owned buffers. A call that fills a buffer of unknown size
 *    accepts a NULL buffer and then only reports the size it needs.
 *  - The generated P/Invoke declarations in bindings/ come from this file: edit this file and
 *    regenerate, never the reverse.
 */
#ifndef MADA_MADA_H
#define MADA_MADA_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#if defined(MADA_BUILDING_LIBRARY)
#define MADA_API __declspec(dllexport)
#else
#define MADA_API __declspec(dllimport)
#endif
#else
#define MADA_API __attribute__((visibility("default")))
#endif

#if defined(__GNUC__) || defined(__clang__)
#define MADA_MUST_USE __attribute__((warn_unused_result))
#else
#define MADA_MUST_USE
#endif

/* Bumped whenever a signature or a struct layout below changes. */
#define MADA_ABI_VERSION 1

typedef enum mada_status {
  MADA_OK = 0,
  MADA_ERROR_INVALID_ARGUMENT = 1, /* bad option, shape, dtype, index or NULL pointer */
  MADA_ERROR_NON_FINITE = 2,       /* a gradient held NaN or Inf (policy MADA_NON_FINITE_ERROR) */
  MADA_ERROR_BUFFER_TOO_SMALL = 3, /* the needed size was written to the size out-parameter */
  MADA_ERROR_CHECKPOINT = 4,       /* corrupt checkpoint, or one of another model or mode */
  MADA_ERROR_IO = 5,               /* a file could not be read or written */
  MADA_ERROR_UNSUPPORTED = 6,      /* valid request this build cannot serve (e.g. CUDA) */
  MADA_ERROR_INTERNAL = 7          /* a bug: please report the message */
} mada_status;

typedef enum mada_mode {
  MADA_MODE_PAPER = 0,    /* the paper's equations, exact hypergradient (default) */
  MADA_MODE_REFERENCE = 1 /* what the authors' code computes, quirks included */
} mada_mode;

typedef enum mada_non_finite_policy {
  MADA_NON_FINITE_ERROR = 0, /* fail the step with MADA_ERROR_NON_FINITE (default) */
  MADA_NON_FINITE_SKIP = 1   /* skip the step silently; mada_optimizer_skipped_steps counts it */
} mada_non_finite_policy;

typedef enum mada_preset {
  MADA_PRESET_MADA = 0,      /* all six coefficients learn, starting from Adam */
  MADA_PRESET_HYPER_ADAM = 1,/* Adam whose beta1 and beta2 learn */
  MADA_PRESET_ADAM = 2,
  MADA_PRESET_ADAMW = 3,     /* Adam with decoupled weight decay 0.01 */
  MADA_PRESET_AVGRAD = 4,
  MADA_PRESET_YOGI = 5,
  MADA_PRESET_ADAN = 6,
  MADA_PRESET_LION = 7
} mada_preset;

/* Bit k of mada_options.learn_mask turns learning of coefficient k on. */
typedef enum mada_coefficient {
  MADA_COEFFICIENT_BETA1 = 0,
  MADA_COEFFICIENT_BETA2 = 1,
  MADA_COEFFICIENT_BETA3 = 2,
  MADA_COEFFICIENT_RHO = 3,
  MADA_COEFFICIENT_C = 4,
  MADA_COEFFICIENT_GAMMA = 5,
  MADA_COEFFICIENT_COUNT = 6
} mada_coefficient;

/* One value per MADA coefficient, in the spec's order. */
typedef struct mada_coefficients {
  double beta1;
  double beta2;
  double beta3;
  double rho;
  double c;
  double gamma;
} mada_coefficients;

/* Every option of mada::MadaOptions. Fill it with mada_options_preset, then change fields. */
typedef struct mada_options {
  double lr;                   /* default learning rate of parameter groups */
  double weight_decay;         /* default decoupled weight decay of parameter groups */
  mada_coefficients q0;        /* initial coefficients (projected into the bounds) */
  mada_coefficients hyper_lr;  /* hyper learning rate per coefficient */
  uint32_t learn_mask;         /* bit k set: coefficient k learns */
  mada_coefficients lower;     /* lower bound per coefficient */
  mada_coefficients upper;     /* upper bound per coefficient */
  double eps;
  double lion_beta1;
  double lion_beta2;
  double hypergrad_clip;       /* per-coefficient clip of the hypergradient */
  double grad_clip;            /* global-norm gradient clip; 0 disables it */
  mada_mode mode;
  mada_non_finite_policy non_finite;
} mada_options;

typedef struct mada_tensor mada_tensor;       /* a float32 CPU tensor */
typedef struct mada_optimizer mada_optimizer; /* a mada::Mada optimizer */

/* Library and errors ---------------------------------------------------------------------- */

/* The MADA_ABI_VERSION the library was built with; compare before any other call. */
MADA_API uint32_t mada_abi_version(void);

/* Copies this thread's last error message into buffer (NUL-terminated, truncated to capacity)
 * and returns its full length without the NUL. buffer may be NULL to query the length. */
MADA_API size_t mada_last_error(char* buffer, size_t capacity);

/* Options --------------------------------------------------------------------------------- */

/* Fills *out with a preset's defaults (the authors' values; lr 1e-3). */
MADA_API MADA_MUST_USE mada_status mada_options_preset(mada_preset preset, mada_options* out);

/* Checks every field; MADA_ERROR_INVALID_ARGUMENT names the first bad one. */
MADA_API MADA_MUST_USE mada_status mada_options_validate(const mada_options* options);

/* Tensors --------------------------------------------------------------------------------- */

/* A new tensor of the given shape holding a copy of data (prod(shape) floats, row-major).
 * ndim may be 0 (a scalar). Free with mada_tensor_destroy. */
MADA_API MADA_MUST_USE mada_status mada_tensor_create(const float* data, const int64_t* shape,
                                                      size_t ndim, mada_tensor** out);
MADA_API void mada_tensor_destroy(mada_tensor* tensor);

/* Number of elements. */
MADA_API MADA_MUST_USE mada_status mada_tensor_numel(const mada_tensor* tensor, size_t* out);

/* Writes the shape into shape[0..capacity) and the dimension count into *ndim. shape may be
 * NULL to query ndim; a capacity below ndim gives MADA_ERROR_BUFFER_TOO_SMALL. */
MADA_API MADA_MUST_USE mada_status mada_tensor_shape(const mada_tensor* tensor, int64_t* shape,
                                                     size_t capacity, size_t* ndim);

/* Copies the values out; count must equal the element count. */
MADA_API MADA_MUST_USE mada_status mada_tensor_read(const mada_tensor* tensor, float* data,
                                                    size_t count);

/* Overwrites the values; count must equal the element count. */
MADA_API MADA_MUST_USE mada_status mada_tensor_write(mada_tensor* tensor, const float* data,
                                                     size_t count);

/* Optimizer ------------------------------------------------------------------------------- */

/* A new optimizer with no parameters; add them with mada_optimizer_add_group. */
MADA_API MADA_MUST_USE mada_status mada_optimizer_create(const mada_options* options,
                                                         mada_optimizer** out);
MADA_API void mada_optimizer_destroy(mada_optimizer* optimizer);

/* Adds a parameter group with its own lr and weight decay. The optimizer keeps its own
 * reference to each tensor: destroying the handles afterwards is allowed. */
MADA_API MADA_MUST_USE mada_status mada_optimizer_add_group(mada_optimizer* optimizer,
                                                            mada_tensor* const* params,
                                                            size_t count, double lr,
                                                            double weight_decay);

MADA_API MADA_MUST_USE mada_status mada_optimizer_group_count(const mada_optimizer* optimizer,
                                                              size_t* out);

/* Total number of parameter tensors over all groups, in the order they were added. */
MADA_API MADA_MUST_USE mada_status mada_optimizer_param_count(const mada_optimizer* optimizer,
                                                              size_t* out);

MADA_API MADA_MUST_USE mada_status mada_optimizer_get_lr(const mada_optimizer* optimizer,
                                                         size_t group, double* out);
MADA_API MADA_MUST_USE mada_status mada_optimizer_set_lr(mada_optimizer* optimizer, size_t group,
                                                         double lr);

/* One update. grads[i] is the gradient of parameter i (order of mada_optimizer_param_count),
 * same shape; a NULL entry means that parameter has no gradient this step. count must equal
 * the parameter count. */
MADA_API MADA_MUST_USE mada_status mada_optimizer_step(mada_optimizer* optimizer,
                                                       mada_tensor* const* grads, size_t count);

/* The coefficients the last update used (before the first: the projected q0). */
MADA_API MADA_MUST_USE mada_status mada_optimizer_coefficients(const mada_optimizer* optimizer,
                                                               mada_coefficients* out);

/* The last hypergradient, before clipping (zeros before the second update). */
MADA_API MADA_MUST_USE mada_status mada_optimizer_hypergradient(const mada_optimizer* optimizer,
                                                                mada_coefficients* out);

/* Updates done so far (t of the last update). */
MADA_API MADA_MUST_USE mada_status mada_optimizer_step_count(const mada_optimizer* optimizer,
                                                             int64_t* out);

/* Steps skipped for non-finite gradients under MADA_NON_FINITE_SKIP. */
MADA_API MADA_MUST_USE mada_status mada_optimizer_skipped_steps(const mada_optimizer* optimizer,
                                                                int64_t* out);

/* Global gradient norm of the last update, before clipping. */
MADA_API MADA_MUST_USE mada_status mada_optimizer_grad_norm(const mada_optimizer* optimizer,
                                                            double* out);

/* Checkpoints: coefficients, step count, all state. Files are written atomically (a temporary
 * file renamed over path). Loading checks everything before changing anything. */
MADA_API MADA_MUST_USE mada_status mada_optimizer_save(const mada_optimizer* optimizer,
                                                       const char* path);
MADA_API MADA_MUST_USE mada_status mada_optimizer_load(mada_optimizer* optimizer,
                                                       const char* path);

/* Serializes into buffer. With buffer NULL only *size is set; with capacity too small *size is
 * set and MADA_ERROR_BUFFER_TOO_SMALL returned. */
MADA_API MADA_MUST_USE mada_status mada_optimizer_save_buffer(const mada_optimizer* optimizer,
                                                              uint8_t* buffer, size_t capacity,
                                                              size_t* size);
MADA_API MADA_MUST_USE mada_status mada_optimizer_load_buffer(mada_optimizer* optimizer,
                                                              const uint8_t* data, size_t size);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* MADA_MADA_H */
