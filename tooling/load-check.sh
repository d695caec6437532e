#!/usr/bin/env bash
# Runs a command (by default the README's `pnpm turbo test`) with two CPU-burning processes
# alongside, the way a busy 2-core machine runs it; stops them however the command ends.
# .ci/run runs the README's test command through it, so no test may need a quiet machine.
#   tooling/load-check.sh                         # pnpm turbo test, beside two burners
#   tooling/load-check.sh pnpm turbo test --force # any command
set -euo pipefail
[ "$#" -gt 0 ] || set -- pnpm turbo test
burners=()
stop() { [ "${#burners[@]}" -eq 0 ] || kill "${burners[@]}" 2>/dev/null || true; }
trap stop EXIT
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
for _ in 1 2; do
  yes >/dev/null &
  burners+=("$!")
done
echo "load-check: running '$*' beside two CPU burners (pids ${burners[*]})"
start=$(date +%s)
status=0
"$@" || status=$?
echo "load-check: '$*' exited $status after $(($(date +%s) - start)) s beside two CPU burners"
exit "$status"
