// mada::Mada's whole state through a tensor store (libtorch archive or libmada's records): the
// one layout of its saved state, used by Mada::save/load, the checkpoint functions and the
// trainer's checkpoints.
#pragma once

#include <mada/optimizer.h>

#include "../io/tensor_store.h"

namespace mada::detail {

struct MadaStateIo {
  static void save(const Mada& optimizer, TensorWriter& out);
  // Reads and checks everything (mada::Error(Checkpoint) naming what does not fit or is not
  // finite) before changing anything.
  static void load(Mada& optimizer, TensorReader& in);
};

}  // namespace mada::detail
