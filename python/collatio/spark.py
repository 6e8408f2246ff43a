"""collatio on Apache Spark: ``python -m collatio.spark check PATH… --output DIR``.

The driver plans the run as ``collatio check`` does (the same walk, the same witness groups, from
the engine itself) and hands Spark the list of paths only: each task opens its files itself (as
cc-pyspark does with WARC paths), so no document crosses the network but to its task.

1. ``mapInArrow``: per file, the manifest entry (fingerprints) and, for a file in no witness
   group, the single-document rules.
2. ``groupBy(group).applyInArrow``: per witness group (the config's groups, ``--against REF``,
   or with ``--group-by url`` the captures of one ``original_url``), the group's files are read
   again in their task and checked together: single-document rules, collation, one finding per
   fault. Only paths are shuffled. A group over ``--max-group`` members is not collated (an
   error row says so) and its files are checked alone.

Writes ``DIR/findings.jsonl`` (the rows and order of ``collatio check --format jsonl``),
``DIR/findings.parquet`` (the same fields as columns), ``DIR/manifest.json`` (as ``collatio
fingerprint`` writes it) and ``DIR/errors.jsonl`` (files that could not be read). Gate them
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

# Rows out of both stages: one schema, told apart by `kind` (finding, file, error).
OUT_DDL = (
    "kind string, file string, start long, rule string, message string, seq long, "
    "idx long, row string"
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

    def add(self, kind, idx, row, seq=0, finding=None):
        f = json.loads(row) if finding is None and kind == "finding" else finding
        c = self.cols
        c["kind"].append(kind)
        c["file"].append(f["file"] if f else None)
        c["start"].append(f["start"] if f else None)
        c["rule"].append(f["rule"] if f else None)
        c["message"].append(f["message"] if f else None)
        c["seq"].append(seq)
        c["idx"].append(idx)
        c["row"].append(row)
        self.bytes += len(row)

    def full(self):
        return self.bytes >= FLUSH_BYTES

    def batch(self):
        b = pa.RecordBatch.from_pydict(self.cols, schema=OUT)
        self.__init__()
        return b


ARCHIVE_SUFFIXES = (".warc", ".warc.gz", ".wacz")
# The group every WARC and WACZ of a run goes to: captures of one page across archives are a
# witness group, as in `collatio check`.
ARCHIVES = "\x00archives"


def _read(path):
    # An archive is read whatever its size, as `collatio check` reads it (its records are
    # limited one by one).
    limit = (1 << 62) if path.lower().endswith(ARCHIVE_SUFFIXES) else MAX_FILE
    try:
        return read_bytes(path, limit), None
    except OSError as e:
        return None, str(e)


def _add_findings(out, rows, idx_of):
    for seq, (row, d) in enumerate(rows):
        out.add("finding", idx_of(d), row, seq=seq)


def _documents(options):
    """Stage 1 (mapInArrow): manifest entries of every document (one per capture of a WARC or
    WACZ), findings of ungrouped text and HTML files, and an `archive` row per archive."""

    def run(batches):
        e = _engine(*options)
        out = _Rows()
        for b in batches:
            cols = b.to_pydict()
            for idx, path, grp in zip(cols["idx"], cols["path"], cols["grp"]):
                content, err = _read(path)
                if err is not None:
                    out.add("error", idx, json.dumps({"file": e.display(path), "error": err}))
                    continue
                rows, manifest, errors, archive = e.check_file(path, content, grp is None)
                for seq, msg in enumerate(errors):
                    out.add("error", idx, json.dumps({"file": e.display(path), "error": msg}), seq=seq)
                for seq, entry in enumerate(manifest):
                    out.add("file", idx, entry, seq=seq)
                if archive:
                    out.add("archive", idx, "")
                _add_findings(out, ((r, 0) for r in rows), lambda _d: idx)
                if out.full():
                    yield out.batch()
        yield out.batch()

    return run


def _groups(options, max_group):
    """Stage 2 (applyInArrow per group): the group's files read again and checked together."""

    def run(key, table):
        name = key[0].as_py() if hasattr(key[0], "as_py") else key[0]
        e = _engine(*options)
        out = _Rows()
        if name == ARCHIVES:
            # All the run's archives in one task: the captures of one page may be in any of
            # them, and check merges each capture's own findings with its collation's.
            rows = sorted(zip(table.column("idx").to_pylist(), table.column("path").to_pylist()))
            ok = [(idx, path, content) for idx, path in rows for content, err in [_read(path)]
                  if err is None]
            found, files = e.check_archives([p for _, p, _ in ok], [c for _, _, c in ok])
            _add_findings(out, zip(found, files), lambda d: ok[d][0])
            return pa.Table.from_batches([out.batch()])
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


def run(args):
    options = (args.config, tuple(args.rules), None)
    e = _engine(*options)
    rows, walk_errors = plan(e, args.paths, args.against)
    spark = _session(args.master, args.records_per_batch, args.driver_memory)
    from pyspark.sql import functions as F

    parts = args.partitions or max(1, spark.sparkContext.defaultParallelism * 4)
    planned = spark.createDataFrame(rows, PLAN_DDL).repartition(parts, "idx")
    if args.group_by == "url":
        # Every file goes to stage 2, grouped by the captured page; the earliest file in the
        # walk is the reference of its group.
        planned = planned.withColumn("grp", F.lit("url"))
    stage1 = planned.mapInArrow(_documents(options), OUT_DDL).persist()
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
    members = members.unionByName(
        planned.join(archives, "idx").select(
            "idx", "path", F.lit(ARCHIVES).alias("grp"), F.lit(False).alias("is_ref")
        )
    )
    stage2 = members.groupBy("grp").applyInArrow(_groups(options, args.max_group), OUT_DDL)
    out = stage1.unionByName(stage2).persist()
    return spark, out, walk_errors


def write(spark, out, walk_errors, outdir):
    """Write findings.jsonl, findings.parquet, manifest.json and errors.jsonl into `outdir`."""
    from pyspark.sql import functions as F

    os.makedirs(outdir, exist_ok=True)
    findings = out.where("kind = 'finding'").orderBy("file", "start", "rule", "message", "seq")
    n = 0
    tmp = os.path.join(outdir, ".findings.jsonl.tmp")
    with open(tmp, "w", encoding="utf-8") as w:
        for r in findings.select("row").toLocalIterator():
            w.write(r[0])
            w.write("\n")
            n += 1
    os.replace(tmp, os.path.join(outdir, "findings.jsonl"))
    (
        findings.select(F.from_json("row", _findings_ddl()).alias("f"))
        .select("f.*")
        .write.mode("overwrite")
        .parquet(os.path.join(outdir, "findings.parquet"))
    )
    _write_manifest(out, outdir)
    errors = 0
    with open(os.path.join(outdir, "errors.jsonl"), "w", encoding="utf-8") as w:
        for msg in walk_errors:
            w.write(json.dumps({"error": msg}, ensure_ascii=False) + "\n")
            errors += 1
        for r in out.where("kind = 'error'").orderBy("idx", "seq", "row").select("row").toLocalIterator():
            w.write(r[0] + "\n")
            errors += 1
    return n, errors


def _findings_ddl():
    """Spark's DDL for the Parquet columns, made from `arrow.FINDINGS` (one schema to keep)."""
    from .arrow import FINDINGS

    return ", ".join(f"`{f.name}` {_ddl(f.type)}" for f in FINDINGS)


def _ddl(t):
    """The Spark DDL type of an Arrow type (the kinds the findings schema uses)."""
    if pa.types.is_string(t):
        return "string"
    if pa.types.is_int64(t):
        return "long"
    if pa.types.is_list(t):
        return f"array<{_ddl(t.value_type)}>"
    if pa.types.is_struct(t):
        return "struct<" + ",".join(f"`{f.name}`:{_ddl(f.type)}" for f in t) + ">"
    raise TypeError(f"no Spark DDL for {t}")


def _write_manifest(out, outdir):
    """manifest.json as `collatio fingerprint` writes it: files in the walk's order."""
    tmp = os.path.join(outdir, ".manifest.json.tmp")
    with open(tmp, "w", encoding="utf-8") as w:
        w.write('{"collatio_manifest": 1, "files": [')
        first = True
        for r in out.where("kind = 'file'").orderBy("idx", "seq").select("row").toLocalIterator():
            if not first:
                w.write(",")
            w.write("\n")
            w.write(r[0])
            first = False
        w.write("\n]}\n")
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
    c.add_argument("--max-group", type=int, default=10000, help="most files in one group")
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
