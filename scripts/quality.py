#!/usr/bin/env python3
"""Scorer of the quality benchmark (scripts/quality.sh). Python 3 standard library only.

Usage: quality.py CORPUS_DIR...   where each dir holds truth.jsonl, faults/, layouts/ and found/
(the JSON Lines findings of collatio, one file per run, as quality.sh writes them).

Match rule: a finding matches a fault when it is in the same file, its line range overlaps the
fault's with one line of slack either way, and its rule id or category is among the fault's
accepted ones (`*` is a wildcard). A warning or error matching no fault is a false positive;
notes are counted apart (precision is over warnings + errors).
"""
import collections
import fnmatch
import json
import os
import sys

# The generator's fault kinds (tests/common/corpus.rs FAULT_KINDS), in the order they are printed.
KIND_ORDER = ["number", "date", "dropped", "inserted", "moved", "loop", "title", "name", "negation", "ocr",
              "converter", "missing-heading", "page-split", "replacement-char", "mojibake", "annotation",
              "dateline", "byline"]


def read_jsonl(path):
    out = []
    if not os.path.exists(path):
        return out
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line:
                try:
                    out.append(json.loads(line))
                except json.JSONDecodeError:
                    pass
    return out


def accepts(accept, finding):
    rule, cat = finding.get("rule", ""), finding.get("category", "")
    return any(fnmatch.fnmatchcase(rule, a) or fnmatch.fnmatchcase(cat, a) for a in accept)


def overlaps(f, t):
    line = f.get("line") or 0
    end = f.get("end_line") or line
    return line <= t["end_line"] + 1 and end >= t["line"] - 1


def inherited_keys(corpus):
    """Findings of single-document `check` on the reference, on its other-script form and on the
    standard s2t conversion of its simplified form, keyed by rule and message: faults the clean
    text already has, or that the script converter itself makes (a copy made that way carries
    them and is not at fault)."""
    keys = set()
    for name in ("reference", "other-script", "converted"):
        for f in read_jsonl(os.path.join(corpus, "found", f"inherit-{name}.jsonl")):
            keys.add(key(f))
    return keys


def key(f):
    """A finding's rule and the text its message quotes first (the whole message if none)."""
    msg = f.get("message", "")
    quote = msg.split("“", 1)[1].split("”", 1)[0] if "“" in msg and "”" in msg.split("“", 1)[1] else msg
    return (f.get("rule"), quote)


def is_inherited(inh, f):
    """Same rule, and the quoted text within an inherited one's (a layout may cut `覆工覆產`
    into `覆工` at a line end)."""
    rule, quote = key(f)
    return bool(quote) and any(r == rule and quote in q for r, q in inh)


def pct(a, b):
    return "–" if b == 0 else f"{100.0 * a / b:.1f} %"


def score_faults(corpora):
    kinds = collections.OrderedDict()  # kind -> [count, found, more_than_once]
    cats = collections.defaultdict(lambda: [0, 0, 0])  # category -> [reported w+e, true, notes]
    tot = {"we": 0, "we_true": 0, "err": 0, "err_true": 0, "notes": 0, "notes_true": 0}
    witnesses = faults = 0
    fps = []
    variants = collections.OrderedDict()  # witness shape -> [faults, found, w+e, true w+e, errors, true errors]
    for c in corpora:
        inh = inherited_keys(c)
        truth = read_jsonl(os.path.join(c, "truth.jsonl"))
        by_file = collections.defaultdict(list)
        for t in truth:
            by_file[t["file"]].append(t)
        for name in sorted(os.listdir(os.path.join(c, "faults"))):
            witnesses += 1
            stem = name[:-4]
            fs = [f for f in read_jsonl(os.path.join(c, "found", f"faults-{stem}.jsonl")) if f.get("file") == f"faults/{name}"]
            ts = by_file.get(name, [])
            faults += len(ts)
            hits = [0] * len(ts)
            var = variants.setdefault(witness_shape(name), [0] * 6)
            var[0] += len(ts)
            for f in fs:
                matched = [i for i, t in enumerate(ts) if overlaps(f, t) and accepts(t["accept"], f)]
                if not matched and is_inherited(inh, f):
                    continue  # a fault the clean text already has, not one injected here
                for i in matched:
                    hits[i] += 1
                sev, cat = f.get("severity"), f.get("category", "?")
                ok = bool(matched)
                if sev == "note":
                    tot["notes"] += 1
                    tot["notes_true"] += ok
                    cats[cat][2] += 1
                    continue
                tot["we"] += 1
                tot["we_true"] += ok
                var[2] += 1
                var[3] += ok
                var[4] += sev == "error"
                var[5] += ok and sev == "error"
                cats[cat][0] += 1
                cats[cat][1] += ok
                if sev == "error":
                    tot["err"] += 1
                    tot["err_true"] += ok
                if not ok:
                    fps.append((os.path.basename(c), name, f))
            var[1] += sum(h > 0 for h in hits)
            for t, h in zip(ts, hits):
                k = kinds.setdefault(t["kind"], [0, 0, 0])
                k[0] += 1
                k[1] += h > 0
                k[2] += h > 1
    return kinds, cats, tot, witnesses, faults, fps, variants


def witness_shape(name):
    """`w04-s2hk-whole-chrome.txt` → `s2hk whole chrome` (script form, extent, page frame)."""
    parts = name[:-4].split("-")
    return " ".join(parts[1:]) if len(parts) >= 3 else name


def layout_group(name):
    return "pages-*" if name.startswith("pages-") else name


def score_layouts(corpora):
    rows = collections.OrderedDict()  # layout -> {mode: Counter(severity)}
    for c in corpora:
        inh = inherited_keys(c)
        for name in sorted(os.listdir(os.path.join(c, "layouts"))):
            stem = name[:-4]
            g = layout_group(stem)
            row = rows.setdefault(g, {"collated": collections.Counter(), "single": collections.Counter(), "files": 0})
            row["files"] += 1
            for mode in ("collated", "single"):
                fs = read_jsonl(os.path.join(c, "found", f"layouts-{stem}.{mode}.jsonl"))
                for f in fs:
                    if f.get("file") != f"layouts/{name}" or is_inherited(inh, f):
                        continue
                    row[mode][f.get("severity")] += 1
    return rows


def crashes(corpora):
    out = []
    for c in corpora:
        p = os.path.join(c, "crashes.txt")
        if os.path.exists(p):
            out += [f"{os.path.basename(c)}: {l.strip()}" for l in open(p, encoding="utf-8") if l.strip()]
    return out


def main(corpora):
    kinds, cats, tot, witnesses, faults, fps, variants = score_faults(corpora)
    print(f"## Fault benchmark: {len(corpora)} corpora, {witnesses} witnesses, {faults} faults\n")
    print("| fault kind | faults | found | recall | reported more than once |")
    print("|---|---:|---:|---:|---:|")
    order = sorted(kinds, key=lambda k: (KIND_ORDER.index(k) if k in KIND_ORDER else len(KIND_ORDER), k))
    for k in order:
        n, found, twice = kinds[k]
        print(f"| {k} | {n} | {found} | {pct(found, n)} | {twice} |")
    n = sum(v[0] for v in kinds.values())
    found = sum(v[1] for v in kinds.values())
    twice = sum(v[2] for v in kinds.values())
    print(f"| **all** | {n} | {found} | **{pct(found, n)}** | {twice} |\n")
    print("| reported category | warnings + errors | at a fault | precision | notes |")
    print("|---|---:|---:|---:|---:|")
    for cat in sorted(cats):
        we, ok, notes = cats[cat]
        print(f"| {cat} | {we} | {ok} | {pct(ok, we)} | {notes} |")
    print()
    print(f"- precision at warning + error: **{pct(tot['we_true'], tot['we'])}** ({tot['we_true']} of {tot['we']})")
    print(f"- precision at error: **{pct(tot['err_true'], tot['err'])}** ({tot['err_true']} of {tot['err']})")
    print(f"- notes: {tot['notes']} ({tot['notes_true']} at a fault)")
    print(f"- faults reported more than once: {twice} of {n}")
    # Issue 12's measure: plain copies (the reference's script or its t2s / s2t form, no page
    # frame), so that layout and regional-form false positives (issue 11) do not swamp it.
    plain = [v for k, v in variants.items() if k.split()[0] in ("same", "other") and len(k.split()) == 2]
    pn, pf, pwe, pwok, perr, perrok = (sum(v[i] for v in plain) for i in range(6))
    print(f"- plain witnesses (same or other script, no page frame, whole and fragments): recall {pct(pf, pn)} "
          f"({pf} of {pn}), precision at warning + error {pct(pwok, pwe)} ({pwok} of {pwe}), "
          f"at error {pct(perrok, perr)} ({perrok} of {perr})\n")
    print("| witness (script form, extent, frame) | faults | recall | precision at warning + error | precision at error |")
    print("|---|---:|---:|---:|---:|")
    for v in sorted(variants):
        n_, found_, we, we_ok, err, err_ok = variants[v]
        print(f"| {v} | {n_} | {pct(found_, n_)} | {pct(we_ok, we)} ({we}) | {pct(err_ok, err)} ({err}) |")
    print("\n(same = the reference's script, other = t2s or s2t, s2twp / s2hk = OpenCC regional forms of the simplified copy)\n")
    rows = score_layouts(corpora)
    print("## Clean layouts: errors / warnings / notes (summed over corpora)\n")
    print("| layout | files | collated against the reference E / W / N | single-document E / W / N |")
    print("|---|---:|---:|---:|")
    for g, r in sorted(rows.items()):
        a, b = r["collated"], r["single"]
        print(f"| {g} | {r['files']} | {a['error']} / {a['warning']} / {a['note']} | {b['error']} / {b['warning']} / {b['note']} |")
    print("\nFindings the clean text itself has, in either script or in its s2t conversion (same rule, quoted text within theirs), are left out of every table.")
    cr = crashes(corpora)
    if cr:
        print(f"\n**{len(cr)} runs crashed (exit ≥ 2):**")
        for l in cr[:20]:
            print(f"- {l}")
    if os.environ.get("QUALITY_FP"):
        print("\n## False positives (warning + error)\n")
        for corpus, name, f in fps:
            print(f"- {corpus}/{name}:{f.get('line')} {f.get('severity')} {f.get('rule')}: {f.get('message')}")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: quality.py CORPUS_DIR...")
    main(sys.argv[1:])
