#!/usr/bin/env bash
# Throughput benchmark for collatio. Generates its own inputs from the seed witnesses:
#   1. single-document `check` on a ~100 MB archive of many files (MB/s, CPU use, peak memory);
#   2. collation of generated witness pairs of 1, 10 and 100 MB (time, MB/s, peak memory);
#   3. hostile inputs (tests/hostile/mod.rs) at 0.5 and 2 MB; 4. one 64 MB line, a refused 1 GB file.
# Usage: scripts/bench.sh [WORKDIR]   (needs python3 and GNU time; takes a few minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
work="${1:-$(mktemp -d)}"
mkdir -p "$work"
cargo build --release --quiet
bin="$PWD/target/release/collatio"

[ -f "$work/wit100.txt" ] || python3 - "$work" <<'PY'
import os, random, re, sys
random.seed(7)
work = sys.argv[1]
seeds = [open(f"fixtures/seeds/{n}", encoding="utf-8").read() for n in sorted(os.listdir("fixtures/seeds")) if n.endswith(".txt")]
digits = re.compile(r"\d+(?![\d年])")
def vary(text, k):
    # New numbers and a serial per paragraph, so files and units differ as real archives do.
    out = []
    for i, para in enumerate(text.split("\n\n")):
        para = digits.sub(lambda m: str((int(m.group()) * 7 + k) % 1000), para)
        if para.startswith("◆"):
            para = para.rstrip("。") + f"（No. {k}-{i}）。"
        out.append(para)
    return "\n\n".join(out)
# 1. archive of many files, ~100 MB
arch = os.path.join(work, "archive")
os.makedirs(arch, exist_ok=True)
size, k = 0, 0
while size < 100 * 1024 * 1024:
    t = vary(seeds[k % len(seeds)], k)
    p = os.path.join(arch, f"{k:05d}.txt")
    open(p, "w", encoding="utf-8").write(t)
    size += len(t.encode("utf-8"))
    k += 1
print(f"archive: {k} files, {size/1e6:.1f} MB")
# 2. witness pairs
base = [p for p in seeds[0].split("\n\n") if p.startswith("◆")]
for mb in (1, 10, 100):
    ref, wit, n, total = [], [], 0, 0
    month = 1
    while total < mb * 1024 * 1024:
        if n % 40 == 0:
            ref.append(f"{month % 12 + 1}月{n % 28 + 1}日"); wit.append(ref[-1]); month += 1
        para = base[n % len(base)].rstrip("。") + f"（No. {n}）。"
        ref.append(para)
        r = random.random()
        if r < 0.01:
            pass                                  # dropped
        elif r < 0.02:
            wit.append(para); wit.append("◆插入的新段落，内容与参考文本无关。" + str(n))
        elif r < 0.07:
            cs = list(para); j = random.randrange(1, len(cs)); cs[j] = "某"; wit.append("".join(cs))
        else:
            wit.append(para.replace("，", ","))
        total += len(para.encode("utf-8"))
        n += 1
    open(os.path.join(work, f"ref{mb}.txt"), "w", encoding="utf-8").write("\n\n".join(ref) + "\n")
    open(os.path.join(work, f"wit{mb}.txt"), "w", encoding="utf-8").write("\n\n".join(wit) + "\n")
    print(f"pair {mb} MB: {n} units")
PY

measure() { # label bytes command...
  local label=$1 bytes=$2; shift 2
  local tf secs kb cpu
  tf=$(mktemp)
  /usr/bin/time -o "$tf" -f "%e %M %P" "$@" >/dev/null 2>&1 || true
  read -r secs kb cpu < <(tail -n 1 "$tf")
  rm -f "$tf"
  python3 -c "import sys; b,s,kb,cpu=float(sys.argv[1]),float(sys.argv[2]),int(sys.argv[3]),sys.argv[4]; print(f'{sys.argv[5]:<28} {b/1e6:8.1f} MB {s:7.2f} s {b/1e6/max(s,1e-9):8.1f} MB/s  CPU {cpu:>5}  peak {kb/1024:7.0f} MiB')" "$bytes" "$secs" "$kb" "$cpu" "$label"
}
bytes=$(du -sb "$work/archive" | cut -f1)
echo "nproc: $(nproc)"
measure "check (single-document)" "$bytes" "$bin" check --no-config --format jsonl "$work/archive"
# The same on one core: the per-core figure without the parallel overheads.
RAYON_NUM_THREADS=1 measure "check, one thread" "$bytes" "$bin" check --no-config --format jsonl "$work/archive"
# The other report formats on the same run (every finding rendered: ~36,000 on this archive).
measure "check, SARIF" "$bytes" "$bin" check --no-config --format sarif "$work/archive"
measure "check, human output" "$bytes" "$bin" check --no-config --color never "$work/archive"
for mb in 1 10 100; do
  b=$(( $(stat -c %s "$work/ref$mb.txt") + $(stat -c %s "$work/wit$mb.txt") ))
  measure "collate ${mb} MB pair" "$b" "$bin" check --no-config --format jsonl --disable loop "$work/wit$mb.txt" --against "$work/ref$mb.txt"
done

# 3. Hostile inputs (issue 13): each kind of tests/hostile/mod.rs at 0.5 and 2 MB. Linear work
#    shows as a time ratio near 4 between the two rows of a kind.
cargo build --release --quiet --example hostile
gen="$PWD/target/release/examples/hostile"
mkdir -p "$work/hostile"
for kind in $("$gen" list); do
  for size in 500000 2000000; do
    f="$work/hostile/$kind-$size.txt"
    [ -f "$f" ] || "$gen" "$kind" "$size" "$f"
    measure "hostile $kind" "$(stat -c %s "$f")" timeout 120 "$bin" check --no-config --format jsonl "$f"
  done
done
# 4. One line of 64 MB (seed text without line breaks), and a 1 GB file: refused by the default
#    256 MiB limit before a byte is read (raise it with --max-file-size to check it anyway).
[ -f "$work/line64.txt" ] || python3 - "$work" <<'PY'
import os, sys
d = "fixtures/seeds"
s = "".join(open(os.path.join(d, n), encoding="utf-8").read() for n in sorted(os.listdir(d)) if n.endswith(".txt")).replace("\n", "")
b = s.encode()
n = 64 << 20
out = (b * (n // len(b) + 1))[:n].decode("utf-8", "ignore").encode()
open(os.path.join(sys.argv[1], "line64.txt"), "wb").write(out)
PY
measure "one 64 MB line" "$(stat -c %s "$work/line64.txt")" "$bin" check --no-config --format jsonl "$work/line64.txt"
truncate -s 1G "$work/big1g.txt"
measure "1 GB file (refused)" "$(stat -c %s "$work/big1g.txt")" "$bin" check --no-config "$work/big1g.txt"
rm -f "$work/big1g.txt"
