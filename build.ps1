# Set-up, build, test and run Mada.Interop (PowerShell; Linux with pwsh, or Windows with a
# libtorch whose CMake package is on CMAKE_PREFIX_PATH).
#
#   ./build.ps1 run | test | build
param([Parameter(Position = 0)][ValidateSet('run', 'test', 'build')][string]$Command = 'build')
$ErrorActionPreference = 'Stop'
$Root = $PSScriptRoot

if ($IsLinux) {
  # Debian: the shell script owns the package list; one source of truth.
  & bash "$Root/build.sh" $Command
  exit $LASTEXITCODE
}

$Build = if ($env:MADA_BUILD_DIR) { $env:MADA_BUILD_DIR } else { Join-Path $Root 'build' }
cmake -S $Root -B $Build -DCMAKE_BUILD_TYPE=Release
if ($LASTEXITCODE) { exit $LASTEXITCODE }
cmake --build $Build --config Release --parallel
if ($LASTEXITCODE) { exit $LASTEXITCODE }
dotnet build (Join-Path $Root 'Mada.Interop.sln') -c Release --nologo
if ($LASTEXITCODE) { exit $LASTEXITCODE }

switch ($Command) {
  'test' {
    Push-Location $Build; ctest -C Release --output-on-failure; $rc = $LASTEXITCODE; Pop-Location
    if ($rc) { exit $rc }
    $env:MADA_NATIVE_PATH = Join-Path $Build 'native'
    dotnet test (Join-Path $Root 'Mada.Interop.sln') -c Release --no-build --nologo
    exit $LASTEXITCODE
  }
  'run' {
    dotnet run --project (Join-Path $Root 'src/Mada.Cli') -c Release --no-build -- demo
    exit $LASTEXITCODE
  }
}
