#!/usr/bin/env bash
# Reproduces models/default-tiny.bit2 (models/README.md, docs/training.md "The default model"):
# the tiny preset on the project's public-domain corpora, 1,300 updates of 16 x 256 bytes on one
# PyTorch thread (about an hour on a 2-vCPU machine), then the export with the parity check.
# Usage: scripts/train-default-model.sh CORPORA_DIR WORK_DIR
# Ctrl-C leaves a checkpoint; run it again with the same arguments to continue.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
[ $# -eq 2 ] || { echo "usage: $0 CORPORA_DIR WORK_DIR" >&2; exit 2; }
corpora=$1 work=$2
run=$work/run
if [ -d "$run/last" ]; then
    # A resumed run takes its shape and schedule from the checkpoint.
    "$root/bitnet" train --data "$work/data" --val "$work/val/sotu_tail1.txt" --out "$run" --resume --threads 1
else
    "$root/scripts/train-evidence.sh" "$corpora" "$work" "$run" \
        --steps 1300 --alpha-v-init 1 --eval-every 100 --checkpoint-every 100 --threads 1
fi
"$root/bitnet" compact --checkpoint "$run/best" --out "$work/default-tiny.bit2" --verify
echo "model: $work/default-tiny.bit2 (copy it to $root/models/ to make it the default)"
