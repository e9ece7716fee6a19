#!/usr/bin/env bash
# ./bitnet quickstart: the product end to end on this machine, everything under one run directory.
# It writes a random-weight tiny model, shows what the file holds and generates from it (no
# training, so it takes seconds; docs/training.md and docs/compact.md show train and compact).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUN=${BITNET_RUN_DIR:-$ROOT/runs/quickstart}
mkdir -p "$RUN"
B="$ROOT/bitnet"

echo "== 1/3 a random-weight tiny model (the runtime needs no training to try)"
"$B" random --preset tiny --seed 42 --out "$RUN/tiny-random.bit2"
echo "== 2/3 what the file holds"
"$B" info --model "$RUN/tiny-random.bit2"
echo "== 3/3 generation (random weights: expect noise, and the speed figures on stderr)"
"$B" generate --model "$RUN/tiny-random.bit2" --prompt "It was a dark and stormy night" \
    --max-tokens 64 --seed 1
echo
echo "quickstart: everything is in $RUN"
