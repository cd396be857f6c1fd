#include "tensor_store.h"

#include <cstring>
#include <stdexcept>
#include <sstream>

namespace mada::detail {

namespace {

struct TypePair {
  torch::ScalarType torch;
  kernels::RecordType record;
};

constexpr TypePair kTypes[] = {
    {torch::kFloat, kernels::RecordType::F32},   {torch::kDouble, kernels::RecordType::F64},
    {torch::kHalf, kernels::RecordType::F16},    {torch::kBFloat16, kernels::RecordType::BF16},
    {torch::kLong, kernels::RecordType::I64},    {torch::kInt, kernels::RecordType::I32},
    {torch::kByte, kernels::RecordType::U8},     {torch::kBool, kernels::RecordType::Bool},
};

kernels::RecordType record_type(torch::ScalarType type, const std::string& key) {
  for (const TypePair& p : kTypes)
    if (p.torch == type) return p.record;
  fail(ErrorKind::Unsupported, "tensor '" + key + "' has dtype " + std::string(c10::toString(type)) +
                                   ", which a checkpoint cannot hold");
}

torch::ScalarType scalar_type(kernels::RecordType type) {
  for (const TypePair& p : kTypes)
    if (p.record == type) return p.torch;
  throw std::logic_error("a record type without a tensor dtype");  // the table covers them all
}

}  // namespace

torch::Tensor TensorReader::read(const std::string& key) {
  torch::Tensor t = find(key);
  if (!t.defined()) fail(ErrorKind::Checkpoint, "checkpoint has no entry '" + key + "'");
  return t;
}

torch::Tensor TensorReader::read(const std::string& key, torch::ScalarType dtype, int64_t numel) {
  torch::Tensor t = read(key);
  if (t.scalar_type() != dtype || t.numel() != numel) {
    std::ostringstream s;
    s << "checkpoint entry '" << key << "' holds " << t.numel() << " " << c10::toString(t.scalar_type())
      << " values; the reader needs " << numel << " " << c10::toString(dtype);
    fail(ErrorKind::Checkpoint, s.str());
  }
  return t.contiguous();
}

int64_t TensorReader::read_int(const std::string& key) { return read(key, torch::kLong, 1).item<int64_t>(); }

void ArchiveWriter::write(const std::string& key, const torch::Tensor& t) { archive_.write(key, t); }

torch::Tensor ArchiveReader::find(const std::string& key) {
  torch::Tensor t;
  // A copy: the archive keeps sharing what it read, and a loaded state is stepped in place.
  return archive_.try_read(key, t) ? t.clone() : torch::Tensor();
}

void RecordTensorWriter::write(const std::string& key, const torch::Tensor& t) {
  const torch::Tensor c = t.detach().to(torch::kCPU).contiguous();
  const auto sizes = c.sizes();
  records_.add(prefix_ + key, record_type(c.scalar_type(), key), std::vector<int64_t>(sizes.begin(), sizes.end()),
               c.data_ptr());
}

torch::Tensor RecordTensorReader::find(const std::string& key) {
  const kernels::Record* r = records_.find(prefix_ + key);
  if (r == nullptr) return {};
  torch::Tensor t = torch::empty(r->shape, torch::TensorOptions().dtype(scalar_type(r->type)));
  if (r->bytes != 0) std::memcpy(t.data_ptr(), r->data, r->bytes);
  return t;
}

}  // namespace mada::detail
