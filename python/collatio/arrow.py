"""Documents in, findings and unit fingerprints out, as Arrow record batches.

Input: a record batch (or table) with ``path`` (string) and ``content`` (binary) columns, and
optional provenance: a ``provenance`` column (a JSON object as text, a map of strings, or a
struct) and the columns named in ``PROVENANCE_COLUMNS`` (``title``, ``date``, ``url``,
``original_url``, ``captured`` …). Their non-null values are front-matter fields of the
document, read by the rules as if the text began with them (fields the text's own front matter
has win). Other columns are not read: carry them to the outputs by ``path`` (join on it).

Outputs, with the fields of ``collatio check --format jsonl`` and ``collatio fingerprint``:

``FINDINGS`` — one row per finding: ``rule, code, category, severity, file, line, column,
end_line, end_column, start, end, message, help, label, witness, fingerprint`` and ``related``
(a list of ``{file, line, column, end_line, end_column, start, end, message}``; only ``message``
for a note), ``anchors`` (``{span, before, after}``: the identity in parts, for the baseline's
fuzzy pass; null when the finding has no context) and ``record`` (``{archive, offset, uri,
captured, id}`` for a finding in a web-archive capture, else null). Lines and columns are 1-based, columns count characters, ``start``/``end`` are byte
offsets in the decoded text.

``UNITS`` — one row per unit (paragraph, heading, chrome line): ``file, line, end_line, kind,
date, sha256_raw, sha256_norm, text, chrome``; ``FILES`` — one row per file: ``file, sha256,
size, encoding, script, front_matter`` (JSON text), ``error`` (why it could not be read, else
null).
"""

import io
import json

import pyarrow as pa
import pyarrow.json as pj

from . import engine as _engine

_RELATED = pa.struct(
    [
        ("file", pa.string()),
        ("line", pa.int64()),
        ("column", pa.int64()),
        ("end_line", pa.int64()),
        ("end_column", pa.int64()),
        ("start", pa.int64()),
        ("end", pa.int64()),
        ("message", pa.string()),
    ]
)

_ANCHORS = pa.struct([("span", pa.string()), ("before", pa.string()), ("after", pa.string())])

_RECORD = pa.struct(
    [
        ("archive", pa.string()),
        ("offset", pa.int64()),
        ("uri", pa.string()),
        ("captured", pa.string()),
        ("id", pa.string()),
    ]
)

FINDINGS = pa.schema(
    [
        ("rule", pa.string()),
        ("code", pa.string()),
        ("category", pa.string()),
        ("severity", pa.string()),
        ("file", pa.string()),
        ("line", pa.int64()),
        ("column", pa.int64()),
        ("end_line", pa.int64()),
        ("end_column", pa.int64()),
        ("start", pa.int64()),
        ("end", pa.int64()),
        ("message", pa.string()),
        ("help", pa.string()),
        ("label", pa.string()),
        ("witness", pa.string()),
        ("fingerprint", pa.string()),
        ("related", pa.list_(_RELATED)),
        ("anchors", _ANCHORS),
        ("record", _RECORD),
    ]
)

UNITS = pa.schema(
    [
        ("file", pa.string()),
        ("line", pa.int64()),
        ("end_line", pa.int64()),
        ("kind", pa.string()),
        ("date", pa.string()),
        ("sha256_raw", pa.string()),
        ("sha256_norm", pa.string()),
        ("text", pa.string()),
        ("chrome", pa.string()),
    ]
)

FILES = pa.schema(
    [
        ("file", pa.string()),
        ("sha256", pa.string()),
        ("size", pa.int64()),
        ("encoding", pa.string()),
        ("script", pa.string()),
        ("front_matter", pa.string()),
        ("error", pa.string()),
    ]
)


# Columns that are front-matter fields of their document (besides a `provenance` column).
PROVENANCE_COLUMNS = ("title", "date", "last_updated", "url", "original_url", "captured", "archive")


def findings_batch(rows):
    """JSONL rows (strings) as a ``FINDINGS`` record batch, parsed by Arrow's JSON reader."""
    if not rows:
        return pa.RecordBatch.from_pylist([], schema=FINDINGS)
    data = ("\n".join(rows) + "\n").encode("utf-8")
    parse = pj.ParseOptions(explicit_schema=FINDINGS, unexpected_field_behavior="ignore")
    t = pj.read_json(io.BytesIO(data), parse_options=parse).select(FINDINGS.names)
    return t.combine_chunks().to_batches()[0]


def _provenance(batch):
    """Per row, the JSON object of its provenance fields, or None (no provenance at all)."""
    names = batch.schema.names
    cols = [c for c in PROVENANCE_COLUMNS if c in names]
    if "provenance" not in names and not cols:
        return None
    rows = [{} for _ in range(batch.num_rows)]
    if "provenance" in names:
        for r, v in zip(rows, batch.column("provenance").to_pylist()):
            if isinstance(v, str):
                v = json.loads(v)
            elif isinstance(v, list):  # a map column: (key, value) pairs
                v = dict(v)
            r.update({k: x for k, x in (v or {}).items() if x is not None})
    for c in cols:
        for r, v in zip(rows, batch.column(c).to_pylist()):
            if v is not None:
                r[c] = v if isinstance(v, (str, int, float, bool)) else str(v)
    return [json.dumps(r, ensure_ascii=False) if r else None for r in rows]


def _unit_rows(entry):
    for u in entry["units"]:
        yield {"file": entry["path"], **u}


def check(batch, config=None, rules=()):
    """Run the single-document rules and fingerprints on ``batch`` (``path``, ``content``,
    optional provenance columns).

    Returns ``(findings, units, files)``, three record batches (schemas above). The engine
    (rule data) is built once per process for a given ``config`` and ``rules``.
    """
    if isinstance(batch, pa.Table):
        batch = batch.combine_chunks().to_batches()[0] if batch.num_rows else None
        if batch is None:
            return (FINDINGS.empty_table(), UNITS.empty_table(), FILES.empty_table())
    paths = batch.column("path").to_pylist()
    contents = batch.column("content").to_pylist()
    e = _engine(config, rules)
    rows, _, manifest, errors = e.check_documents(
        paths, contents, [True] * len(paths), _provenance(batch)
    )
    rows = [r[0] for r in rows]
    units, files = [], []
    for path, entry, err in zip(paths, manifest, errors):
        if entry is None:
            files.append({"file": e.display(path), "error": err})
            continue
        m = json.loads(entry)
        units.extend(_unit_rows(m))
        files.append(
            {
                "file": m["path"],
                "sha256": m["sha256"],
                "size": m["size"],
                "encoding": m["encoding"],
                "script": m.get("script"),
                "front_matter": json.dumps(m.get("front_matter", {}), ensure_ascii=False),
                "error": None,
            }
        )
    return (
        findings_batch(rows),
        pa.RecordBatch.from_pylist(units, schema=UNITS),
        pa.RecordBatch.from_pylist(files, schema=FILES),
    )
