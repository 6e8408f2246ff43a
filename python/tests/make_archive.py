"""An archive for the Spark equality test, made as scripts/bench.sh makes its own: copies of the
seed witnesses with new numbers and a serial per paragraph (here cut to a few paragraphs each,
so a few thousand files stay small), plus witness groups: several captures of one page, each
with its own front matter (the same original_url) and a few copying faults.

Usage: python make_archive.py DIR [FILES] [GROUPS]. Writes DIR/archive/ and two configs:
DIR/groups.toml (the captures as [[group]]s, the first of each the reference) and
DIR/plain.toml (the same paths, no groups: for the Spark job's --group-by url).
"""

import os
import random
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DIGITS = re.compile(r"\d+(?![\d年])")


def seeds():
    d = os.path.join(ROOT, "fixtures", "seeds")
    return [
        open(os.path.join(d, n), encoding="utf-8").read()
        for n in sorted(os.listdir(d))
        if n.endswith(".txt")
    ]


def vary(text, k):
    """New numbers and a serial per paragraph (scripts/bench.sh)."""
    out = []
    for i, para in enumerate(text.split("\n\n")):
        para = DIGITS.sub(lambda m: str((int(m.group()) * 7 + k) % 1000), para)
        if para.startswith("◆"):
            para = para.rstrip("。") + f"（No. {k}-{i}）。"
        out.append(para)
    return "\n\n".join(out)


def capture(body, g, c, rnd):
    """Capture c of page g: front matter, then the body with a few faults (c > 0)."""
    paras = list(body)
    if c > 0:
        for j in range(len(paras)):
            r = rnd.random()
            if r < 0.05:
                paras[j] = ""  # dropped
            elif r < 0.15:
                cs = list(paras[j])
                cs[rnd.randrange(1, len(cs))] = "某"
                paras[j] = "".join(cs)
            elif r < 0.3:
                paras[j] = paras[j].replace("，", ",")
        paras = [p for p in paras if p]
    stamp = 20210101000000 + g * 1000 + c * 7
    head = (
        "---\n"
        f'title: "第{g}号通报"\n'
        'date: "2020-04-07"\n'
        f'url: "https://web.archive.org/web/{stamp}/https://news.example.org/a/{g}"\n'
        f'original_url: "https://news.example.org/a/{g}"\n'
        "---\n\n"
    )
    return head + "4月7日\n\n" + "\n\n".join(paras) + "\n"


def main():
    work = sys.argv[1]
    files = int(sys.argv[2]) if len(sys.argv) > 2 else 2400
    groups = int(sys.argv[3]) if len(sys.argv) > 3 else 60
    rnd = random.Random(7)
    ss = seeds()
    arch = os.path.join(work, "archive")
    os.makedirs(os.path.join(arch, "bulk"), exist_ok=True)
    os.makedirs(os.path.join(arch, "pages"), exist_ok=True)
    size = 0
    for k in range(files):
        paras = vary(ss[k % len(ss)], k).split("\n\n")
        t = "\n\n".join(paras[: rnd.randrange(4, 30)]) + "\n"
        with open(os.path.join(arch, "bulk", f"{k:05d}.txt"), "w", encoding="utf-8") as f:
            f.write(t)
        size += len(t.encode())
    base = [p for p in ss[0].split("\n\n") if p.startswith("◆")]
    toml = ['paths = ["archive"]\n']
    for g in range(groups):
        body = [base[(g + j) % len(base)].rstrip("。") + f"（No. {g}-{j}）。" for j in range(8)]
        names = []
        for c in range(3):
            name = f"archive/pages/{g:03d}_{c}.txt"
            t = capture(body, g, c, rnd)
            with open(os.path.join(work, name), "w", encoding="utf-8") as f:
                f.write(t)
            size += len(t.encode())
            names.append(name)
        toml.append(
            f'\n[[group]]\nreference = "{names[0]}"\nwitnesses = ["{names[1]}", "{names[2]}"]\n'
        )
    with open(os.path.join(work, "groups.toml"), "w", encoding="utf-8") as f:
        f.write("".join(toml))
    with open(os.path.join(work, "plain.toml"), "w", encoding="utf-8") as f:
        f.write(toml[0])
    print(f"archive: {files + 3 * groups} files, {size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
