#!/usr/bin/env bash
# Archive benchmark (issue 13): single-document `check` on generated archives of 100, 300 and
# 500 MB — many files made from the seed witnesses with new numbers and serials, and one file in
# 25 holding paragraphs of a clause repeated with variations (the shape that hung the loop
# detector). The archive is written as five 100 MB parts; the 300 and 500 MB runs check three and
# five of them. Prints wall and CPU time (user + system), throughput per CPU second, CPU use, peak
# memory (GNU time) and the peak's ratio to the input: linear work shows as a steady MB per CPU
# second. Usage: scripts/archive_bench.sh [WORKDIR]   (needs python3, GNU time, 500 MB of disk)
set -euo pipefail
cd "$(dirname "$0")/.."
work="${1:-$(mktemp -d)}"
mkdir -p "$work"
cargo build --release --quiet --bin collatio
bin="$PWD/target/release/collatio"

[ -f "$work/done" ] || python3 - "$work" <<'PY'
import os, random, re, sys
random.seed(13)
work = sys.argv[1]
d = "fixtures/seeds"
seeds = [open(os.path.join(d, n), encoding="utf-8").read() for n in sorted(os.listdir(d)) if n.endswith(".txt")]
digits = re.compile(r"\d+(?![\d年])")
clauses = [c for s in seeds for c in re.split(r"[，。；]", s) if 6 <= len(c) <= 30 and "\n" not in c]

def vary(text, k):
    # New numbers and a serial per paragraph, so files and units differ as real archives do.
    out = []
    for i, para in enumerate(text.split("\n\n")):
        para = digits.sub(lambda m: str((int(m.group()) * 7 + k) % 1000), para)
        if para.startswith("◆"):
            para = para.rstrip("。") + f"（No. {k}-{i}）。"
        out.append(para)
    return "\n\n".join(out)

def repeated(k):
    # Paragraphs of one clause repeated with variations: a second clause between some copies,
    # a copy cut short, so no two repeats are quite the same run.
    paras = []
    for _ in range(random.randrange(3, 12)):
        a, b = random.choice(clauses), random.choice(clauses)
        parts = []
        for _ in range(random.randrange(20, 400)):
            r = random.random()
            parts.append(a if r < 0.6 else (a + "，" + b if r < 0.9 else a[: random.randrange(1, len(a))]))
        paras.append("◆" + "，".join(parts) + "。")
    return vary(seeds[k % len(seeds)], k) + "\n\n" + "\n\n".join(paras)

k = 0
for part in range(1, 6):
    pdir = os.path.join(work, f"part{part}")
    os.makedirs(pdir, exist_ok=True)
    size = 0
    while size < 100 * 1000 * 1000:
        t = repeated(k) if k % 25 == 0 else vary(seeds[k % len(seeds)], k)
        b = t.encode("utf-8")
        open(os.path.join(pdir, f"{k:06d}.txt"), "wb").write(b)
        size += len(b)
        k += 1
    print(f"part {part}: {size / 1e6:.1f} MB, {k} files so far")
open(os.path.join(work, "done"), "w").write("")
PY

echo "nproc: $(nproc)"
printf '%-8s %12s %8s %9s %8s %6s %9s %6s\n' archive bytes wall 'CPU s' MB/CPU-s CPU peak ratio
for n in 1 3 5; do
  parts=()
  for p in $(seq 1 "$n"); do parts+=("$work/part$p"); done
  bytes=$(du -sb --apparent-size "${parts[@]}" | awk '{s += $1} END {print s}')
  /usr/bin/time -o "$work/.t" -f "%e %U %S %M %P" "$bin" check --no-config --format jsonl "${parts[@]}" >/dev/null 2>&1 || true
  read -r secs user sys kb cpu < <(tail -n 1 "$work/.t")
  python3 -c "import sys; b,s,c,kb=float(sys.argv[1]),float(sys.argv[2]),float(sys.argv[3])+float(sys.argv[4]),int(sys.argv[5]); print(f'{int(b/1e8)*100:>5} MB {b:>12.0f} {s:7.2f}s {c:8.2f}s {b/1e6/max(c,1e-9):8.1f} {sys.argv[6]:>6} {kb/1024:5.0f} MiB {kb*1024/b:5.2f}x')" "$bytes" "$secs" "$user" "$sys" "$kb" "$cpu"
done
