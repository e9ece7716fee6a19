#!/usr/bin/env bash
# One run of the recipe study (docs/training.md "Recipe study"): tiny preset, 1,250 updates of
# 64 x 256 bytes (20.5 M tokens) on a GPU with TF32, data = the project's corpora (six
# public-domain texts in CORPORA_DIR, docs/training.md "The default model") with the last 1 % of
# the SOTU file held out as validation, an evaluation (and last/) every 125 updates, over all of it.
# Usage: scripts/recipe-study.sh CORPORA_DIR WORK_DIR OUT [extra train options, e.g. --seed 2 --attention-ramp 0.3]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
[ $# -ge 3 ] || { echo "usage: $0 CORPORA_DIR WORK_DIR OUT [train options]" >&2; exit 2; }
corpora=$1 work=$2 out=$3
shift 3
"$root/scripts/split-corpora.sh" "$corpora" "$work"
exec "$root/bitnet" train --device gpu --precision tf32 --preset tiny --batch 64 --ctx 256 --steps 1250 \
  --eval-every 125 --eval-batches 16 --data "$work/data" --val "$work/val/sotu_tail1.txt" \
  --out "$out" "$@"
