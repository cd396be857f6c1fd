#!/usr/bin/env bash
# Sorts a fuzz target's artifacts by replaying each: "passes" (an OOM or timeout input that runs
# to the end without limits), "libtorch-size" for the known limit (libtorch's archive reader
# asking for an allocation the process cannot have, which ASan aborts on; see
# docs/reliability.md), "FINDING" for anything else. Exits 1 if there is any finding.
#   native/fuzz/triage.sh <fuzz binary> <artifact>...
set -uo pipefail
binary=$1
shift
findings=0
for artifact in "$@"; do
  report=$(ASAN_OPTIONS=detect_leaks=1 timeout 300 "$binary" "$artifact" 2>&1)
  if [ $? -eq 0 ]; then
    echo "passes         $artifact"
  elif grep -q "allocator is out of memory" <<<"$report" && grep -q "libtorch_cpu" <<<"$report"; then
    echo "libtorch-size  $artifact"
  else
    echo "FINDING        $artifact"
    grep -E "ERROR|SUMMARY|runtime error|what\(\)" <<<"$report" | head -3
    findings=1
  fi
done
exit $findings
