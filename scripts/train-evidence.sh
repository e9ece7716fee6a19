#!/usr/bin/env bash
# The trainer's measured runs (docs/training.md): tiny preset, docs/model.md recipe, batch 16 x 256,
# data = the project's corpora (docs/training.md, "The default model": six public-domain
# texts in CORPORA_DIR) with the last 1% of the SOTU file held out as validation.
# Usage: scripts/train-evidence.sh CORPORA_DIR WORK_DIR OUT [extra train options]
# It splits the SOTU file (last 1 % of its bytes, cut at a line, = validation) into WORK_DIR.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
corpora=$1 work=$2 out=$3
shift 3
mkdir -p "$work/data" "$work/val"
if [ ! -f "$work/val/sotu_tail1.txt" ]; then
    python3 - "$corpora/sotu_1790_2000.txt" "$work" <<'EOF'
import sys
data = open(sys.argv[1], 'rb').read()
cut = data.rfind(b'\n', 0, int(len(data) * 0.99)) + 1
open(sys.argv[2] + '/data/sotu_head99.txt', 'wb').write(data[:cut])
open(sys.argv[2] + '/val/sotu_tail1.txt', 'wb').write(data[cut:])
EOF
    for f in kjv mhcc moby_dick tdavid web_bible; do ln -sf "$corpora/$f.txt" "$work/data/$f.txt"; done
fi
exec "$root/bitnet" train --preset tiny --data "$work/data" --val "$work/val/sotu_tail1.txt" \
  --out "$out" --batch 16 --ctx 256 --eval-batches 8 "$@"
