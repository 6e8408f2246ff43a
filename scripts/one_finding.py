#!/usr/bin/env python3
"""One fault, one finding: a quick check of how collatio reports faults of the kinds issue 12
names, on copies of the seed texts with faults written in at known lines (one per line).

Part 1 injects loops, U+FFFD, GBK/Big5 mojibake (bytes read as Windows-1252), pinyin after
characters and footnote markers, and counts per kind: found in the right category, reported by
exactly one finding, extra findings on the line, findings of another category at error.
Part 2 makes rewordings around negators, numerals and names (非常 → 十分, 专门 dropped …) that
must not be errors, and real negations (可以 → 不可以) that must be.

Usage: scripts/one_finding.py [path/to/collatio]   (default target/debug/collatio)
Only lines without findings in the clean copy are used, so what is counted is the fault's.
"""
import json
import os
import random
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target/debug/collatio")
SEED = lambda n: os.path.join(ROOT, "fixtures/seeds", n)
FAULT_SEEDS = [(SEED("000_8486d6720058fcd3.txt"), "big5"), (SEED("001_48fa0945fdd95d78.txt"), "gbk")]
WORD_SEEDS = [SEED("001_48fa0945fdd95d78.txt"), SEED("002_3a4511cf1fe87385.txt")]
SYLLABLES = ["guó", "wù", "yuàn", "xí", "jìn", "píng", "zhōng", "huá", "mín", "gòng", "hé", "fā",
             "bù", "wèi", "shēng", "jiàn", "kāng", "lián", "guo2", "wu4", "zhong1", "hua2"]
KINDS = {"loop": "loop", "fffd": "encoding", "mojibake": "encoding", "pinyin": "encoding",
         "footnote": "encoding"}
HAN = re.compile(r"[\u4e00-\u9fff]{12,}")


def run(paths):
    o = subprocess.run([BIN, "check", "--no-config", "--format", "jsonl"] + paths,
                       capture_output=True, text=True)
    return [json.loads(l) for l in o.stdout.splitlines() if l.strip()]


def inject(kind, line, enc, rnd):
    runs = list(HAN.finditer(line))
    if not runs:
        return None
    m = rnd.choice(runs)
    p = m.start() + rnd.randrange(2, len(m.group()) - 8)
    if kind == "loop":
        phrase = line[p:p + rnd.randrange(6, 9)]
        return line[:p] + phrase * 3 + line[p + len(phrase):]
    if kind == "fffd":
        n = rnd.randrange(1, 4)
        return line[:p] + "\ufffd" * n + line[p + n:]
    if kind == "mojibake":
        n = rnd.randrange(2, 5)
        try:
            b = line[p:p + n].encode(enc)
        except UnicodeEncodeError:
            return None
        undefined = any(x in b for x in (0x81, 0x8D, 0x8F, 0x90, 0x9D))
        return line[:p] + b.decode("latin-1" if undefined else "cp1252") + line[p + n:]
    if kind == "pinyin":
        n = rnd.randrange(1, 4)
        marked = "".join(c + "(" + rnd.choice(SYLLABLES) + ")" for c in line[p:p + n])
        return line[:p] + marked + line[p + n:]
    q = line.find("。", p)
    if q < 0 or not "\u4e00" <= line[q - 1] <= "\u9fff":
        return None
    return line[:q] + rnd.choice(["[1]", "[2]", "①", "［3］"]) + line[q:]


def fault_kinds(tmp):
    stats = {k: dict(n=0, found=0, once=0, extra=0, wrong_error=0) for k in KINDS}
    rnd = random.Random(7)
    for rep in range(4):
        for seed, enc in FAULT_SEEDS:
            lines = open(seed, encoding="utf-8").read().split("\n")
            busy = {f["line"] for f in run([seed])}
            cand = [i for i, l in enumerate(lines)
                    if l.startswith("◆") and len(l) > 40 and i + 1 not in busy]
            rnd.shuffle(cand)
            truth = {}
            for i in cand[:60]:
                kind = list(KINDS)[len(truth) % len(KINDS)]
                new = inject(kind, lines[i], enc, rnd)
                if new and new != lines[i]:
                    lines[i] = new
                    truth[i + 1] = kind
            w = os.path.join(tmp, f"w{rep}_{os.path.basename(seed)}")
            open(w, "w", encoding="utf-8").write("\n".join(lines))
            found = [f for f in run([w, "--against", seed]) if f["file"] == w]
            for ln, kind in truth.items():
                here = [f for f in found if f["line"] == ln]
                good = [f for f in here if f["category"] == KINDS[kind]]
                s = stats[kind]
                s["n"] += 1
                s["found"] += bool(good)
                s["once"] += len(here) == 1 and bool(good)
                s["extra"] += max(0, len(here) - 1)
                s["wrong_error"] += sum(f["category"] != KINDS[kind] and f["severity"] == "error"
                                        for f in here)
    print(f"{'kind':10} {'faults':>6} {'recall':>7} {'once':>6} {'extra':>6} {'wrong@error':>11}")
    for k, s in stats.items():
        n = max(s["n"], 1)
        print(f"{k:10} {s['n']:6} {s['found'] / n:7.2f} {s['once'] / n:6.2f} {s['extra']:6} "
              f"{s['wrong_error']:11}")


BENIGN = [("非常", "十分"), ("不断", "持续"), ("无论", "不管"), ("专门", ""), ("有关", ""),
          ("相关", ""), ("积极", ""), ("前所未有", "空前"), ("进一步", "更加"), ("未来", "今后"),
          ("一些", "部分"), ("无偿", "免费"), ("不同", "各种")]
NEGATIONS = [("已", "未"), ("可以", "不可以"), ("是", "不是"), ("能够", "不能")]


def word_edits(tmp):
    res = {"benign": [0, 0, 0], "real": [0, 0, 0]}  # edits, with an error, with a negation
    for seed in WORD_SEEDS:
        lines = open(seed, encoding="utf-8").read().split("\n")
        busy = {f["line"] for f in run([seed])}
        truth = {}
        for i, l in enumerate(lines):
            if i + 1 in busy or not l.startswith(("◆", "（")):
                continue
            for kind, table in (("benign", BENIGN), ("real", NEGATIONS)):
                if i + 1 in truth:
                    break
                for a, b in table:
                    if a in l and (kind == "benign" or l.count(a) == 1):
                        lines[i] = l.replace(a, b, 1)
                        truth[i + 1] = kind
                        break
        w = os.path.join(tmp, "words_" + os.path.basename(seed))
        open(w, "w", encoding="utf-8").write("\n".join(lines))
        found = [f for f in run([w, "--against", seed]) if f["file"] == w]
        for ln, kind in truth.items():
            here = [f for f in found if f["line"] == ln]
            r = res[kind]
            r[0] += 1
            r[1] += any(f["severity"] == "error" for f in here)
            r[2] += any(f["rule"] == "altered-event/negation" for f in here)
    b, r = res["benign"], res["real"]
    print(f"rewordings around negators, numerals, names: {b[0]} edits, {b[1]} reported at error, "
          f"{b[2]} as negation")
    print(f"real negations: {r[0]} edits, {r[2]} reported as negation")


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        fault_kinds(tmp)
        word_edits(tmp)
