#!/usr/bin/env bash
# Quality benchmark (issues 11 and 12): makes witnesses with faults at known places and clean
# realistic layouts from clean texts, runs collatio on them, and scores what it reports.
#   scripts/quality.sh [CLEAN.txt …]
# Default texts: seed 000 and its simplified (t2s) form. Two RNG seeds per text. Prints a Markdown
# report: recall per fault kind, precision per reported category, overall precision at
# warning+error and at error, faults reported more than once, and errors / warnings / notes on
# every clean layout (collated against the reference, and single-document).
# Environment: QUALITY_WORK=DIR keeps the corpora and findings there; QUALITY_SEEDS="1 2".
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
work="${QUALITY_WORK:-$(mktemp -d)}"
mkdir -p "$work"
seeds="${QUALITY_SEEDS:-1 2}"
cargo build --release --quiet --bin collatio --example mkcorpus
bin="$root/target/release/collatio"
mk="$root/target/release/examples/mkcorpus"

texts=("$@")
if [ ${#texts[@]} -eq 0 ]; then
  s000="$root/fixtures/seeds/000_8486d6720058fcd3.txt"
  "$mk" "$s000" "$work/_t2s" --seed 0 2>/dev/null
  cp "$work/_t2s/other-script.txt" "$work/000-t2s.txt"
  texts=("$s000" "$work/000-t2s.txt")
fi

# check DIR OUT ARGS…: run collatio in DIR, JSON Lines to OUT; a crash (exit ≥ 2) is recorded.
check() {
  local dir="$1" out="$2"
  shift 2
  local rc=0
  (cd "$dir" && "$bin" check --no-config --format jsonl "$@") >"$out" 2>"$out.err" || rc=$?
  if [ "$rc" -ge 2 ]; then echo "$rc $*" >>"$dir/crashes.txt"; fi
}

corpora=()
for t in "${texts[@]}"; do
  name="$(basename "$t" .txt)"
  for s in $seeds; do
    dir="$work/$name-s$s"
    rm -rf "$dir"
    "$mk" "$t" "$dir" --seed "$s"
    mkdir -p "$dir/found"
    : >"$dir/crashes.txt"
    # Faults of the clean text itself (in either script) and of the converter that made the
    # copies: a witness inherits them and is not to blame (see quality.py).
    for f in reference other-script converted; do
      check "$dir" "$dir/found/inherit-$f.jsonl" "$f.txt"
    done
    for f in "$dir"/faults/*.txt; do
      b="$(basename "$f" .txt)"
      check "$dir" "$dir/found/faults-$b.jsonl" "faults/$b.txt" --against reference.txt
    done
    for f in "$dir"/layouts/*.txt; do
      b="$(basename "$f" .txt)"
      check "$dir" "$dir/found/layouts-$b.collated.jsonl" "layouts/$b.txt" --against reference.txt
      check "$dir" "$dir/found/layouts-$b.single.jsonl" "layouts/$b.txt"
    done
    corpora+=("$dir")
  done
done
python3 "$root/scripts/quality.py" "${corpora[@]}"
echo
echo "corpora and findings: $work"
