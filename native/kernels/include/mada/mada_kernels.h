/*
 * mada_kernels.h: the C ABI of libmada_kernels (C99), the MADA step on caller-owned memory.
 *
 * libmada_kernels links nothing but the C++ runtime, so it can be loaded into any process,
 * including one that already holds another libtorch (TorchSharp's). Parameters and gradients
 * stay where the caller keeps them: a step reads and writes them in place through the
 * pointers it is given and copies nothing. The engine allocates and owns the optimizer state
 * (48 bytes per float32 parameter in paper mode), once, when parameters are added.
 *
 * Rules that hold for every function below (and for mada.h, which includes this header):
 *  - Every function that can fail returns a mada_status; MADA_OK is 0. On failure nothing the
 *    call was given has changed, and mada_last_error() on the same thread explains why.
 *  - No C++ exception ever leaves a function of this header.
 *  - Handles are opaque. Each *_create has a *_destroy; destroying NULL is a no-op.
 *  - Bulk data moves through caller-owned buffers. A call that fills a buffer of unknown size
 *    accepts a NULL buffer and then only reports the size it needs.
 *  - Names: mada_<noun>_create[_<source>] makes a handle and mada_<noun>_destroy frees it;
 *    a getter is named by what it reads (mada_engine_lr), a setter mada_<noun>_set_<what>;
 *    "parameter" is always spelled out. Under C++ every function is noexcept.
 *  - The generated P/Invoke declarations in bindings/ come from these headers: edit them and
 *    regenerate, never the reverse.
 */
#ifndef MADA_MADA_KERNELS_H
#define MADA_MADA_KERNELS_H

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

/* Under C++ every function is declared noexcept: none of them lets an exception out. */
#ifdef __cplusplus
#define MADA_NOEXCEPT noexcept
#else
#define MADA_NOEXCEPT
#endif

/* A status is meant to be read. Under GCC a cast to (void) does not silence
 * warn_unused_result; where a status is truly of no interest (a cleanup path, say), write
 *     if (mada_engine_set_threads(engine, 2) != MADA_OK) { }
 * or (void)!mada_engine_set_threads(engine, 2); both compile without a warning everywhere. */
#if defined(__GNUC__) || defined(__clang__)
#define MADA_MUST_USE __attribute__((warn_unused_result))
#else
#define MADA_MUST_USE
#endif

typedef enum mada_status {
  MADA_OK = 0,
  MADA_ERROR_INVALID_ARGUMENT = 1, /* bad option, shape, dtype, index or NULL pointer */
  MADA_ERROR_NON_FINITE = 2,       /* a gradient held NaN or Inf, or an element too large for its
                                      second moment (policy MADA_NON_FINITE_ERROR) */
  MADA_ERROR_BUFFER_TOO_SMALL = 3, /* the needed size was written to the size out-parameter */
  MADA_ERROR_CHECKPOINT = 4,       /* corrupt checkpoint, or one of another model or mode */
  MADA_ERROR_IO = 5,               /* a file could not be read or written */
  MADA_ERROR_UNSUPPORTED = 6,      /* valid request this build cannot serve (e.g. CUDA) */
  MADA_ERROR_INTERNAL = 7,         /* a bug: please report the message */
  MADA_ERROR_DISTRIBUTED = 8,      /* a data-parallel peer stopped, timed out, or disagrees */
  MADA_ERROR_OUT_OF_MEMORY = 9     /* an allocation failed (host or device); nothing changed */
} mada_status;

typedef enum mada_mode {
  MADA_MODE_PAPER = 0,    /* the paper's equations, exact hypergradient (default) */
  MADA_MODE_REFERENCE = 1 /* what the authors' code computes, quirks included */
} mada_mode;

typedef enum mada_non_finite_policy {
  MADA_NON_FINITE_ERROR = 0, /* fail the step with MADA_ERROR_NON_FINITE (default) */
  MADA_NON_FINITE_SKIP = 1   /* skip the step silently; mada_optimizer_skipped_steps counts it.
                                Only gradients are skipped: a bad lr is always an error */
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

/* Bit k of mada_options.learn turns learning of coefficient k on. */
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

/* Every option of mada::MadaOptions, field for field (same names, same order as the C++
   MADA_STEP_OPTION_FIELDS list). Fill it with mada_options_preset, then change fields. */
typedef struct mada_options {
  double lr;                   /* default learning rate of parameter groups */
  double weight_decay;         /* default decoupled weight decay of parameter groups */
  mada_coefficients q0;        /* initial coefficients; each must lie inside [lower, upper] */
  mada_coefficients hyper_lr;  /* hyper learning rate per coefficient */
  uint32_t learn;              /* bit k set: coefficient k learns */
  mada_coefficients lower;     /* lower bound per coefficient */
  mada_coefficients upper;     /* upper bound per coefficient */
  double eps;
  double lion_beta1;
  double lion_beta2;
  double hypergrad_clip;       /* per-coefficient clip of the hypergradient */
  double grad_clip;            /* global-norm gradient clip; 0 disables it */
  mada_mode mode;
  mada_non_finite_policy non_finite;
  int32_t compact_state;       /* nonzero: the six derivative buffers in bfloat16, 36 bytes of
                                  state per float32 parameter instead of 48 */
} mada_options;

/* Bumped whenever a signature or a struct layout below changes. */
#define MADA_KERNELS_ABI_VERSION 4

/* The element type of a parameter group's parameters, gradients and state. */
typedef enum mada_dtype {
  MADA_DTYPE_FLOAT32 = 0,
  MADA_DTYPE_FLOAT64 = 1
} mada_dtype;

typedef struct mada_engine mada_engine; /* the MADA step over borrowed parameter memory */

/* Library and errors ---------------------------------------------------------------------- */

/* The MADA_KERNELS_ABI_VERSION the library was built with; compare before any other call. */
MADA_API uint32_t mada_kernels_abi_version(void) MADA_NOEXCEPT;

/* Copies this thread's last error message into buffer (NUL-terminated, truncated to capacity)
 * and returns its full length without the NUL. buffer may be NULL to query the length. */
MADA_API size_t mada_last_error(char* buffer, size_t capacity) MADA_NOEXCEPT;

/* The CPU kernel variant steps use in this process: "baseline", "avx2" or "avx512", the widest
 * the processor and its OS support, or the one the environment variable MADA_CPU_KERNEL names
 * (an unknown name is MADA_ERROR_INVALID_ARGUMENT, a missing variant MADA_ERROR_UNSUPPORTED,
 * here and at mada_engine_create). Copied as mada_last_error copies: NUL-terminated, truncated
 * to capacity (buffer may be NULL); *length gets the full length without the NUL. */
MADA_API MADA_MUST_USE mada_status mada_cpu_kernel(char* buffer, size_t capacity, size_t* length) MADA_NOEXCEPT;

/* Options --------------------------------------------------------------------------------- */

/* Fills *out with a preset's defaults (the authors' values; lr 1e-3, Lion 1e-4). */
MADA_API MADA_MUST_USE mada_status mada_options_preset(mada_preset preset, mada_options* out) MADA_NOEXCEPT;

/* Checks every field; MADA_ERROR_INVALID_ARGUMENT names the first bad one. */
MADA_API MADA_MUST_USE mada_status mada_options_validate(const mada_options* options) MADA_NOEXCEPT;

/* Engine ---------------------------------------------------------------------------------- */

/* A new engine with no parameters. *out: free with mada_engine_destroy. */
MADA_API MADA_MUST_USE mada_status mada_engine_create(const mada_options* options, mada_engine** out) MADA_NOEXCEPT;
MADA_API void mada_engine_destroy(mada_engine* engine) MADA_NOEXCEPT;

/* Adds a parameter group of `count` >= 1 parameters, parameter i holding numels[i] elements of
 * dtype, with its own lr and weight decay. Allocates their state (all of it, or nothing:
 * MADA_ERROR_OUT_OF_MEMORY). Parameters are numbered over all groups in the order they were
 * added. lr and weight decay are checked here, as by the setters below. */
MADA_API MADA_MUST_USE mada_status mada_engine_add_group(mada_engine* engine, const int64_t* numels,
                                                        size_t count, mada_dtype dtype, double lr,
                                                        double weight_decay) MADA_NOEXCEPT;

MADA_API MADA_MUST_USE mada_status mada_engine_group_count(const mada_engine* engine, size_t* out) MADA_NOEXCEPT;
MADA_API MADA_MUST_USE mada_status mada_engine_parameter_count(const mada_engine* engine, size_t* out) MADA_NOEXCEPT;

/* A group's lr and weight decay. A setter refuses (MADA_ERROR_INVALID_ARGUMENT, naming the value
 * and the limit, nothing changed) what a step could not take: a negative or non-finite value, an
 * lr that could carry a parameter of the group's dtype past its range at these options' bounds
 * and eps, or lr x weight_decay above 2, where the decay would grow the parameters. */
MADA_API MADA_MUST_USE mada_status mada_engine_lr(const mada_engine* engine, size_t group, double* out) MADA_NOEXCEPT;
MADA_API MADA_MUST_USE mada_status mada_engine_set_lr(mada_engine* engine, size_t group, double lr) MADA_NOEXCEPT;
MADA_API MADA_MUST_USE mada_status mada_engine_weight_decay(const mada_engine* engine, size_t group,
                                                           double* out) MADA_NOEXCEPT;
MADA_API MADA_MUST_USE mada_status mada_engine_set_weight_decay(mada_engine* engine, size_t group,
                                                               double weight_decay) MADA_NOEXCEPT;

/* Threads the step may use (0: MADA_NUM_THREADS, else the hardware's). Results do not depend
 * on it: the work is cut into fixed blocks whose partial sums are added in block order. */
MADA_API MADA_MUST_USE mada_status mada_engine_set_threads(mada_engine* engine, int32_t threads) MADA_NOEXCEPT;

/* One update, in place. params[i] and grads[i] point to parameter i's numels[i] contiguous
 * elements of its group's dtype and to its gradient; a NULL gradient means that parameter has
 * none this step. count must equal the parameter count. Parameters must not overlap; a
 * gradient may be exactly its parameter's memory, but must overlap no other parameter, nor its
 * own shifted (MADA_ERROR_INVALID_ARGUMENT). The memory is only used during the call. */
MADA_API MADA_MUST_USE mada_status mada_engine_step(mada_engine* engine, void* const* params,
                                                   const void* const* grads, size_t count) MADA_NOEXCEPT;

/* The coefficients the last update used (before the first: q0). */
MADA_API MADA_MUST_USE mada_status mada_engine_coefficients(const mada_engine* engine,
                                                           mada_coefficients* out) MADA_NOEXCEPT;

/* Replaces the coefficients (projected into the bounds), e.g. to restart from a point. */
MADA_API MADA_MUST_USE mada_status mada_engine_set_coefficients(mada_engine* engine,
                                                               const mada_coefficients* q) MADA_NOEXCEPT;

/* The last hypergradient, before clipping (zeros before the second update). */
MADA_API MADA_MUST_USE mada_status mada_engine_hypergradient(const mada_engine* engine,
                                                            mada_coefficients* out) MADA_NOEXCEPT;

/* Global gradient norm of the last update, before clipping. */
MADA_API MADA_MUST_USE mada_status mada_engine_grad_norm(const mada_engine* engine, double* out) MADA_NOEXCEPT;

/* Updates done so far (t of the last update). */
MADA_API MADA_MUST_USE mada_status mada_engine_step_count(const mada_engine* engine, int64_t* out) MADA_NOEXCEPT;

/* Steps skipped for non-finite gradients under MADA_NON_FINITE_SKIP. */
MADA_API MADA_MUST_USE mada_status mada_engine_skipped_steps(const mada_engine* engine, int64_t* out) MADA_NOEXCEPT;

/* The engine's state (coefficients, counts, group lr and weight decay, every state buffer) as
 * bytes: magic, length and CRC32 around the payload. With buffer NULL only *size is set; with
 * capacity too small *size is set and MADA_ERROR_BUFFER_TOO_SMALL returned. */
MADA_API MADA_MUST_USE mada_status mada_engine_save_buffer(const mada_engine* engine, uint8_t* buffer,
                                                          size_t capacity, size_t* size) MADA_NOEXCEPT;
/* Checks everything against this engine (mode, groups, parameter sizes and dtypes) before it
 * changes anything: MADA_ERROR_CHECKPOINT says what does not match. */
MADA_API MADA_MUST_USE mada_status mada_engine_load_buffer(mada_engine* engine, const uint8_t* data,
                                                          size_t size) MADA_NOEXCEPT;

/* The same bytes in a file, written atomically (a temporary file renamed over path; where path
 * is a symbolic link, over the file it points to, and the link stays). Loading reads a regular
 * file of at most the size this engine's state can have: anything else is MADA_ERROR_IO. */
MADA_API MADA_MUST_USE mada_status mada_engine_save(const mada_engine* engine, const char* path) MADA_NOEXCEPT;
MADA_API MADA_MUST_USE mada_status mada_engine_load(mada_engine* engine, const char* path) MADA_NOEXCEPT;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* MADA_MADA_KERNELS_H */
