"""collatio on Apache Spark: ``python -m collatio.spark check PATH… --output DIR``.

The driver plans the run as ``collatio check`` does (the same walk, the same witness groups, from
the engine itself), or reads the list of files from ``--paths-from FILE`` (one path a line, as
cc-pyspark's ``*.paths``) as a DataFrame without walking anything, and hands Spark paths only:
each task opens its files itself, so no document crosses the network but to its task.

1. ``mapInArrow``, one task per batch of files (a WARC or WACZ is one file): per file, the
   manifest entries (fingerprints) and, for a file in no witness group, the single-document
   rules. Each page capture of an archive also gives a ``capture`` row: its canonical URL (the
   key ``collatio check`` groups captures by), its archive and the byte range of its record.
2. A count by URL: the captures of a URL seen twice or more in the run (in one archive or in
   several) go, as archive path and byte range, to ``groupBy(url).applyInArrow``, whose task
   range-reads their records and checks them as ``check`` does (rules, collation in capture
   order against the earliest, one finding per fault); their stage-1 findings are dropped, the
   group's replace them. Captures of a URL seen once never leave stage 1.
3. ``groupBy(group).applyInArrow``: per witness group of files (the config's groups, ``--against
   REF``, or with ``--group-by url`` the files of one front-matter ``original_url``), the
   group's files are read again in their task and checked together. Only paths are shuffled.

A group over ``--max-group`` members is not collated (an error row says so) and its members are
checked alone. Writes ``DIR/findings.jsonl`` (the rows and order of ``collatio check --format
jsonl``), ``DIR/findings.parquet`` (the same fields as columns), ``DIR/manifest.json`` (as
``collatio fingerprint`` writes it) and ``DIR/errors.jsonl`` (what could not be read). Gate them
with ``collatio report DIR/findings.jsonl --manifest DIR/manifest.json [--baseline FILE]``.
"""

import argparse
import json
import os
import sys
import time

import pyarrow as pa

from . import engine as _engine
from . import read_bytes

# Rows out of every stage: one schema, told apart by `kind` (finding, file, error, capture).
# `url` is the URL key of a capture and of its findings; `row` a finding's JSONL row, a file's
# manifest entry, an error's JSON, or a capture's locator (JSON: path, offset, length …).
OUT_DDL = (
    "kind string, file string, start long, rule string, message string, seq long, "
    "idx long, url string, row string"
)
OUT = pa.schema(
    [
        ("kind", pa.string()),
        ("file", pa.string()),
        ("start", pa.int64()),
        ("rule", pa.string()),
        ("message", pa.string()),
        ("seq", pa.int64()),
        ("idx", pa.int64()),
        ("url", pa.string()),
        ("row", pa.string()),
    ]
)
# What the driver hands the tasks: the plan, no content.
PLAN_DDL = "idx long, path string, grp string, is_ref boolean"

# An output batch is flushed past this many bytes of rows: Arrow string columns hold 2 GiB at
# most, and one document's manifest entry is about its size.
FLUSH_BYTES = 32 << 20
# Files over this size are errors, as in `collatio check` (its default --max-file-size).
MAX_FILE = 256 << 20


class _Rows:
    """Output rows of one task, flushed as record batches of bounded size."""

    def __init__(self):
        self.cols = {f.name: [] for f in OUT}
        self.bytes = 0

    def add(self, kind, idx, row, seq=0, key=None, url=None, file=None):
        """One row; `key` is a finding's sort key `(file, start, rule, message)` as the engine
        gives it (no JSON is parsed here)."""
        c = self.cols
        c["kind"].append(kind)
        c["file"].append(key[0] if key else file)
        c["start"].append(key[1] if key else None)
        c["rule"].append(key[2] if key else None)
        c["message"].append(key[3] if key else None)
        c["seq"].append(seq)
        c["idx"].append(idx)
        c["url"].append(url)
        c["row"].append(row)
        self.bytes += len(row)

    def full(self):
        return self.bytes >= FLUSH_BYTES

    def batch(self):
        b = pa.RecordBatch.from_pydict(self.cols, schema=OUT)
        self.__init__()
        return b


ARCHIVE_SUFFIXES = (".warc", ".warc.gz", ".wacz")


def _read(path):
    # An archive is read whatever its size, as `collatio check` reads it (its records are
    # limited one by one).
    limit = (1 << 62) if path.lower().endswith(ARCHIVE_SUFFIXES) else MAX_FILE
    try:
        return read_bytes(path, limit), None
    except OSError as e:
        return None, str(e)


def _read_range(path, offset, length):
    """`length` bytes of `path` from `offset`: one record of a WARC (a range read)."""
    try:
        with open(path, "rb") as f:
            f.seek(offset)
            return f.read(length), None
    except OSError as e:
        return None, f"{path}: {e}"


def _add_findings(out, rows, idx_of, url_of=lambda _d: None):
    """Finding rows `((row, file, start, rule, message), d)`, in the engine's order."""
    for seq, (r, d) in enumerate(rows):
        out.add("finding", idx_of(d), r[0], seq=seq, key=r[1:], url=url_of(d))


def _error(out, idx, e, path, msg, seq=0):
    out.add("error", idx, json.dumps({"file": e.display(path), "error": msg}), seq=seq)


def _captures(out, e, idx, path, caps):
    """Stage-1 rows of an archive: manifest entries, errors, captures, their findings."""
    captures, rows, row_capture, manifest, errors = caps
    out.add("archive", idx, "")
    for seq, msg in enumerate(errors):
        _error(out, idx, e, path, msg, seq=seq)
    for seq, entry in enumerate(manifest):
        out.add("file", idx, entry, seq=seq)
    for seq, (name, key, offset, length, orig_offset, orig_length) in enumerate(captures):
        loc = {"path": path, "offset": offset, "length": length,
               "orig_offset": orig_offset, "orig_length": orig_length}
        if key is not None:
            out.add("capture", idx, json.dumps(loc), seq=seq, url=key, file=name)
    _add_findings(out, zip(rows, row_capture), lambda _d: idx, lambda c: captures[c][1])


def _documents(options):
    """Stage 1 (mapInArrow): manifest entries of every document (one per capture of a WARC or
    WACZ), findings of ungrouped text and HTML files and of every capture, a `capture` row per
    capture with a URL key."""

    def run(batches):
        e = _engine(*options)
        out = _Rows()
        for b in batches:
            cols = b.to_pydict()
            for idx, path, grp in zip(cols["idx"], cols["path"], cols["grp"]):
                content, err = _read(path)
                if err is not None:
                    _error(out, idx, e, path, err)
                    continue
                caps = e.check_captures(path, content)
                if caps is not None:
                    _captures(out, e, idx, path, caps)
                else:
                    rows, manifest, errors, _ = e.check_file(path, content, grp is None)
                    for seq, msg in enumerate(errors):
                        _error(out, idx, e, path, msg, seq=seq)
                    for seq, entry in enumerate(manifest):
                        out.add("file", idx, entry, seq=seq)
                    _add_findings(out, ((r, 0) for r in rows), lambda _d: idx)
                if out.full():
                    yield out.batch()
        yield out.batch()

    return run


def _capture_groups(options, max_group):
    """Stage 2 for web archives (applyInArrow per URL key): the captures of one page, each
    range-read from its archive, checked together as `collatio check` checks them."""

    def run(key, table):
        url = key[0].as_py() if hasattr(key[0], "as_py") else key[0]
        e = _engine(*options)
        out = _Rows()
        members = sorted(
            zip(*[table.column(c).to_pylist() for c in ("idx", "seq", "file", "row")])
        )
        if len(members) > max_group:
            msg = (
                f"{len(members)} captures of {url}, over --max-group {max_group}: not collated; "
                "each capture was checked alone. Raise the cap to collate them."
            )
            out.add("error", members[0][0], json.dumps({"group": url, "error": msg}))
            for m in members:
                _capture_group(out, e, [m])
        else:
            _capture_group(out, e, members)
        return pa.Table.from_batches([out.batch()])

    return run


def _capture_group(out, e, members):
    """Read the records of `members` (idx, seq, name, locator JSON) and check them together."""
    whole = {}
    kept = []
    args = ([], [], [], [], [], [], [])
    for m in members:
        idx, _, name, loc = m
        loc = json.loads(loc)
        path, ranged = loc["path"], loc["length"] >= 0
        orig = None
        if ranged:
            content, err = _read_range(path, loc["offset"], loc["length"])
            if err is None and loc["orig_offset"] >= 0 and loc["orig_length"] >= 0:
                orig, err = _read_range(path, loc["orig_offset"], loc["orig_length"])
        else:
            # No range for this record (a WACZ, a whole-file gzip): the archive, once per group.
            if path not in whole:
                whole[path] = _read(path)
            content, err = whole[path]
        if err is not None:
            out.add("error", idx, json.dumps({"file": name, "error": err}))
            continue
        kept.append(m)
        values = (path, name, content, ranged, loc["offset"], orig, max(loc["orig_offset"], 0))
        for a, v in zip(args, values):
            a.append(v)
    if not kept:
        return
    rows, row_member, errors = e.check_capture_group(*args)
    for (idx, _, name, _), err in zip(kept, errors):
        if err is not None:
            out.add("error", idx, json.dumps({"file": name, "error": err}))
    _add_findings(out, zip(rows, row_member), lambda m: kept[m][0])


def _groups(options, max_group):
    """Stage 2 (applyInArrow per group): the group's files read again and checked together."""

    def run(key, table):
        name = key[0].as_py() if hasattr(key[0], "as_py") else key[0]
        e = _engine(*options)
        out = _Rows()
        rows = sorted(
            zip(*[table.column(c).to_pylist() for c in ("is_ref", "idx", "path")]),
            key=lambda r: (not r[0], r[1]),
        )
        if len(rows) > max_group:
            msg = (
                f"witness group {name!r} has {len(rows)} files, over --max-group {max_group}: "
                "not collated; each file was checked alone. Split the group or raise the cap."
            )
            out.add("error", rows[0][1], json.dumps({"group": name, "error": msg}))
        read = [(r, *_read(r[2])) for r in rows]
        # Unreadable files are in errors.jsonl (stage 1); the group goes on without them, and
        # without a readable reference each file is checked alone.
        ok = [(r, content) for r, content, err in read if err is None]
        if len(rows) > max_group or not ok or not ok[0][0][0] or len(ok) == 1:
            for (_, idx, path), content in ok:
                found, docs, _, _ = e.check_documents([path], [content], [True])
                _add_findings(out, zip(found, docs), lambda _d, i=idx: i)
            return pa.Table.from_batches([out.batch()])
        found, docs, _, _ = e.check_group([r[2] for r, _ in ok], [c for _, c in ok])
        _add_findings(out, zip(found, docs), lambda d: ok[d][0][1])
        return pa.Table.from_batches([out.batch()])

    return run


def plan(e, paths, against):
    """The driver's plan: (idx, path, group, is_ref) rows, errors met on the walk."""
    files, displays, groups, is_ref, errors = e.plan(paths, against)
    # A group is named by its reference (messages name it).
    names = {g: d for d, g, r in zip(displays, groups, is_ref) if r}
    rows = []
    for i, (f, g, r) in enumerate(zip(files, groups, is_ref)):
        rows.append((i, f, None if g < 0 else names.get(g, f"group {g}"), bool(r)))
    return rows, errors


def _session(master, records_per_batch, driver_memory):
    from pyspark.sql import SparkSession

    return (
        SparkSession.builder.master(master)
        .appName("collatio")
        # The driver streams findings.jsonl and manifest.json a partition at a time; in local
        # mode it is also the executor and holds the persisted rows (1g failed at 200 MB).
        .config("spark.driver.memory", driver_memory)
        # Batches of paths in, findings out: a batch of 64 documents' rows stays far below
        # Arrow's 2 GiB per column (each task also flushes at FLUSH_BYTES).
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", str(records_per_batch))
        .config("spark.sql.shuffle.partitions", os.environ.get("COLLATIO_SHUFFLE_PARTITIONS", "8"))
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )


def _by_url(stage1):
    """With --group-by url: each file's group is its front matter's original_url (or url)."""
    from pyspark.sql import functions as F

    files = stage1.where("kind = 'file'").select(
        "idx",
        F.coalesce(
            F.get_json_object("row", "$.front_matter.original_url"),
            F.get_json_object("row", "$.front_matter.url"),
            F.concat(F.lit("file "), F.col("idx").cast("string")),
        ).alias("grp"),
    )
    return files


def _paths_from(spark, path):
    """The plan from a list of paths (one a line; blank lines and `#` comments skipped), read
    by Spark: the driver neither walks nor holds the list. No witness groups of files."""
    from pyspark.sql import functions as F

    lines = spark.read.text(path).where("trim(value) != '' and not startswith(trim(value), '#')")
    rows = lines.rdd.zipWithIndex().map(lambda r: (r[1], _local(r[0][0].strip()), None, False))
    return spark.createDataFrame(rows, PLAN_DDL).withColumn("grp", F.lit(None).cast("string"))


def _local(p):
    # Tasks open files themselves: a local (or shared-mount) path, `file:` URLs allowed.
    return p[len("file://"):] if p.startswith("file://") else p


def _web_archives(stage1, options, max_group):
    """Captures grouped by URL key: the count, stage 2 for URLs seen twice or more, and the
    stage-1 findings that stay (those of captures whose URL is seen once)."""
    captures = stage1.where("kind = 'capture'")
    shared = captures.groupBy("url").count().where("count > 1").select("url")
    stage2 = (
        captures.join(shared, "url", "left_semi")
        .groupBy("url")
        .applyInArrow(_capture_groups(options, max_group), OUT_DDL)
    )
    found = stage1.where("kind = 'finding' and url is not null")
    kept = found.join(shared, "url", "left_anti").select(*OUT.names)
    return kept.unionByName(stage2)


def run(args):
    options = (args.config, tuple(args.rules), None)
    e = _engine(*options)
    spark = _session(args.master, args.records_per_batch, args.driver_memory)
    from pyspark.sql import functions as F

    parts = args.partitions or max(1, spark.sparkContext.defaultParallelism * 4)
    if args.paths_from:
        if args.paths or args.against:
            raise ValueError("--paths-from names the files: give no PATH and no --against")
        planned, walk_errors = _paths_from(spark, args.paths_from), []
    else:
        rows, walk_errors = plan(e, args.paths, args.against)
        planned = spark.createDataFrame(rows, PLAN_DDL)
    # Ranges of consecutive files: the manifest is then written in order with a sort within
    # each partition, not a global sort (a shuffle of the whole manifest).
    planned = planned.repartitionByRange(parts, "idx")
    if args.group_by == "url":
        # Every file goes to stage 2, grouped by the captured page; the earliest file in the
        # walk is the reference of its group.
        planned = planned.withColumn("grp", F.lit("url"))
    stage1 = planned.mapInArrow(_documents(options), OUT_DDL).persist()
    # Archives are grouped by capture (below), never as files.
    archives = stage1.where("kind = 'archive'").select("idx")
    if args.group_by == "url":
        keyed = _by_url(stage1).join(archives, "idx", "left_anti")
        members = planned.select("idx", "path").join(keyed, "idx")
        first = members.groupBy("grp").agg(F.min("idx").alias("ref_idx"))
        members = members.join(first, "grp").select(
            "idx", "path", "grp", (F.col("idx") == F.col("ref_idx")).alias("is_ref")
        )
    else:
        members = planned.where("grp is not null").join(archives, "idx", "left_anti")
    stage2 = members.groupBy("grp").applyInArrow(_groups(options, args.max_group), OUT_DDL)
    mine = stage1.where("kind = 'error' or (kind = 'finding' and url is null)")
    out = mine.unionByName(_web_archives(stage1, options, args.max_group)).unionByName(stage2)
    # Findings and errors are kept for the writes; the manifest is read from stage 1 (kept
    # once, not twice).
    return spark, (out.persist(), stage1.where("kind = 'file'")), walk_errors


def write(spark, out, walk_errors, outdir):
    """Write findings.jsonl, findings.parquet, manifest.json and errors.jsonl into `outdir`;
    `out` is (findings and errors, manifest entries)."""
    out, files = out
    os.makedirs(outdir, exist_ok=True)
    findings = out.where("kind = 'finding'").orderBy("file", "start", "rule", "message", "seq")
    n = 0
    tmp = os.path.join(outdir, ".findings.jsonl.tmp")
    with open(tmp, "wb") as w:
        # Sorted by range: the part files, in partition order, are the findings in order.
        for part in _parts(findings, os.path.join(outdir, ".findings.parts")):
            with open(part, "rb") as r:
                for line in r:
                    w.write(line)
                    n += 1
    os.replace(tmp, os.path.join(outdir, "findings.jsonl"))
    _write_parquet(outdir)
    _write_manifest(files, outdir)
    errors = 0
    with open(os.path.join(outdir, "errors.jsonl"), "w", encoding="utf-8") as w:
        for msg in walk_errors:
            w.write(json.dumps({"error": msg}, ensure_ascii=False) + "\n")
            errors += 1
        for r in out.where("kind = 'error'").orderBy("idx", "seq", "row").select("row").toLocalIterator():
            w.write(r[0] + "\n")
            errors += 1
    return n, errors


def _write_parquet(outdir):
    """findings.parquet from findings.jsonl, parsed by Arrow's JSON reader (C++, streamed in
    blocks) with the schema of `arrow.FINDINGS`: no row is parsed in Python or in the JVM."""
    import shutil

    import pyarrow.json as pj
    import pyarrow.parquet as pq

    from .arrow import FINDINGS

    src = os.path.join(outdir, "findings.jsonl")
    dst = os.path.join(outdir, "findings.parquet")
    if os.path.isdir(dst):
        shutil.rmtree(dst)
    tmp = os.path.join(outdir, ".findings.parquet.tmp")
    parse = pj.ParseOptions(explicit_schema=FINDINGS, unexpected_field_behavior="ignore")
    with pq.ParquetWriter(tmp, FINDINGS) as w:
        if os.path.getsize(src):
            for b in pj.open_json(src, parse_options=parse):
                w.write_batch(b.select(FINDINGS.names))
    os.replace(tmp, dst)


def _parts(df, folder):
    """The `row` column of `df` written by the executors as text (one row a line), and the
    part files in partition order: rows reach the driver as file bytes, not as Python objects
    through the JVM (`toLocalIterator` pickles every row). Removed when the caller is done."""
    import shutil

    df.select("row").write.mode("overwrite").text(folder)
    try:
        names = sorted(n for n in os.listdir(folder) if n.startswith("part-"))
        for n in names:
            yield os.path.join(folder, n)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _write_manifest(files, outdir):
    """manifest.json as `collatio fingerprint` writes it: files in the walk's order (the plan
    is range-partitioned by it, so partitions come in order and are sorted within)."""
    tmp = os.path.join(outdir, ".manifest.json.tmp")
    ordered = files.sortWithinPartitions("idx", "seq")
    with open(tmp, "wb") as w:
        w.write(b'{"collatio_manifest": 1, "files": [')
        sep = b"\n"
        for part in _parts(ordered, os.path.join(outdir, ".manifest.parts")):
            with open(part, "rb") as r:
                for line in r:
                    w.write(sep)
                    w.write(line.rstrip(b"\n"))
                    sep = b",\n"
        w.write(b"\n]}\n")
    os.replace(tmp, os.path.join(outdir, "manifest.json"))


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m collatio.spark", description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="command", required=True)
    c = sub.add_parser("check", help="check files and folders, as `collatio check` does")
    c.add_argument("paths", nargs="*", help="files and folders (default: what the config names)")
    c.add_argument("--output", required=True, help="folder to write the results into")
    c.add_argument("--master", default="local[2]", help="Spark master URL (default local[2])")
    c.add_argument("--config", help="collatio.toml (its paths, groups, severities, root)")
    c.add_argument("--rules", action="append", default=[], help="rule-data folder (repeatable)")
    c.add_argument("--against", help="collate every file against this reference")
    c.add_argument(
        "--group-by",
        choices=["config", "url"],
        default="config",
        help="witness groups from the config and --against, or one per captured URL",
    )
    c.add_argument(
        "--paths-from",
        help="a file listing the paths to check, one a line (as cc-pyspark's *.paths); "
        "read by Spark, no walk",
    )
    c.add_argument(
        "--max-group",
        type=int,
        default=10000,
        help="most members of a witness group or captures of one URL (default 10000)",
    )
    c.add_argument("--partitions", type=int, default=0, help="partitions of the file list")
    c.add_argument("--records-per-batch", type=int, default=64, help="Arrow batch size")
    c.add_argument("--driver-memory", default="4g", help="Spark driver memory (default 4g)")
    args = p.parse_args(argv)
    t0 = time.time()
    try:
        spark, out, walk_errors = run(args)
    except ValueError as e:
        print(f"collatio.spark: {e}", file=sys.stderr)
        return 2
    n, errors = write(spark, out, walk_errors, args.output)
    spark.stop()
    print(
        f"collatio.spark: {n} finding{'s' if n != 1 else ''}, {errors} error"
        f"{'s' if errors != 1 else ''} in {time.time() - t0:.1f} s -> {args.output}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
