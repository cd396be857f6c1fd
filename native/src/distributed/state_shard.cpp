#include "state_shard.h"

#include "sharded_mada.h"

#include <mada/error.h>

#include <torch/torch.h>

#include <algorithm>

namespace mada::detail {

namespace {

// The state buffers of one parameter, one row each: the kMomentRows moments m, v, vbar, n, mL,
// gprev (paper mode only), and the six derivative rows. The one layout gather_state and
// scatter_state move the state in; from_rows is its inverse.
constexpr int64_t kMomentRows = 5;

std::vector<torch::Tensor> rows_of(const MadaParamState& s) {
  std::vector<torch::Tensor> rows{s.m, s.v, s.vbar, s.n, s.mL};
  if (s.gprev.defined()) rows.push_back(s.gprev);
  for (int64_t k = 0; k < s.d.size(0); ++k) rows.push_back(s.d[k]);
  return rows;
}

int64_t row_count(Mode mode) {
  return kMomentRows + (mode == Mode::Paper ? 1 : 0) + static_cast<int64_t>(kCoefficientCount);
}

// Rows may be views of a larger buffer: the state gets storage of its own.
std::unique_ptr<MadaParamState> from_rows(const std::vector<torch::Tensor>& rows) {
  auto s = std::make_unique<MadaParamState>();
  size_t row = 0;
  for (torch::Tensor* moment : {&s->m, &s->v, &s->vbar, &s->n, &s->mL}) *moment = rows[row++].clone();
  if (rows.size() == static_cast<size_t>(row_count(Mode::Paper))) s->gprev = rows[row++].clone();
  s->d = torch::stack(std::vector<torch::Tensor>(rows.begin() + static_cast<std::ptrdiff_t>(row), rows.end()));
  return s;
}

// Gloo moves no bfloat16 (the compact state's derivative rows): the same bytes as int16.
torch::Tensor as_movable(const torch::Tensor& t) { return t.scalar_type() == torch::kBFloat16 ? t.view(torch::kShort) : t; }

}  // namespace

StateShard::StateShard(std::vector<torch::Tensor> params, Communicator& ranks) : params_(std::move(params)), ranks_(ranks) {
  int64_t total = 0;
  for (const auto& p : params_) {
    if (p.scalar_type() != torch::kFloat)
      fail(ErrorKind::Unsupported, "the sharded optimizer state takes float32 parameters only");
    offsets_.push_back(total);
    total += p.numel();
  }
  const int64_t world = ranks_.size();
  chunk_ = (total + world - 1) / world;
  const int64_t begin = std::min(total, ranks_.rank() * chunk_), end = std::min(total, begin + chunk_);
  torch::NoGradGuard no_grad;
  for (size_t i = 0; i < params_.size(); ++i) {
    const int64_t lo = std::max(begin, offsets_[i]), hi = std::min(end, offsets_[i] + params_[i].numel());
    if (lo >= hi) continue;
    plan_.push_back({i, lo - offsets_[i], hi - lo});
    slices_.push_back(params_[i].detach().view({-1}).narrow(0, lo - offsets_[i], hi - lo));
  }
}

void StateShard::bind_gradients() {
  for (size_t i = 0; i < plan_.size(); ++i) {
    const torch::Tensor& g = params_[plan_[i].param].grad();
    slices_[i].mutable_grad() = g.defined() ? g.view({-1}).narrow(0, plan_[i].start, plan_[i].length) : torch::Tensor();
  }
}

void StateShard::release_gradients() {
  for (auto& s : slices_) s.mutable_grad() = torch::Tensor();
}

torch::Tensor StateShard::gather(const torch::Tensor& mine, bool to_root) {
  const bool here = !to_root || ranks_.rank() == 0;
  torch::Tensor all = here ? torch::empty({ranks_.size() * chunk_}, mine.options()) : torch::Tensor();
  std::vector<torch::Tensor> parts;
  for (int64_t r = 0; here && r < ranks_.size(); ++r) parts.push_back(all.narrow(0, r * chunk_, chunk_));
  if (to_root) ranks_.gather(mine, parts);
  else ranks_.all_gather(mine, parts);
  return all;
}

void StateShard::gather_parameters() {
  torch::NoGradGuard no_grad;
  auto mine = torch::zeros({chunk_}, torch::kFloat);
  int64_t at = 0;
  for (const auto& s : slices_) {
    mine.narrow(0, at, s.numel()).copy_(s);
    at += s.numel();
  }
  const torch::Tensor all = gather(mine);
  for (size_t i = 0; i < params_.size(); ++i)
    params_[i].detach().view({-1}).copy_(all.narrow(0, offsets_[i], params_[i].numel()));
}

void StateShard::gather_state(const Mada& sharded, Mada* full) {
  torch::NoGradGuard no_grad;
  // Which parameters have state: those whose slices have it, on whichever rank holds them.
  auto has = torch::zeros({static_cast<int64_t>(params_.size())}, torch::kDouble);
  for (size_t i = 0; i < plan_.size(); ++i) {
    if (sharded.state_of(slices_[i]) != nullptr) has[plan_[i].param] = 1.0;
  }
  std::vector<torch::Tensor> flags{has};
  ranks_.all_reduce(flags, Communicator::Reduce::Max);
  if (full != nullptr) ShardedMada::copy_hyper_state(sharded, *full);
  if (has.max().item<double>() == 0.0) return;  // before the first update: no per-element state

  // The state rows as a template: their count and dtypes are the same on every rank (one
  // mode, one precision). A rank without state of its own makes them from the options.
  const Mode mode = sharded.options().step().mode();
  const bool compact = sharded.options().step().compact_state();
  const int64_t rows = row_count(mode);
  std::vector<torch::Tensor> gathered;
  for (int64_t row = 0; row < rows; ++row) {
    const bool derivative = row >= rows - static_cast<int64_t>(kCoefficientCount);
    const auto dtype = derivative && compact ? torch::kBFloat16 : torch::kFloat;
    auto mine = torch::zeros({chunk_}, dtype);
    int64_t at = 0;
    for (size_t i = 0; i < plan_.size(); ++i) {
      if (const MadaParamState* s = sharded.state_of(slices_[i])) mine.narrow(0, at, plan_[i].length).copy_(rows_of(*s)[row]);
      at += plan_[i].length;
    }
    const torch::Tensor all = gather(as_movable(mine), /*to_root=*/true);
    if (full != nullptr) gathered.push_back(all.view(dtype));
  }
  if (full == nullptr) return;
  for (size_t i = 0; i < params_.size(); ++i) {
    if (has[i].item<double>() == 0.0) continue;
    std::vector<torch::Tensor> parts;
    for (const auto& all : gathered) parts.push_back(all.narrow(0, offsets_[i], params_[i].numel()));
    full->state()[state_key(params_[i])] = from_rows(parts);
  }
}

void StateShard::scatter_state(const Mada& full, Mada& sharded) const {
  torch::NoGradGuard no_grad;
  ShardedMada::copy_hyper_state(full, sharded);
  for (size_t i = 0; i < plan_.size(); ++i) {
    const MadaParamState* s = full.state_of(params_[plan_[i].param]);
    if (s == nullptr) continue;
    std::vector<torch::Tensor> parts;
    for (const auto& row : rows_of(*s)) parts.push_back(row.narrow(0, plan_[i].start, plan_[i].length));
    sharded.state()[state_key(slices_[i])] = from_rows(parts);
  }
}

}  // namespace mada::detail
