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

// Runs load(); a libtorch error it throws (a missing, mistyped or damaged entry) becomes Checkpoint.
template <typename Load>
void load_checked(const std::string& what, Load&& load) {
  try {
    load();
  } catch (const Error&) {
    throw;
  } catch (const c10::Error& e) {
    fail(ErrorKind::Checkpoint, what + " is not a valid checkpoint: " + e.what_without_backtrace());
  } catch (const std::bad_alloc&) {
    throw;
  } catch (const std::exception& e) {
    // TorchScript's unpickler reports a damaged entry with its own types (ErrorReport).
    fail(ErrorKind::Checkpoint, what + " is not a valid checkpoint: " + e.what());
  }
}

}  // namespace mada::detail
