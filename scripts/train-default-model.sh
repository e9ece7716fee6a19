#!/usr/bin/env bash
# Reproduces models/default.bit2 (models/README.md, docs/training.md "The default model"):
# one run of the recipe study with the default recipe and seed 2, widened by
# models/default-model.json (d_model 512, 6 layers, 8 heads, d_ff 1536 over the tiny preset;
# 1,250 updates of 64 x 256 bytes on a GPU with TF32, a few minutes on an H100), then the export
# with the parity check. Usage: scripts/train-default-model.sh CORPORA_DIR WORK_DIR
# Ctrl-C leaves a checkpoint; run it again with the same arguments to continue.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
[ $# -eq 2 ] || { echo "usage: $0 CORPORA_DIR WORK_DIR" >&2; exit 2; }
corpora=$1 work=$2
run=$work/run
if [ -d "$run/last" ]; then
    # A resumed run takes its shape and schedule from the checkpoint.
    "$root/bitnet" train --device gpu --data "$work/data" --val "$work/val/sotu_tail1.txt" --out "$run" --resume
else
    "$root/scripts/recipe-study.sh" "$corpora" "$work" "$run" --seed 2 --config "$root/models/default-model.json"
fi
"$root/bitnet" compact --checkpoint "$run/best" --out "$work/default.bit2" --verify
echo "model: $work/default.bit2 (copy it to $root/models/ to make it the default)"
