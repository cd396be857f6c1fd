#!/usr/bin/env bash
# Runs every benchmark behind docs/benchmarks.md, then says where the results are.
#
#   tools/run-benchmarks.sh            full runs (a quiet machine; tens of minutes)
#   tools/run-benchmarks.sh --quick    short runs, ~1M parameters only: checks that all of it
#                                      works; the numbers are indicative at best
#   options: --skip-native --skip-dotnet --skip-torchsharp
#
# 1. Native (Google Benchmark): build/bench/mada_step_benchmark -> native/step.json, and
#    tools/bench_table.py's tables -> native/table.md.
# 2. The C# façade (bench/Mada.Benchmarks, Release): the managed bytes per step, counted exactly
#    -> dotnet/allocations.txt; then BenchmarkDotNet: the per-call overhead and the step at ~1M
#    and ~10M parameters -> dotnet/results/ (GitHub markdown, JSON, CSV, HTML).
# 3. One step from C# with TorchSharp (bench/TorchSharpStep, its own process, not in the
#    solution): TorchSharp's AdamW and Adam against MADA through Mada.TorchSharp ->
#    torchsharp/torchsharp-step.md and .json. On Debian 12 it runs with the preload of
#    tools/torchsharp-debian12 (its build applies the rest of that fixture); if TorchSharp still
#    does not load -> torchsharp/torchsharp-probe.txt with the loader's message.
#
# Needs the native build first (./build.sh build). Results go to $MADA_BENCH_OUT, by default
# build/benchmarks/.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD=${MADA_BUILD_DIR:-$ROOT/build}
OUT=${MADA_BENCH_OUT:-$BUILD/benchmarks}

quick=0 native=1 dotnet=1 torchsharp=1
for arg in "$@"; do
  case "$arg" in
    --quick) quick=1 ;;
    --skip-native) native=0 ;;
    --skip-dotnet) dotnet=0 ;;
    --skip-torchsharp) torchsharp=0 ;;
    *) sed -n '2,8p' "$0"; exit 2 ;;
  esac
done

BENCH_BIN=$BUILD/bench/mada_step_benchmark
if [ ! -x "$BENCH_BIN" ] || [ ! -f "$BUILD/native/libmada.so" ]; then
  echo "error: no native build in $BUILD (run ./build.sh build first)" >&2
  exit 1
fi
export MADA_NATIVE_PATH=${MADA_NATIVE_PATH:-$BUILD/native}
mkdir -p "$OUT"
summary=()

# 1. Native -----------------------------------------------------------------------------------
if ((native)); then
  echo "== native: $BENCH_BIN"
  mkdir -p "$OUT/native"
  filter=()
  ((quick)) && filter=(--benchmark_filter='/elements:1000000/')
  if ! "$BENCH_BIN" --benchmark_list_tests | grep -q '^BM_TorchSharpAdamChain/'; then
    echo "warning: $BENCH_BIN has no BM_TorchSharpAdamChain: bench/native/adam_chain_benchmark.cpp" \
         "is not in the mada_step_benchmark target (bench/native/CMakeLists.txt), or the build is older" >&2
  fi
  "$BENCH_BIN" "${filter[@]}" --benchmark_out="$OUT/native/step.json" --benchmark_out_format=json \
    | tee "$OUT/native/step.txt"
  python3 tools/bench_table.py "$OUT/native/step.json" > "$OUT/native/table.md"
  cat "$OUT/native/table.md"
  summary+=("native:     $OUT/native/table.md (tables), step.json (Google Benchmark JSON), step.txt (console)")
fi

# 2. The C# façade (BenchmarkDotNet) ------------------------------------------------------------
if ((dotnet)); then
  echo "== managed: bench/Mada.Benchmarks (BenchmarkDotNet)"
  job=()
  ((quick)) && job=(--job short)
  mkdir -p "$OUT/dotnet"
  # The exact count of managed bytes per step on the calling thread (BenchmarkDotNet's Allocated
  # column counts the whole process); exits 1 if the façade allocates.
  sizes=1000000,10000000
  ((quick)) && sizes=1000000
  dotnet run -c Release --project bench/Mada.Benchmarks -- --allocations --sizes "$sizes" \
    | tee "$OUT/dotnet/allocations.txt"
  # BenchmarkDotNet builds and runs each case in a process of its own, in Release.
  dotnet run -c Release --project bench/Mada.Benchmarks -- \
    --filter '*' "${job[@]}" --exporters GitHub JSON CSV HTML --artifacts "$OUT/dotnet"
  summary+=("managed:    $OUT/dotnet/results/ (*-report-github.md, *-report-full.json, .csv, .html), allocations.txt")
fi

# 3. TorchSharp: its AdamW and Adam, and MADA through Mada.TorchSharp --------------------------------
if ((torchsharp)); then
  echo "== TorchSharp: bench/TorchSharpStep (its own process; restores libtorch-cpu-linux-x64, ~0.6 GB)"
  mkdir -p "$OUT/torchsharp"
  sizes=1000000,10000000
  ((quick)) && sizes=1000000
  dotnet build -c Release --nologo -v quiet bench/TorchSharpStep
  step_dir=bench/TorchSharpStep/bin/Release/net10.0
  shim=$(tools/torchsharp-debian12/apply.sh "$step_dir")
  set +e
  LD_PRELOAD=$shim MADA_NATIVE_PATH="$BUILD/native" dotnet "$step_dir/TorchSharpStep.dll" \
    --out "$OUT/torchsharp" --sizes "$sizes" --threads 1,2
  rc=$?
  set -e
  if [ "$rc" -eq 0 ]; then
    summary+=("TorchSharp: $OUT/torchsharp/torchsharp-step.md (and .json)")
  elif [ "$rc" -eq 3 ]; then
    summary+=("TorchSharp: did not load: $OUT/torchsharp/torchsharp-probe.txt")
  else
    echo "error: bench/TorchSharpStep failed with exit code $rc" >&2
    exit "$rc"
  fi
fi

echo
echo "== results$( ((quick)) && echo ' (--quick: indicative only)')"
for line in "${summary[@]}"; do echo "  $line"; done
