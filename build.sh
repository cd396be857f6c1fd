#!/usr/bin/env bash
# Set-up, build, test and run Mada.Interop on Debian 12 (with the .NET SDK).
#
#   ./build.sh run     set up, build, run the main job (mada demo: MADA vs Adam, CNN, Fashion-MNIST)
#   ./build.sh test    set up, build, run every test (ctest, dotnet test, then the consumers of
#                      the packages and the install prefix: tests/consumers/run.sh)
#   ./build.sh build   set up and build only
#   ./build.sh pack    set up, build, and write the NuGet packages into artifacts/
#   ./build.sh setup   install what is missing (Debian packages), nothing else
#   ./build.sh sanitize  the native tests under AddressSanitizer + UndefinedBehaviorSanitizer,
#                        then the C ABI tests under LeakSanitizer (clang-14, build-sanitize/),
#                        then the saves and loads under valgrind (uninitialised bytes)
#   ./build.sh fuzz [seconds]  runs each libFuzzer target (built in build-sanitize/ too) for
#                        [seconds] (default 60) from the seeds in native/fuzz/corpus/
#   ./build.sh cuda-toolchain  opt-in: nvcc 11.8 from Debian's non-free component (about 3 GB)
#                        and its host compiler g++-11; from then on `build` compiles the CUDA step
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
BUILD=${MADA_BUILD_DIR:-$ROOT/build}
JOBS=${MADA_JOBS:-$(nproc)}

# Debian packages the build, the tests and the main job need. libopenblas0-pthread matters:
# without it Debian's libtorch runs on the reference BLAS, ten times slower. bible-kjv gives
# /usr/bin/bible, the default text corpus; fontconfig and DejaVu let the charts render text.
# patchelf and python3 run tools/torchsharp-debian12, which makes TorchSharp load in the tests.
# libgloo-dev: the headers of c10d's Gloo process group (data-parallel training).
PACKAGES=(cmake ninja-build g++ libtorch-dev libopenblas0-pthread googletest libgtest-dev
          libbenchmark-dev nlohmann-json3-dev zlib1g-dev libgloo-dev dataset-fashion-mnist bible-kjv
          fontconfig fonts-dejavu-core patchelf python3)

# What ./build.sh sanitize and fuzz add: clang-14, its sanitizer and libFuzzer runtimes, and
# its OpenMP (ATen's parallel_for is OpenMP code inlined into our files).
CLANG_PACKAGES=(clang-14 libclang-rt-14-dev libomp-14-dev)

setup() {
  install_missing "${PACKAGES[@]}"
  command -v dotnet >/dev/null || { echo "error: the .NET SDK (dotnet) is not on PATH" >&2; exit 1; }
}

install_missing() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ((${#missing[@]})); then
    echo "== installing: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

build() {
  if [ ! -f "$BUILD/build.ninja" ]; then
    cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release
  fi
  cmake --build "$BUILD" -j "$JOBS"
  if [ -f "$ROOT/Mada.Interop.sln" ]; then
    dotnet build "$ROOT/Mada.Interop.sln" -c Release --nologo -v quiet
  fi
}

run_tests() {
  (cd "$BUILD" && ctest --output-on-failure -j "$JOBS")
  if [ -f "$ROOT/Mada.Interop.sln" ]; then
    MADA_NATIVE_PATH="$BUILD/native" MADA_BUILD_DIR="$BUILD" \
      dotnet test "$ROOT/Mada.Interop.sln" -c Release --no-build --nologo
    run_consumers
  fi
}

# The NuGet packages (Mada, Mada.Native.linux-x64, Mada.TorchSharp, the Mada.Cli tool) into $1
# (default artifacts/). Their native libraries come from a CMake install of the build into $2
# (default $BUILD/install), where libmada finds libmada_kernels beside it and no build path is left.
pack() {
  local out=${1:-$ROOT/artifacts} prefix=${2:-$BUILD/install} libdir
  rm -rf "$prefix"
  cmake --install "$BUILD" --prefix "$prefix" >/dev/null
  libdir=$(sed -n 's/^CMAKE_INSTALL_LIBDIR:PATH=//p' "$BUILD/CMakeCache.txt")
  dotnet pack "$ROOT/Mada.Interop.sln" -c Release --nologo -v quiet -o "$out" -p:MadaNativeDir="$prefix/$libdir"
  echo "== packages in $out"
}

# Packages and an install prefix made afresh in a throwaway folder, then the programs that use
# them as a user would (tests/consumers/run.sh). The folder is kept when a check fails.
run_consumers() {
  local work
  work=$(mktemp -d "${TMPDIR:-/tmp}/mada-consumers.XXXXXX")
  echo "== consumers in $work"
  pack "$work/packages" "$work/prefix"
  "$ROOT/tests/consumers/run.sh" "$work"
  rm -rf "$work"
}

# The main job: a Fashion-MNIST CNN trained with MADA and with Adam, a table and charts.
run_main() {
  MADA_NATIVE_PATH="$BUILD/native" "$ROOT/src/Mada.Cli/bin/Release/net10.0/mada" demo
}

# One clang-14 build serves both: everything instrumented with ASan + UBSan (and for libFuzzer's
# coverage), the tests and the fuzz targets.
SANITIZE_BUILD=${MADA_SANITIZE_BUILD_DIR:-$ROOT/build-sanitize}
clang_build() {
  install_missing "${PACKAGES[@]}" "${CLANG_PACKAGES[@]}"
  if [ ! -f "$SANITIZE_BUILD/build.ninja" ]; then
    cmake -S "$ROOT" -B "$SANITIZE_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 -DMADA_BUILD_BENCHMARKS=OFF \
      -DMADA_SANITIZE=ON -DMADA_FUZZ=ON
  fi
  cmake --build "$SANITIZE_BUILD" -j "$JOBS"
}

# ASan + UBSan over every native test; LeakSanitizer over the C ABI and the kernel core, whose
# promise is that every object a caller destroys is freed (libtorch's own process-lifetime
# allocations are suppressed in native/sanitizers/lsan.supp).
# allocator_may_return_null: the tests ask for terabytes on purpose (out of memory is a status).
sanitize() {
  local dir=$SANITIZE_BUILD
  clang_build
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  (cd "$dir" && ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1 ctest --output-on-failure -j "$JOBS")
  (cd "$dir" && ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
    LSAN_OPTIONS=suppressions="$ROOT/native/sanitizers/lsan.supp" \
    ctest --output-on-failure -j "$JOBS" -R '^(CApi|CHeader|Engine)')
  valgrind_saves
}

# ASan does not see a read of uninitialised memory; valgrind does. Every byte a save writes (and
# a CRC reads) must be defined: the kernel core's saves and loads of compact states of odd
# sizes, in the ordinary build, under memcheck. (Not the libtorch tests: libtorch's libhwy
# executes instructions valgrind does not know.)
valgrind_saves() {
  install_missing valgrind
  build
  echo "== valgrind over the engine's saves and loads"
  (cd "$BUILD" && valgrind --error-exitcode=1 --track-origins=yes --leak-check=full --errors-for-leak-kinds=definite \
    native/mada_kernels_state_check)
}

# Each libFuzzer target for $1 seconds (default 60) on a copy of its checked-in seeds.
fuzz() {
  local seconds=${1:-60} dir=$SANITIZE_BUILD
  clang_build
  for target in optimizer_checkpoint trainer_checkpoint vector_file c_abi_sequence engine_state; do
    local corpus="$dir/corpus/$target"
    mkdir -p "$corpus"
    cp -n "$ROOT/native/fuzz/corpus/$target/"* "$corpus/" 2>/dev/null || true
    echo "== fuzz_$target for ${seconds}s"
    # Every crash, leak, timeout or out-of-memory input stops the run and fails this command
    # (its input is kept in build-sanitize/fuzz/). No checkpoint byte reaches libtorch's archive
    # reader any more, so nothing is known to crash and nothing is ignored.
    ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions="$ROOT/native/sanitizers/lsan.supp" \
      UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      "$dir/fuzz/fuzz_$target" -max_total_time="$seconds" -max_len=131072 -timeout=20 -rss_limit_mb=4096 \
      -print_final_stats=1 -artifact_prefix="$dir/fuzz/$target-" "$corpus"
  done
}

# Opt-in, never part of setup: Debian 12 ships nvcc only in its non-free component. nvcc 11.8
# knows sm_90 but accepts host compilers up to GCC 11, so g++-11 comes with it (CMake passes it
# as -ccbin). A machine without a GPU can then compile and check the CUDA step; only running it
# needs one (tools/gpu-check.sh).
CUDA_SOURCES=/etc/apt/sources.list.d/mada-cuda-non-free.sources
cuda_toolchain() {
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  if [ ! -f "$CUDA_SOURCES" ]; then
    # The same mirror and suites as the system's main sources, with contrib and non-free.
    local uris
    uris=$(sed -n 's/^URIs: //p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)
    $sudo tee "$CUDA_SOURCES" >/dev/null <<EOF2
Types: deb
URIs: ${uris:-http://deb.debian.org/debian}
Suites: bookworm bookworm-updates
Components: contrib non-free
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF2
  fi
  install_missing nvidia-cuda-toolkit g++-11
  nvcc --version | tail -2
  # An existing build directory learns about the compiler on its next configure.
  [ ! -f "$BUILD/CMakeCache.txt" ] || cmake -U CMAKE_CUDA_COMPILER "$BUILD" >/dev/null
}

case "${1:-}" in
  setup) setup ;;
  build) setup; build ;;
  test) setup; build; run_tests ;;
  pack) setup; build; pack ;;
  run) setup; build; run_main ;;
  sanitize) sanitize ;;
  fuzz) fuzz "${2:-60}" ;;
  cuda-toolchain) cuda_toolchain ;;
  *) sed -n '2,16p' "$0"; exit 2 ;;
esac
