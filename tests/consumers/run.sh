#!/usr/bin/env bash
# Consumers that know Mada only as an installed library, as its users get it (./build.sh test runs
# this after packing):
#   csharp/   a console application that restores Mada from the local package folder and trains;
#   mada      the .NET tool, installed from that folder into a tool path: --version, a short train, a chart;
#   cmake/    a C++ project that finds the installed CMake package and builds examples/train_quadratic.cpp.
# Usage: run.sh WORK, where WORK holds packages/ (./build.sh pack's NuGet packages) and prefix/ (the
# cmake --install those were made from). Everything it writes goes under WORK.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(cd "${1:?usage: run.sh WORK (holding packages/ and prefix/)}" && pwd)
VERSION=$(cat "$ROOT/VERSION")
# What the packages and the prefix bring must be enough: nothing points into the native build.
unset MADA_NATIVE_PATH MADA_BUILD_DIR
# Rerunnable on one WORK: all it wrote before goes, the package caches above all (a cached package
# of the same version would stand in for a new one).
(cd "$WORK" && rm -rf csharp package-cache other-abi tool tool-cache run cmake cmake-build ./*.log)

fail() { printf 'consumer check failed: %s\n' "$*" >&2; exit 1; }
timed() { local start=$SECONDS; "$@"; echo "   ($((SECONDS - start)) s)"; }

csharp() {
  echo "== consumer: C# application restoring Mada $VERSION from the local folder"
  # Its NuGet.config adds ../packages and a throwaway cache ../package-cache.
  cp -r "$ROOT/tests/consumers/csharp" "$WORK/csharp"
  dotnet build "$WORK/csharp" -c Release --nologo -v quiet -p:MadaVersion="$VERSION" >"$WORK/csharp-build.log" 2>&1 ||
    { cat "$WORK/csharp-build.log"; fail "the C# consumer did not build"; }
  local out="$WORK/csharp/bin/Release/net10.0" output
  [ -f "$out/runtimes/linux-x64/native/libmada.so" ] && [ -f "$out/runtimes/linux-x64/native/libmada_kernels.so" ] ||
    fail "the packages brought no runtimes/linux-x64/native/{libmada,libmada_kernels}.so into $out"
  output=$(dotnet "$out/MadaConsumer.dll" 2>&1) || { echo "$output"; fail "the C# consumer's training failed"; }
  echo "   $output"

  # A libmada of another ABI version is refused, naming both versions.
  local fake="$WORK/other-abi"
  mkdir -p "$fake"
  cp "$out/runtimes/linux-x64/native/libmada_kernels.so" "$fake/"
  echo 'unsigned mada_abi_version(void) { return 999999; }' | gcc -shared -fPIC -x c - -o "$fake/libmada.so"
  if output=$(MADA_NATIVE_PATH="$fake" dotnet "$out/MadaConsumer.dll" 2>&1); then
    fail "a libmada of ABI version 999999 was used"
  fi
  grep -q "implements MADA ABI version 999999, but Mada.dll was generated for version" <<<"$output" ||
    { echo "$output"; fail "a libmada of another ABI version failed without saying so"; }
  echo "   a libmada of another ABI version is refused"
}

tool() {
  echo "== consumer: the mada .NET tool from the local folder"
  # A throwaway global packages folder as well, so no cached Mada.Cli of this version can stand in.
  NUGET_PACKAGES="$WORK/tool-cache" dotnet tool install Mada.Cli --version "$VERSION" --tool-path "$WORK/tool" \
    --add-source "$WORK/packages" >"$WORK/tool-install.log" 2>&1 || { cat "$WORK/tool-install.log"; fail "dotnet tool install failed"; }
  local version
  version=$("$WORK/tool/mada" --version) || fail "mada --version failed"
  [[ $version == "$VERSION" || $version == "$VERSION+"* ]] || fail "mada --version printed '$version', not $VERSION"
  echo "   mada --version: $version"
  "$WORK/tool/mada" train --model mlp --steps 30 --eval-every 0 --eval-batches 2 --out "$WORK/run" >"$WORK/train.log" 2>&1 ||
    { cat "$WORK/train.log"; fail "mada train failed"; }
  [ -s "$WORK/run/metrics.csv" ] && [ -s "$WORK/run/metrics.json" ] || fail "mada train wrote no metrics into $WORK/run"
  # metrics.csv: a header, then one row per step (step, loss, ...); the loss must have fallen.
  awk -F, 'NR == 2 { first = $2 } NR > 1 { rows++; last = $2 }
           END { exit !(rows == 30 && last < first) }' "$WORK/run/metrics.csv" ||
    { cat "$WORK/run/metrics.csv"; fail "mada train's metrics.csv has not 30 steps of falling loss"; }
  echo "   $(grep -m 1 'train loss' "$WORK/train.log")"
  # The charts need SkiaSharp's linux-x64 library, the one native asset of its kept in the tool.
  "$WORK/tool/mada" plot "$WORK/run" >"$WORK/plot.log" 2>&1 || { cat "$WORK/plot.log"; fail "mada plot failed"; }
  [ -s "$WORK/run/loss.png" ] || fail "mada plot wrote no $WORK/run/loss.png"
  echo "   mada plot wrote loss.png"
}

cmake_package() {
  echo "== consumer: C++ project with find_package(Mada) from the install prefix"
  # Exactly the public headers are installed: native/include and native/kernels/include.
  diff <(cd "$WORK/prefix/include" && find . -type f | sort) \
       <({ (cd "$ROOT/native/include" && find . -type f); (cd "$ROOT/native/kernels/include" && find . -type f); } | sort) ||
    fail "the installed headers are not exactly native/include and native/kernels/include"
  cp -r "$ROOT/tests/consumers/cmake" "$WORK/cmake"
  cp "$ROOT/examples/train_quadratic.cpp" "$WORK/cmake/"
  { cmake -S "$WORK/cmake" -B "$WORK/cmake-build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_PREFIX_PATH="$WORK/prefix" -DMADA_EXPECTED_VERSION="$VERSION" &&
    cmake --build "$WORK/cmake-build"; } >"$WORK/cmake.log" 2>&1 || { cat "$WORK/cmake.log"; fail "the CMake consumer did not build"; }
  local output
  # Captured first: grep -q would stop reading early, and pipefail would count ldd's SIGPIPE.
  output=$(ldd "$WORK/cmake-build/train_quadratic")
  grep -q "libmada.so => $WORK/prefix/" <<<"$output" || { echo "$output"; fail "train_quadratic does not use the installed libmada.so"; }
  output=$("$WORK/cmake-build/train_quadratic") || { echo "$output"; fail "train_quadratic failed"; }
  # Its table: step, mse, the six coefficients; the mse must fall at least tenfold.
  awk '$1 ~ /^[0-9]+$/ { if (first == "") first = $2; last = $2 }
       END { printf "   mse %s -> %s\n", first, last; exit !(first != "" && last < first / 10) }' <<<"$output" ||
    { echo "$output"; fail "train_quadratic's mse did not fall tenfold"; }
}

timed csharp
timed tool
timed cmake_package
