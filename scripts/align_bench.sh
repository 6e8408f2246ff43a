#!/usr/bin/env bash
# Alignment benchmark (issue 13): the 64× witness pair — seed 001 repeated 64 times as the
# reference, and a witness made from it with dropped, inserted, altered and re-punctuated
# paragraphs (~2 MB each, ~4 MB the pair). Every paragraph occurs 64 times, so there are few
# unique units to anchor on: the alignment has to pair inside one long gap, the hard case.
# Runs `collatio collate` and `dwdiff -P` (word diff with punctuation as delimiters, which
# finds and classifies nothing) on the same pair, alternately, RUNS times each, and prints
# the median user+system CPU seconds, wall seconds and peak memory of each.
# Usage: scripts/align_bench.sh [WORKDIR] [RUNS]   (needs python3, GNU time and dwdiff)
set -euo pipefail
cd "$(dirname "$0")/.."
work="${1:-$(mktemp -d)}"
runs="${2:-7}"
mkdir -p "$work"
cargo build --release --quiet --bin collatio
bin="$PWD/target/release/collatio"
command -v dwdiff >/dev/null || { echo "dwdiff not installed (apt-get install dwdiff)" >&2; exit 2; }

[ -f "$work/wit64.txt" ] || python3 - "$work" <<'PY'
import random, sys
random.seed(64)
work = sys.argv[1]
seed = open("fixtures/seeds/001_48fa0945fdd95d78.txt", encoding="utf-8").read()
paras = [p for p in seed.split("\n") if p.strip()]
ref, wit = [], []
for copy in range(64):
    for para in paras:
        ref.append(para)
        r = random.random()
        if r < 0.01:
            continue                                   # dropped
        if r < 0.02:
            wit.append(para); wit.append(f"◆插入的新段落，内容与参考文本无关。{copy}"); continue
        if r < 0.07 and len(para) > 2:
            cs = list(para); j = random.randrange(1, len(cs)); cs[j] = "某"; wit.append("".join(cs)); continue
        wit.append(para.replace("，", ",") if r < 0.5 else para)
open(f"{work}/ref64.txt", "w", encoding="utf-8").write("\n".join(ref) + "\n")
open(f"{work}/wit64.txt", "w", encoding="utf-8").write("\n".join(wit) + "\n")
PY
echo "pair: $(( $(stat -c %s "$work/ref64.txt") + $(stat -c %s "$work/wit64.txt") )) bytes"

# one LABEL COMMAND…: one run; appends "cpu wall kb" to $work/LABEL.times.
one() {
  local label=$1; shift
  /usr/bin/time -o "$work/.t" -f "%U %S %e %M" "$@" >/dev/null 2>&1 || true
  tail -n 1 "$work/.t" | awk '{printf "%.3f %.3f %d\n", $1 + $2, $3, $4}' >>"$work/$label.times"
}
rm -f "$work"/*.times
for _ in $(seq "$runs"); do
  one collatio "$bin" collate --no-config "$work/ref64.txt" "$work/wit64.txt"
  one dwdiff dwdiff -P "$work/ref64.txt" "$work/wit64.txt"
done
python3 - "$work" <<'PY'
import statistics, sys
for label in ("collatio", "dwdiff"):
    rows = [list(map(float, l.split())) for l in open(f"{sys.argv[1]}/{label}.times")]
    cpu, wall, kb = (statistics.median(c) for c in zip(*rows))
    print(f"{label:<9} median of {len(rows)}: CPU {cpu:.3f} s, wall {wall:.3f} s, peak {kb / 1024:.0f} MiB")
PY
