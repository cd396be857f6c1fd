#!/usr/bin/env bash
# Set-up, build, test and run Mada.Interop on Debian 12 (with the .NET SDK).
#
#   ./build.sh run     set up, build, run the main job (mada demo: MADA vs Adam, CNN, Fashion-MNIST)
#   ./build.sh test    set up, build, run every test (ctest, then dotnet test)
#   ./build.sh build   set up and build only
#   ./build.sh setup   install what is missing (Debian packages), nothing else
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
BUILD=${MADA_BUILD_DIR:-$ROOT/build}
JOBS=${MADA_JOBS:-$(nproc)}

# Debian packages the build, the tests and the main job need. libopenblas0-pthread matters:
# without it Debian's libtorch runs on the reference BLAS, ten times slower. bible-kjv gives
# /usr/bin/bible, the default text corpus; fontconfig and DejaVu let the charts render text.
# patchelf and python3 run tools/torchsharp-debian12, which makes TorchSharp load in the tests.
PACKAGES=(cmake ninja-build g++ libtorch-dev libopenblas0-pthread googletest libgtest-dev
          libbenchmark-dev nlohmann-json3-dev zlib1g-dev dataset-fashion-mnist bible-kjv
          fontconfig fonts-dejavu-core patchelf python3)

setup() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ((${#missing[@]})); then
    echo "== installing: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  command -v dotnet >/dev/null || { echo "error: the .NET SDK (dotnet) is not on PATH" >&2; exit 1; }
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
  fi
}

# The main job: a Fashion-MNIST CNN trained with MADA and with Adam, a table and charts.
run_main() {
  MADA_NATIVE_PATH="$BUILD/native" "$ROOT/src/Mada.Cli/bin/Release/net10.0/mada" demo
}

case "${1:-}" in
  setup) setup ;;
  build) setup; build ;;
  test) setup; build; run_tests ;;
  run) setup; build; run_main ;;
  *) sed -n '2,8p' "$0"; exit 2 ;;
esac
