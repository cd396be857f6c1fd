// libtorch archives to and from files and bytes, with its errors turned into mada::Error:
// a missing file is Io, an unreadable or inconsistent archive is Checkpoint.
#pragma once

#include <mada/error.h>

#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>

#include <string>

namespace mada::detail {

// Atomic: a temporary file renamed over path.
void save_archive(torch::serialize::OutputArchive& archive, const std::string& path);
std::string save_archive_bytes(torch::serialize::OutputArchive& archive);

torch::serialize::InputArchive open_archive(const std::string& path);
torch::serialize::InputArchive open_archive_bytes(const char* data, size_t size);

// An entry that must exist (Checkpoint error naming it otherwise).
torch::Tensor read_entry(torch::serialize::InputArchive& archive, const std::string& key);
// ... and hold exactly numel values of dtype (returned contiguous).
torch::Tensor read_entry(torch::serialize::InputArchive& archive, const std::string& key, torch::ScalarType dtype,
                         int64_t numel);

// Runs load() on archive contents; whatever libtorch throws at them becomes a Checkpoint error
// naming `what`: a c10::Error (a missing or mistyped entry), TorchScript's own ErrorReport (a
// damaged archive), and std::bad_alloc (an archive under a valid envelope can still declare
// records of any size: libFuzzer made one that asks libtorch for 32 GB, while a checkpoint of
// ours never needs more than it holds).
template <typename Load>
void load_checked(const std::string& what, Load&& load) {
  try {
    load();
  } catch (const Error&) {
    throw;
  } catch (const c10::Error& e) {
    fail(ErrorKind::Checkpoint, what + " is not a valid checkpoint: " + e.what_without_backtrace());
  } catch (const std::bad_alloc&) {
    fail(ErrorKind::Checkpoint, what + " is not a valid checkpoint: it asks for more memory than this process can have");
  } catch (const std::exception& e) {
    fail(ErrorKind::Checkpoint, what + " is not a valid checkpoint: " + e.what());
  }
}

}  // namespace mada::detail
