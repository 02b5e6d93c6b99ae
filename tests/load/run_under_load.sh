#!/bin/sh
# The whole suite, RUNS times in a row, while HOGS other processes keep a core busy each.
# It stops at the first failing run. Usage (from the repository): make test-under-load
#   RUNS=5 HOGS=1 tests/load/run_under_load.sh
set -u
runs=${RUNS:-5}
hogs=${HOGS:-1}
python=${PYTHON:-.venv/bin/python}
log=${LOG:-build/under-load}
mkdir -p "$log"

# stress-ng when it is installed; otherwise a busy Python loop does the same to a core
if command -v stress-ng >/dev/null 2>&1; then
  stress-ng --cpu "$hogs" --timeout 0 --quiet & hog_group=$!
  hog_pids=$hog_group
else
  hog_pids=""
  i=0
  while [ "$i" -lt "$hogs" ]; do
    python3 -c 'while True: pass' & hog_pids="$hog_pids $!"
    i=$((i + 1))
  done
fi
trap 'kill $hog_pids 2>/dev/null' EXIT INT TERM

run=1
status=0
while [ "$run" -le "$runs" ]; do
  started=$(date +%s)
  "$python" -m pytest -q -p no:cacheprovider >"$log/run-$run.txt" 2>&1
  status=$?
  summary=$(tail -n 1 "$log/run-$run.txt")
  echo "run $run of $runs under $hogs busy process(es), load $(cut -d' ' -f1-3 /proc/loadavg): exit $status in $(( $(date +%s) - started )) s: $summary"
  [ "$status" -eq 0 ] || break
  run=$((run + 1))
done
exit "$status"
