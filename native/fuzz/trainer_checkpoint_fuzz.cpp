// mada::Trainer::load on any file: a mada::Error (the trainer unchanged) or a trainer that
// steps again with finite weights. Any other exception, crash, leak or undefined behaviour is a finding.
#include "fuzz_input.h"

#include <mada/data/char_corpus.h>
#include <mada/models/model_factory.h>
#include <mada/training/trainer.h>

#include <fstream>
#include <memory>

namespace {

struct Fixture {
  std::string checkpoint = mada::fuzz::scratch_path("mada_fuzz_trainer.ckpt");
  std::unique_ptr<mada::Trainer> trainer;

  Fixture() {
    const std::string text_path = mada::fuzz::scratch_path("mada_fuzz_corpus.txt");
    std::ofstream text(text_path);
    for (int i = 0; i < 40; ++i) text << "the quick brown fox jumps over the lazy dog. pack my box with five dozen jugs. ";
    text.close();
    auto corpus = std::make_shared<const mada::CharCorpus>(text_path, 8);
    auto model = mada::make_model({mada::ModelKind::Gpt, 8, 1, 2, 1}, *corpus);
    mada::TrainerOptions o;
    o.total_steps = 10;
    o.warmup_steps = 1;
    o.batch_size = 4;
    trainer = std::make_unique<mada::Trainer>(model, corpus, o);
    trainer->step();
    trainer->save(checkpoint);
    std::ifstream in(checkpoint, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    mada::fuzz::write_seed("trainer_checkpoint", mada::fuzz::seed_from_checkpoint(bytes));
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Fixture f;
  std::ofstream(f.checkpoint, std::ios::binary | std::ios::trunc) << mada::fuzz::checkpoint_bytes(data, size);
  try {
    f.trainer->load(f.checkpoint);
    f.trainer->step();
  } catch (const mada::Error&) {
  }
  // Whatever was loaded, the model's weights stay finite.
  for (const auto& p : f.trainer->model().parameters())
    if (!torch::isfinite(p).all().item<bool>()) __builtin_trap();
  return 0;
}
