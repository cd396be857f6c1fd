#include "communicator.h"
#include "store_address.h"

#include <mada/error.h>

#ifdef MADA_WITH_GLOO
#include <torch/csrc/distributed/c10d/FileStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#endif

#include <chrono>
#include <cstdlib>
#include <exception>

namespace mada::detail {

#ifdef MADA_WITH_GLOO

struct Communicator::Group {
  c10::intrusive_ptr<c10d::Store> store;
  c10::intrusive_ptr<c10d::ProcessGroupGloo> gloo;
};

namespace {

// The network interface Gloo binds to. GLOO_SOCKET_IFNAME chooses it, as in PyTorch; otherwise
// a file store or a loopback host means one machine (loopback), and any other host means this
// machine's address as its hostname resolves.
std::shared_ptr<::gloo::transport::Device> device_for(const StoreAddress& store) {
  if (const char* name = std::getenv("GLOO_SOCKET_IFNAME"); name != nullptr && *name != '\0')
    return c10d::ProcessGroupGloo::createDeviceForInterface(name);
  if (store.local())
    return c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1");
  return c10d::ProcessGroupGloo::createDefaultDevice();
}

std::chrono::milliseconds timeout_of(const DistributedOptions& o) {
  return std::chrono::milliseconds(static_cast<int64_t>(o.timeout_seconds * 1000.0));
}

c10::intrusive_ptr<c10d::Store> make_store(const DistributedOptions& o, const StoreAddress& address) {
  if (address.kind == StoreAddress::Kind::File) {
    auto store = c10::make_intrusive<c10d::FileStore>(address.path, static_cast<int>(o.world_size));
    store->setTimeout(timeout_of(o));
    return store;
  }
  c10d::TCPStoreOptions tcp;
  tcp.port = address.port;
  tcp.isServer = o.rank == 0;
  tcp.numWorkers = static_cast<size_t>(o.world_size);
  tcp.waitWorkers = true;
  tcp.timeout = timeout_of(o);
  return c10::make_intrusive<c10d::TCPStore>(address.host, tcp);
}

std::string failure(int64_t rank, const char* what) {
  return "data-parallel rank " + std::to_string(rank) + " failed to " + what +
         " (a peer rank stopped, hung past the timeout, or cannot be reached): ";
}

// Runs a c10d call; its failure (a peer gone, a timeout, a refused connection) becomes a
// mada::Error naming this rank and what it was doing.
template <typename F>
auto on_rank(int64_t rank, const char* what, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const Error&) {
    throw;
  } catch (const c10::Error& e) {  // its what() carries libtorch's C++ backtrace: not for users
    fail(ErrorKind::Distributed, failure(rank, what) + e.what_without_backtrace());
  } catch (const std::exception& e) {
    fail(ErrorKind::Distributed, failure(rank, what) + e.what());
  }
}

}  // namespace

Communicator::Communicator(const DistributedOptions& options)
    : group_(std::make_unique<Group>()), rank_(options.rank), size_(options.world_size) {
  options.validate();
  on_rank(rank_, ("join the run at " + options.store).c_str(), [&] {
    const StoreAddress address = StoreAddress::parse(options.store);
    group_->store = make_store(options, address);
    auto gloo = c10d::ProcessGroupGloo::Options::create(timeout_of(options));
    gloo->devices.push_back(device_for(address));
    group_->gloo = c10::make_intrusive<c10d::ProcessGroupGloo>(group_->store, static_cast<int>(rank_),
                                                              static_cast<int>(size_), gloo);
  });
}

Communicator::~Communicator() = default;

void Communicator::all_reduce(std::vector<torch::Tensor>& tensors, Reduce op) {
  on_rank(rank_, "all-reduce", [&] {
    c10d::AllreduceOptions o;
    o.reduceOp = op == Reduce::Sum ? c10d::ReduceOp::SUM : c10d::ReduceOp::MAX;
    std::vector<c10::intrusive_ptr<c10d::Work>> works;
    works.reserve(tensors.size());
    for (auto& t : tensors) {
      std::vector<torch::Tensor> one{t};
      works.push_back(group_->gloo->allreduce(one, o));
    }
    for (auto& w : works) w->wait();
  });
}

void Communicator::all_gather(const torch::Tensor& mine, std::vector<torch::Tensor>& parts) {
  on_rank(rank_, "all-gather", [&] {
    std::vector<std::vector<torch::Tensor>> outputs{parts};
    std::vector<torch::Tensor> inputs{mine};
    group_->gloo->allgather(outputs, inputs)->wait();
  });
}

void Communicator::gather(const torch::Tensor& mine, std::vector<torch::Tensor>& parts) {
  on_rank(rank_, "gather", [&] {
    std::vector<std::vector<torch::Tensor>> outputs;  // empty except on the root
    if (rank_ == 0) outputs.push_back(parts);
    std::vector<torch::Tensor> inputs{mine};
    c10d::GatherOptions o;
    o.rootRank = 0;
    group_->gloo->gather(outputs, inputs, o)->wait();
  });
}

void Communicator::broadcast(std::vector<torch::Tensor>& tensors) {
  on_rank(rank_, "broadcast", [&] {
    std::vector<c10::intrusive_ptr<c10d::Work>> works;
    for (auto& t : tensors) {
      // Gloo has no bool: the same bytes go as uint8 (a view, so they land in t).
      std::vector<torch::Tensor> one{t.scalar_type() == torch::kBool ? t.view(torch::kByte) : t};
      works.push_back(group_->gloo->broadcast(one, c10d::BroadcastOptions{}));
    }
    for (auto& w : works) w->wait();
  });
}


#else  // a libtorch without Gloo's headers: every run of several processes is refused

struct Communicator::Group {};

Communicator::Communicator(const DistributedOptions& options) : rank_(options.rank), size_(options.world_size) {
  options.validate();
  fail(ErrorKind::Unsupported, "this build of libmada has no data-parallel training (built without Gloo's headers)");
}
Communicator::~Communicator() = default;
void Communicator::all_reduce(std::vector<torch::Tensor>&, Reduce) {}
void Communicator::all_gather(const torch::Tensor&, std::vector<torch::Tensor>&) {}
void Communicator::gather(const torch::Tensor&, std::vector<torch::Tensor>&) {}
void Communicator::broadcast(std::vector<torch::Tensor>&) {}

#endif

}  // namespace mada::detail
