#!/usr/bin/env bash
# Lays out the project's corpora (docs/training.md, "The default model": six public-domain texts
# in CORPORA_DIR) for training: WORK_DIR/data/ holds the SOTU file without its last 1 % (cut at a
# line) and links to the other five, WORK_DIR/val/sotu_tail1.txt that last 1 %. Does nothing when
# WORK_DIR already holds the split. Usage: scripts/split-corpora.sh CORPORA_DIR WORK_DIR
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 CORPORA_DIR WORK_DIR" >&2; exit 2; }
[ -d "$1" ] || { echo "$0: corpora directory not found: $1" >&2; exit 2; }
# Absolute, so that the links below resolve from WORK_DIR/data.
corpora=$(cd "$1" && pwd) work=$2
[ -f "$work/val/sotu_tail1.txt" ] && exit 0
mkdir -p "$work/data" "$work/val"
python3 - "$corpora/sotu_1790_2000.txt" "$work" <<'PY'
import sys
data = open(sys.argv[1], 'rb').read()
cut = data.rfind(b'\n', 0, int(len(data) * 0.99)) + 1
open(sys.argv[2] + '/data/sotu_head99.txt', 'wb').write(data[:cut])
open(sys.argv[2] + '/val/sotu_tail1.txt', 'wb').write(data[cut:])
PY
for f in kjv mhcc moby_dick tdavid web_bible; do ln -sf "$corpora/$f.txt" "$work/data/$f.txt"; done
