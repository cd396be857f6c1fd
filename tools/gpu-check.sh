#!/usr/bin/env bash
# The CUDA step on a GPU: build, check against the CPU step, benchmark, one short table last.
#
# On a GPU machine (an H100 or H200 with nvcc, CMake, ninja and PyTorch 2.x with CUDA; no
# dotnet, no Google Test, no nlohmann-json):
#
#   tools/gpu-check.sh --prepare   # here, on the development machine: copies the Google Test and
#                                  # nlohmann-json sources the GPU machine lacks into .gpu-deps/
#   tools/gpu-check.sh             # there: writes everything under $OUT (default ./gpu-check-out)
#
# With the device tool: run it with carry [".gpu-deps"] and command `tools/gpu-check.sh`.
#
# 1. The kernel core alone (no libtorch) with the CUDA step for sm_90: mada_cuda_tests (the
#    CUDA step against the CPU step at odd sizes, both modes, both state precisions, 1e-6
#    relative; non-finite gradients; identical bits over two runs) and the sm_90 code check.
# 2. mada_cuda_step_benchmark: MADA fused and compact at 10M, 100M and 1B parameters
#    (GPT-2-like tensor lists) against the bytes floor, and PyTorch's fused AdamW on the same
#    lists.
# 3. Unless --no-torch: the whole project against the machine's PyTorch libtorch (2.x, never
#    compiled before this script) and its CPU tests. Best effort: a failure is reported, the
#    table above still stands.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DEPS=$ROOT/.gpu-deps

if [ "${1:-}" = "--prepare" ]; then
  rm -rf "$DEPS" && mkdir -p "$DEPS"
  cp -r /usr/src/googletest "$DEPS/googletest"
  # The same layout as Debian's (share/cmake/nlohmann_json finds include/ three levels up).
  mkdir -p "$DEPS/nlohmann/include" "$DEPS/nlohmann/share/cmake"
  cp -r /usr/include/nlohmann "$DEPS/nlohmann/include/"
  cp -r /usr/share/cmake/nlohmann_json "$DEPS/nlohmann/share/cmake/"
  du -sh "$DEPS"
  exit 0
fi

OUT=${OUT:-$ROOT/gpu-check-out}
mkdir -p "$OUT"
JOBS=$(nproc)
summary=$OUT/summary.md
: >"$summary"
note() { echo "$*" | tee -a "$summary"; }

{
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
  nvcc --version | tail -2
  python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda)'
} >"$OUT/versions.txt" 2>&1
note "## Machine"
note '```'
cat "$OUT/versions.txt" | tee -a "$summary"
note '```'

# 1. Kernel core + CUDA step.
BUILD=$ROOT/build-gpu
cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DMADA_KERNELS_ONLY=ON \
  -DCMAKE_CUDA_ARCHITECTURES=90 -DMADA_GTEST_SOURCE="$DEPS/googletest" >"$OUT/configure-kernels.log" 2>&1 &&
  cmake --build "$BUILD" -j "$JOBS" >"$OUT/build-kernels.log" 2>&1
kernels_built=$?
note "## CUDA step"
if [ $kernels_built -ne 0 ]; then
  note "kernel core configure or build FAILED:"
  tail -30 "$OUT/configure-kernels.log" "$OUT/build-kernels.log" 2>/dev/null | tee -a "$summary"
else
  (cd "$BUILD" && ctest --output-on-failure) >"$OUT/ctest-cuda.log" 2>&1
  note "ctest (CUDA vs CPU, sm_90 code): $(grep -E 'tests passed|tests failed' "$OUT/ctest-cuda.log")"
  "$BUILD/native/mada_cuda_tests" >"$OUT/cuda-tests.log" 2>&1
  note "mada_cuda_tests: $(grep -E '^\[  (PASSED|FAILED|SKIPPED)  \] [0-9]+ test' "$OUT/cuda-tests.log" | tr '\n' ' ')"

  # 2. Benchmarks.
  "$BUILD/bench/mada_cuda_step_benchmark" --shapes "$OUT/shapes.txt" >"$OUT/benchmark.md" 2>"$OUT/benchmark.err"
  python3 - "$OUT/shapes.txt" >"$OUT/adamw.md" 2>"$OUT/adamw.err" <<'PY'
import sys, torch
print("| parameters | fused AdamW ms |\n|---:|---:|")
for line in open(sys.argv[1]):
    sizes = [int(x) for x in line.split()]
    params = [torch.zeros(n, device="cuda", requires_grad=True) for n in sizes]
    for p in params:
        p.grad = torch.randn_like(p)
    opt = torch.optim.AdamW(params, lr=1e-4, weight_decay=0.0, fused=True)
    for _ in range(3):
        opt.step()
    steps = 5 if sum(sizes) >= 500_000_000 else 20
    start, stop = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    start.record()
    for _ in range(steps):
        opt.step()
    stop.record()
    torch.cuda.synchronize()
    print(f"| {sum(sizes)} | {start.elapsed_time(stop) / steps:.3f} |")
    del opt, params
    torch.cuda.empty_cache()
PY
fi

# 3. The whole project against this machine's libtorch.
if [ "${1:-}" != "--no-torch" ]; then
  TORCH_PREFIX=${TORCH_PREFIX:-$(python3 -c "import torch; print(torch.utils.cmake_prefix_path)")}
  TBUILD=$ROOT/build-torch
  cmake -S "$ROOT" -B "$TBUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DMADA_BUILD_BENCHMARKS=OFF \
    -DCMAKE_CUDA_ARCHITECTURES=90 -DMADA_GTEST_SOURCE="$DEPS/googletest" \
    -DCMAKE_PREFIX_PATH="$TORCH_PREFIX;$DEPS/nlohmann" >"$OUT/configure-torch.log" 2>&1 &&
    timeout 420 cmake --build "$TBUILD" -j "$JOBS" -k 0 >"$OUT/build-torch.log" 2>&1
  torch_built=$?
  note "## The project against PyTorch's libtorch"
  if [ $torch_built -ne 0 ]; then
    note "build FAILED or timed out ($torch_built); first errors (build-torch.log):"
    grep -m 15 -E "error" "$OUT/build-torch.log" | tee -a "$summary"
  else
    (cd "$TBUILD" && timeout 300 ctest -j "$JOBS" -E CudaStep) >"$OUT/ctest-torch.log" 2>&1
    note "ctest: $(grep -E 'tests passed|tests failed' "$OUT/ctest-torch.log")"
  fi
fi

# The short table, last.
note "## Step time"
[ -f "$OUT/benchmark.md" ] && cat "$OUT/benchmark.md" "$OUT/benchmark.err" | tee -a "$summary"
[ -f "$OUT/adamw.md" ] && cat "$OUT/adamw.md" | tee -a "$summary"
exit 0
