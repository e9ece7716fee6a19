#!/usr/bin/env bash
# The trainer's measured runs (docs/training.md): tiny preset, docs/model.md recipe, batch 16 x 256,
# data = the project's corpora (docs/training.md, "The default model": six public-domain
# texts in CORPORA_DIR) with the last 1% of the SOTU file held out as validation.
# Usage: scripts/train-evidence.sh CORPORA_DIR WORK_DIR OUT [extra train options]
# It splits the SOTU file (last 1 % of its bytes, cut at a line, = validation) into WORK_DIR
# (scripts/split-corpora.sh).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
corpora=$1 work=$2 out=$3
shift 3
"$root/scripts/split-corpora.sh" "$corpora" "$work"
exec "$root/bitnet" train --preset tiny --data "$work/data" --val "$work/val/sotu_tail1.txt" \
  --out "$out" --batch 16 --ctx 256 --eval-batches 8 "$@"
