#!/usr/bin/env bash
# Test fixture: makes TorchSharp 0.107.0 (libtorch 2.10, built with GCC 13) load on Debian 12,
# whose libstdc++ (GCC 12) stops at GLIBCXX_3.4.30. See README.md for why and how.
#
#   tools/torchsharp-debian12/apply.sh DIR
#
# DIR: a `dotnet build`/`dotnet test` output folder of a project that references TorchSharp.
# Patches the copies of libLibTorchSharp.so in DIR in place (runtimes/linux-x64/native/, where
# `dotnet build` puts it; DIR itself, where a RID-specific build or publish puts it; DIR/cpu/,
# where TorchSharp's own fallback loader copies it), builds DIR/libmada_ios_init_shim.so and
# prints, on stdout and alone, the value to put in LD_PRELOAD for the test process:
#
#   LD_PRELOAD=$(tools/torchsharp-debian12/apply.sh bin/Release/net10.0) dotnet test ...
#
# Idempotent: run it after every build (a rebuild copies the unpatched file back). Never
# touches a NuGet cache or a package. Where the libstdc++ in use already provides
# GLIBCXX_3.4.32 (GCC 13 or newer) it changes nothing and prints an empty line.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
VERSION=GLIBCXX_3.4.32
SYMBOL=_ZSt21ios_base_library_initv
SHIM_NAME=libmada_ios_init_shim.so

die() { echo "apply.sh: error: $*" >&2; exit 1; }
note() { echo "apply.sh: $*" >&2; }

[ $# -eq 1 ] || die "usage: $0 BUILD_OUTPUT_DIR (the folder holding TorchSharp.dll)"
[ -d "$1" ] || die "no such directory: $1"
dir=$(cd "$1" && pwd -P)

# The copies of TorchSharp's native library in this output folder.
libs=()
for candidate in "$dir/runtimes/linux-x64/native/libLibTorchSharp.so" "$dir/libLibTorchSharp.so" \
                 "$dir/cpu/libLibTorchSharp.so"; do
  [ -f "$candidate" ] && libs+=("$candidate")
done
((${#libs[@]})) || die "libLibTorchSharp.so not found in $dir (looked in runtimes/linux-x64/native/, ./ and cpu/);
  build the project first, and reference TorchSharp-cpu or libtorch-cpu-linux-x64 (a backend package)"

# The libstdc++ the dynamic loader will use: ldconfig's, else the compiler's.
libstdcxx=$( (ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null || true) |
             awk '/libstdc\+\+\.so\.6 .*x86-64/ { print $NF; exit }')
if [ -z "$libstdcxx" ] && command -v g++ >/dev/null; then
  libstdcxx=$(g++ -print-file-name=libstdc++.so.6)
fi
[ -n "$libstdcxx" ] && [ -f "$libstdcxx" ] || die "cannot find the system's libstdc++.so.6"
libstdcxx=$(readlink -f "$libstdcxx")
if command -v strings >/dev/null; then
  provides=$(strings "$libstdcxx" | grep -cx "$VERSION" || true)
else
  provides=$(grep -c -a "$VERSION" "$libstdcxx" || true)
fi
if [ "$provides" -gt 0 ]; then
  note "$libstdcxx provides $VERSION (GCC 13 or newer): nothing to do"
  echo ""
  exit 0
fi

# Preconditions for patching.
command -v patchelf >/dev/null || die "patchelf is missing (Debian: apt-get install patchelf; ./build.sh setup installs it)"
command -v readelf >/dev/null || die "readelf is missing (Debian: apt-get install binutils)"
command -v python3 >/dev/null || die "python3 is missing"
command -v g++ >/dev/null || die "g++ is missing (Debian: apt-get install g++)"
nuget=$(readlink -m "${NUGET_PACKAGES:-$HOME/.nuget/packages}")

for lib in "${libs[@]}"; do
  real=$(readlink -f "$lib")
  case "$real" in
    "$nuget"/*) die "$lib resolves into the NuGet cache ($real): refusing to patch a package" ;;
  esac
  if [ "$(stat -c %h "$real")" -gt 1 ] || [ "$real" != "$lib" ]; then
    # A hard link or symbolic link may share its bytes with a package: patch a private copy.
    cp --remove-destination "$real" "$lib.fixture-tmp" && mv -f "$lib.fixture-tmp" "$lib"
  fi
  versions=$(readelf -V -W "$lib")   # captured, not piped into grep -q: pipefail and SIGPIPE
  if ! grep -q "Name: $VERSION " <<<"$versions"; then
    note "$lib needs no $VERSION: left as it is"
    continue
  fi
  before=$(cksum <"$lib")
  # (a) the one symbol that needs GLIBCXX_3.4.32 binds to any definition, unversioned.
  if grep -q "$SYMBOL@$VERSION" <<<"$(readelf --dyn-syms -W "$lib")"; then
    patchelf --clear-symbol-version "$SYMBOL" "$lib"
  fi
  # (b) the version requirement itself becomes weak: a libstdc++ without it no longer fails the load.
  python3 "$here/weaken_version.py" "$lib" "$VERSION" || die "could not mark $VERSION weak in $lib"
  if grep -q "@$VERSION" <<<"$(readelf --dyn-syms -W "$lib")"; then
    die "$lib has symbols other than $SYMBOL that need $VERSION: this fixture covers TorchSharp 0.107.0 only"
  fi
  if [ "$before" = "$(cksum <"$lib")" ]; then note "already patched: $lib"; else note "patched $lib"; fi
done

# (c) the shim that defines std::ios_base_library_init() as a no-op, preloaded into the process.
shim="$dir/$SHIM_NAME"
if [ ! -f "$shim" ] || [ "$here/ios_base_library_init.cpp" -nt "$shim" ]; then
  g++ -shared -fPIC -O2 -o "$shim" "$here/ios_base_library_init.cpp"
fi
echo "$shim"
