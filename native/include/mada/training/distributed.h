// Data-parallel training: where a process stands among its peers. With world_size 1 (the
// default) nothing is communicated and the trainer is the one-process trainer.
#pragma once

#include <cstdint>
#include <string>

namespace mada {

struct DistributedOptions {
  int64_t rank = 0;
  int64_t world_size = 1;
  // Where the ranks meet: "file:PATH" (a file every rank can reach; it must not exist from an
  // earlier run) or "tcp://HOST:PORT" (rank 0 listens there, the others connect). Gloo binds
  // to loopback for a file store or a loopback host (one machine), else to this host's
  // address; GLOO_SOCKET_IFNAME names the interface instead (a file store on a shared disk).
  std::string store;
  // A collective that waits longer than this fails: a rank that died or hangs stops the others
  // with an error instead of a hang.
  double timeout_seconds = 300;
  // Every this many steps the ranks check that they hold the same coefficients, gradient norm
  // and parameter checksum (0: never; step 1 is always checked).
  int64_t check_every = 100;
  // ZeRO stage 1: each rank keeps and updates only its 1/world_size slice of the optimizer
  // state (48/world_size bytes per parameter instead of 48) and the ranks gather the updated
  // parameters. The MADA family only; checkpoints hold the whole state, as unsharded ones.
  bool shard_state = false;

  bool enabled() const { return world_size > 1; }
  void validate() const;  // mada::Error(InvalidArgument) naming the bad field
};

}  // namespace mada
