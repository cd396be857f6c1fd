/*
 * mada.h: the flat C ABI of Mada.Interop (C99): tensors, the mada::Mada optimizer, data,
 * models and the trainer, all on libtorch.
 *
 * The rules and names of mada_kernels.h (which this header includes) hold for every function
 * below: a status from every call, nothing changed on failure, no exception across, each
 * out-handle documented with the function that frees it.
 */
#ifndef MADA_MADA_H
#define MADA_MADA_H

#include <mada/mada_kernels.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped whenever a signature or a struct layout below changes. The shared types, the last
 * error and the options functions are mada_kernels.h's (libmada links libmada_kernels). */
#define MADA_ABI_VERSION 10

typedef struct mada_tensor mada_tensor;       /* a float32 CPU tensor */
typedef struct mada_optimizer mada_optimizer; /* a mada::Mada optimizer */
typedef struct mada_dataset mada_dataset;     /* training and evaluation data */
typedef struct mada_model mada_model;         /* a torch::nn model */
typedef struct mada_trainer mada_trainer;     /* model + data + optimizer + schedule */

/* The trainer's optimizers; the first eight are the presets, with the same values. */
typedef enum mada_optimizer_kind {
  MADA_OPTIMIZER_MADA = 0,
  MADA_OPTIMIZER_HYPER_ADAM = 1,
  MADA_OPTIMIZER_ADAM = 2,
  MADA_OPTIMIZER_ADAMW = 3,
  MADA_OPTIMIZER_AVGRAD = 4,
  MADA_OPTIMIZER_YOGI = 5,
  MADA_OPTIMIZER_ADAN = 6,
  MADA_OPTIMIZER_LION = 7,
  MADA_OPTIMIZER_AMSGRAD = 8, /* libtorch's AdamW with amsgrad */
  MADA_OPTIMIZER_SGD = 9      /* libtorch's SGD with momentum 0.9 */
} mada_optimizer_kind;

typedef enum mada_model_kind {
  MADA_MODEL_MLP = 0, /* images: two hidden layers of `width` and `width`/2 */
  MADA_MODEL_CNN = 1, /* images: the 5-layer CNN, first convolution `width` channels */
  MADA_MODEL_GPT = 2  /* text: nanoGPT-style, `layers` x `heads`, embedding `width` */
} mada_model_kind;

typedef struct mada_model_options {
  mada_model_kind kind;
  int64_t width;   /* see mada_model_kind; 0 takes the default */
  int64_t layers;  /* GPT only; 0 takes the default */
  int64_t heads;   /* GPT only; 0 takes the default */
  uint64_t seed;   /* initialisation */
} mada_model_options;

/* Data parallel: this process is rank `rank` of `world_size` processes that train one model
 * together (world_size 1: alone). Each rank trains on its own batch_size rows of a global batch
 * of world_size * batch_size rows, and the gradients are averaged before every step, so every
 * rank takes the same step. A rank that stops, hangs past timeout_seconds or disagrees makes
 * the others fail with MADA_ERROR_DISTRIBUTED instead of hanging. */
typedef struct mada_distributed_options {
  int64_t rank;
  int64_t world_size;
  /* Where the ranks meet: "file:PATH" (a file all can reach, absent at the start) or
   * "tcp://HOST:PORT" (rank 0 listens). Read during mada_trainer_create only; NULL when
   * world_size is 1. */
  const char* store;
  double timeout_seconds; /* default 300 */
  int64_t check_every;    /* steps between checks that the ranks agree; 0: never; default 100 */
  /* Nonzero: each rank keeps and updates only its 1/world_size slice of the optimizer state
   * (ZeRO stage 1); the MADA family only. Checkpoints still hold the whole state. */
  int32_t shard_state;
} mada_distributed_options;

typedef struct mada_trainer_options {
  mada_optimizer_kind optimizer;
  double lr;            /* peak of the cosine schedule */
  double min_lr_ratio;  /* the schedule ends at lr * min_lr_ratio */
  double weight_decay;  /* on parameters of dim >= 2 only */
  double grad_clip;     /* global norm; 0 disables it */
  int64_t warmup_steps;
  int64_t total_steps;
  int64_t batch_size;
  int64_t grad_accumulation;
  uint64_t seed;        /* batches of step s depend on (seed, s) only */
  int32_t has_q0;       /* nonzero: start the MADA family from q0 instead of the preset's */
  mada_coefficients q0;
  mada_mode mode;
  mada_distributed_options distributed;
} mada_trainer_options;

typedef struct mada_step_metrics {
  int64_t step;
  double loss;
  double lr;
  double grad_norm;         /* before clipping */
  int32_t has_coefficients; /* nonzero for the MADA family */
  mada_coefficients coefficients;
  mada_coefficients hypergradient;
} mada_step_metrics;

typedef struct mada_eval_metrics {
  double loss;
  double accuracy;
  int64_t examples;
} mada_eval_metrics;

typedef struct mada_dataset_info {
  int32_t is_text;     /* 0: images, 1: text */
  int64_t classes;     /* classes, or vocabulary size */
  int64_t train_size;  /* images, or characters */
  int64_t eval_size;   /* images, or evaluation windows */
  int64_t context;     /* text: characters per window; images: 0 */
} mada_dataset_info;

/* Library ----------------------------------------------------------------------------------- */

/* The MADA_ABI_VERSION the library was built with; compare before any other call. */
MADA_API uint32_t mada_abi_version(void) MADA_NOEXCEPT;

/* Tensors --------------------------------------------------------------------------------- */

/* A new tensor of the given shape holding a copy of data (count floats, row-major; count must
 * equal prod(shape)). ndim may be 0 (a scalar). Free with mada_tensor_destroy. */
MADA_API MADA_MUST_USE mada_status mada_tensor_create(const float* data, size_t count,
                                                      const int64_t* shape, size_t ndim,
                                                      mada_tensor** out) MADA_NOEXCEPT;
MADA_API void mada_tensor_destroy(mada_tensor* tensor) MADA_NOEXCEPT;

/* Number of elements. */
MADA_API MADA_MUST_USE mada_status mada_tensor_numel(const mada_tensor* tensor, size_t* out) MADA_NOEXCEPT;

/* Writes the shape into shape[0..capacity) and the dimension count into *ndim. shape may be
 * NULL to query ndim; a capacity below ndim gives MADA_ERROR_BUFFER_TOO_SMALL. */
MADA_API MADA_MUST_USE mada_status mada_tensor_shape(const mada_tensor* tensor, int64_t* shape,
                                                     size_t capacity, size_t* ndim) MADA_NOEXCEPT;

/* Copies the values out; count must equal the element count. */
MADA_API MADA_MUST_USE mada_status mada_tensor_read(const mada_tensor* tensor, float* data,
                                                    size_t count) MADA_NOEXCEPT;

/* Overwrites the values; count must equal the element count. */
MADA_API MADA_MUST_USE mada_status mada_tensor_write(mada_tensor* tensor, const float* data,
                                                     size_t count) MADA_NOEXCEPT;

/* Optimizer ------------------------------------------------------------------------------- */

/* A new optimizer with no parameters; add them with mada_optimizer_add_group.
 * *out: free with mada_optimizer_destroy. */
MADA_API MADA_MUST_USE mada_status mada_optimizer_create(const mada_options* options,
                                                         mada_optimizer** out) MADA_NOEXCEPT;
MADA_API void mada_optimizer_destroy(mada_optimizer* optimizer) MADA_NOEXCEPT;

/* Adds a parameter group with its own lr and weight decay. The optimizer keeps its own
 * reference to each tensor: destroying the handles afterwards is allowed. */
MADA_API MADA_MUST_USE mada_status mada_optimizer_add_group(mada_optimizer* optimizer,
                                                            mada_tensor* const* params,
                                                            size_t count, double lr,
                                                            double weight_decay) MADA_NOEXCEPT;

MADA_API MADA_MUST_USE mada_status mada_optimizer_group_count(const mada_optimizer* optimizer,
                                                              size_t* out) MADA_NOEXCEPT;

/* Total number of parameter tensors over all groups, in the order they were added. */
MADA_API MADA_MUST_USE mada_status mada_optimizer_parameter_count(const mada_optimizer* optimizer,
                                                              size_t* out) MADA_NOEXCEPT;

/* The setters (and mada_optimizer_add_group) refuse what the step could not take, as the
 * engine's do (mada_kernels.h): the limits are those of the group's parameters' dtype. */
MADA_API MADA_MUST_USE mada_status mada_optimizer_lr(const mada_optimizer* optimizer,
                                                         size_t group, double* out) MADA_NOEXCEPT;
MADA_API MADA_MUST_USE mada_status mada_optimizer_set_lr(mada_optimizer* optimizer, size_t group,
                                                         double lr) MADA_NOEXCEPT;
MADA_API MADA_MUST_USE mada_status mada_optimizer_weight_decay(const mada_optimizer* optimizer,
                                                               size_t group, double* out) MADA_NOEXCEPT;
MADA_API MADA_MUST_USE mada_status mada_optimizer_set_weight_decay(mada_optimizer* optimizer,
                                                                   size_t group,
                                                                   double weight_decay) MADA_NOEXCEPT;

/* One update. grads[i] is the gradient of parameter i (order of mada_optimizer_parameter_count),
 * same shape; a NULL entry means that parameter has no gradient this step. count must equal
 * the parameter count. */
MADA_API MADA_MUST_USE mada_status mada_optimizer_step(mada_optimizer* optimizer,
                                                       mada_tensor* const* grads, size_t count) MADA_NOEXCEPT;

/* The coefficients the last update used (before the first: q0). */
MADA_API MADA_MUST_USE mada_status mada_optimizer_coefficients(const mada_optimizer* optimizer,
                                                               mada_coefficients* out) MADA_NOEXCEPT;

/* The last hypergradient, before clipping (zeros before the second update). */
MADA_API MADA_MUST_USE mada_status mada_optimizer_hypergradient(const mada_optimizer* optimizer,
                                                                mada_coefficients* out) MADA_NOEXCEPT;

/* Updates done so far (t of the last update). */
MADA_API MADA_MUST_USE mada_status mada_optimizer_step_count(const mada_optimizer* optimizer,
                                                             int64_t* out) MADA_NOEXCEPT;

/* Steps skipped for non-finite gradients under MADA_NON_FINITE_SKIP. */
MADA_API MADA_MUST_USE mada_status mada_optimizer_skipped_steps(const mada_optimizer* optimizer,
                                                                int64_t* out) MADA_NOEXCEPT;

/* Global gradient norm of the last update, before clipping. */
MADA_API MADA_MUST_USE mada_status mada_optimizer_grad_norm(const mada_optimizer* optimizer,
                                                            double* out) MADA_NOEXCEPT;

/* Checkpoints: coefficients, step count, all state. Files are written atomically (a temporary
 * file renamed over path, or over the file a symbolic link at path points to). Loading reads
 * only a regular file no larger than this optimizer's checkpoint can be (else MADA_ERROR_IO),
 * and checks everything before changing anything. */
MADA_API MADA_MUST_USE mada_status mada_optimizer_save(const mada_optimizer* optimizer,
                                                       const char* path) MADA_NOEXCEPT;
MADA_API MADA_MUST_USE mada_status mada_optimizer_load(mada_optimizer* optimizer,
                                                       const char* path) MADA_NOEXCEPT;

/* Serializes into buffer. With buffer NULL only *size is set; with capacity too small *size is
 * set and MADA_ERROR_BUFFER_TOO_SMALL returned. */
MADA_API MADA_MUST_USE mada_status mada_optimizer_save_buffer(const mada_optimizer* optimizer,
                                                              uint8_t* buffer, size_t capacity,
                                                              size_t* size) MADA_NOEXCEPT;
MADA_API MADA_MUST_USE mada_status mada_optimizer_load_buffer(mada_optimizer* optimizer,
                                                              const uint8_t* data, size_t size) MADA_NOEXCEPT;

/* Data ------------------------------------------------------------------------------------ */

/* Fashion-MNIST from the IDX files (.gz or plain) in directory; NULL takes Debian's
 * /usr/share/datasets/fashion-mnist. train_limit > 0 keeps the first train_limit images.
 * *out: free with mada_dataset_destroy. */
MADA_API MADA_MUST_USE mada_status mada_dataset_create_fashion_mnist(const char* directory, int64_t train_limit,
                                                             mada_dataset** out) MADA_NOEXCEPT;

/* A character corpus from a UTF-8 text file, cut into windows of `context` characters; the
 * last validation_fraction of the file is held out. *out: free with mada_dataset_destroy. */
MADA_API MADA_MUST_USE mada_status mada_dataset_create_text(const char* path, int64_t context,
                                                    double validation_fraction, mada_dataset** out) MADA_NOEXCEPT;
MADA_API void mada_dataset_destroy(mada_dataset* dataset) MADA_NOEXCEPT;
MADA_API MADA_MUST_USE mada_status mada_dataset_describe(const mada_dataset* dataset, mada_dataset_info* out) MADA_NOEXCEPT;

/* Models ---------------------------------------------------------------------------------- */

/* A model shaped for dataset (its classes or vocabulary, and context).
 * *out: free with mada_model_destroy. */
MADA_API MADA_MUST_USE mada_status mada_model_create(const mada_model_options* options,
                                                    const mada_dataset* dataset, mada_model** out) MADA_NOEXCEPT;
MADA_API void mada_model_destroy(mada_model* model) MADA_NOEXCEPT;
MADA_API MADA_MUST_USE mada_status mada_model_parameter_count(const mada_model* model, int64_t* out) MADA_NOEXCEPT;

/* Training -------------------------------------------------------------------------------- */

/* Fills *out with the defaults (MADA, lr 1e-3, batch 64, 1000 steps, one process). */
MADA_API MADA_MUST_USE mada_status mada_trainer_options_default(mada_trainer_options* out) MADA_NOEXCEPT;

/* The trainer keeps model and dataset alive: their handles may be destroyed afterwards.
 * *out: free with mada_trainer_destroy. */
MADA_API MADA_MUST_USE mada_status mada_trainer_create(mada_model* model, const mada_dataset* dataset,
                                                      const mada_trainer_options* options,
                                                      mada_trainer** out) MADA_NOEXCEPT;
MADA_API void mada_trainer_destroy(mada_trainer* trainer) MADA_NOEXCEPT;

/* One optimizer step: forward, backward, clip and update over grad_accumulation batches. */
MADA_API MADA_MUST_USE mada_status mada_trainer_step(mada_trainer* trainer, mada_step_metrics* out) MADA_NOEXCEPT;

/* Optimizer steps done so far (after a load: the checkpoint's). */
MADA_API MADA_MUST_USE mada_status mada_trainer_step_count(const mada_trainer* trainer, int64_t* out) MADA_NOEXCEPT;

/* The coefficients of the trainer's MADA-family optimizer now (before its first step: its start;
 * after a load: the checkpoint's), and its last hypergradient. MADA_ERROR_INVALID_ARGUMENT for
 * libtorch's own optimizers (amsgrad, sgd), which have none. */
MADA_API MADA_MUST_USE mada_status mada_trainer_coefficients(const mada_trainer* trainer,
                                                             mada_coefficients* out) MADA_NOEXCEPT;
MADA_API MADA_MUST_USE mada_status mada_trainer_hypergradient(const mada_trainer* trainer,
                                                              mada_coefficients* out) MADA_NOEXCEPT;

/* Loss and accuracy over the first max_batches evaluation batches (0: all). */
MADA_API MADA_MUST_USE mada_status mada_trainer_evaluate(mada_trainer* trainer, int64_t max_batches,
                                                        mada_eval_metrics* out) MADA_NOEXCEPT;

/* Model, optimizer and step count; written atomically; load checks before it changes. Data
 * parallel, every rank calls them: rank 0 writes, all read, each returns when all succeeded.
 * Any world size resumes from a checkpoint. */
MADA_API MADA_MUST_USE mada_status mada_trainer_save(const mada_trainer* trainer, const char* path) MADA_NOEXCEPT;
MADA_API MADA_MUST_USE mada_status mada_trainer_load(mada_trainer* trainer, const char* path) MADA_NOEXCEPT;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* MADA_MADA_H */
