"""The Spark job is the same tool: on an archive of a few thousand files, its findings equal
`collatio check`'s (same rows, same order, same fingerprints), its manifest equals `collatio
fingerprint`'s, and `collatio report` on its findings gives check's exit code and SARIF.

Needs the `collatio` Python package installed (maturin) with pyspark and Java 17, and the
`collatio` binary: $COLLATIO_BIN, else target/debug (what `cargo test` just built), else
target/release of the repository.
"""

import json
import os
import subprocess
import sys

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def binary():
    b = os.environ.get("COLLATIO_BIN")
    if b:
        return b
    for profile in ("debug", "release"):
        p = os.path.join(ROOT, "target", profile, "collatio")
        if os.path.exists(p):
            return p
    pytest.fail("no collatio binary: run `cargo build` or set COLLATIO_BIN")


def collatio(work, *args):
    env = dict(os.environ, NO_COLOR="1")
    return subprocess.run([binary(), *args], cwd=work, capture_output=True, env=env)


def spark(work, *args):
    return subprocess.run(
        [sys.executable, "-m", "collatio.spark", "check", *args],
        cwd=work,
        capture_output=True,
        text=True,
    )


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    w = str(tmp_path_factory.mktemp("spark"))
    files = os.environ.get("COLLATIO_SPARK_FILES", "2400")
    subprocess.run(
        [sys.executable, os.path.join(HERE, "make_archive.py"), w, files, "60"], check=True
    )
    return w


@pytest.fixture(scope="module")
def checked(work):
    """`collatio check` and `collatio fingerprint` on the archive, with the witness groups."""
    o = collatio(work, "check", "--config", "groups.toml", "--format", "jsonl")
    assert o.returncode == 1, o.stderr
    m = collatio(work, "fingerprint", "--config", "groups.toml", "archive", "-o", "check-manifest.json")
    assert m.returncode == 0, m.stderr
    with open(os.path.join(work, "check.jsonl"), "wb") as f:
        f.write(o.stdout)
    return o


@pytest.fixture(scope="module")
def sparked(work):
    o = spark(work, "--config", "groups.toml", "--output", "out")
    assert o.returncode == 0, o.stderr[-4000:]
    return os.path.join(work, "out")


def read(path):
    with open(path, "rb") as f:
        return f.read()


def test_findings_equal_check(checked, sparked):
    mine = read(os.path.join(sparked, "findings.jsonl"))
    rows = checked.stdout.decode().splitlines()
    assert len(rows) > 1000
    # Collation findings are there, not only single-document ones.
    assert any('"code":"CL001"' in r and "pages/" in r for r in rows)
    assert mine.decode().splitlines() == rows
    assert mine == checked.stdout


def test_manifest_equals_fingerprint(work, checked, sparked):
    a = json.loads(read(os.path.join(work, "check-manifest.json")))
    b = json.loads(read(os.path.join(sparked, "manifest.json")))
    assert len(b["files"]) == 2580
    assert a == b


def test_parquet_has_the_jsonl_fields(checked, sparked):
    t = pq.read_table(os.path.join(sparked, "findings.parquet"))
    rows = [json.loads(r) for r in checked.stdout.decode().splitlines()]
    assert t.num_rows == len(rows)
    # Every JSONL field is a column; `anchors` and `record` are columns even where the JSONL
    # leaves them out (no context; not a web-archive capture).
    keys = set().union(*rows)
    assert keys <= set(t.column_names) <= keys | {"anchors", "record"}
    key = lambda r: (r["file"], r["start"], r["rule"], r["fingerprint"])
    assert sorted(key(r) for r in t.to_pylist()) == sorted(key(r) for r in rows)


def test_report_gates_as_check(work, checked, sparked):
    for extra in ([], ["--baseline", "accepted.json"]):
        if extra:
            # Accept the findings of the bulk files only: the pages' findings stay new.
            b = collatio(work, "baseline", "--config", "plain.toml", "archive/bulk", "-o", "accepted.json")
            assert b.returncode == 0, b.stderr
        c = collatio(work, "check", "--config", "groups.toml", "--format", "sarif", *extra)
        r = collatio(
            work, "report", "--config", "groups.toml", "out/findings.jsonl",
            "--manifest", "out/manifest.json", "--format", "sarif", *extra,
        )
        assert r.returncode == c.returncode == 1, r.stderr
        assert r.stdout == c.stdout
    # Everything accepted: both pass.
    b = collatio(work, "baseline", "--config", "groups.toml", "-o", "all.json")
    assert b.returncode == 0, b.stderr
    c = collatio(work, "check", "--config", "groups.toml", "--format", "sarif", "--baseline", "all.json")
    r = collatio(work, "report", "--config", "groups.toml", "out/findings.jsonl", "--format", "sarif", "--baseline", "all.json")
    assert r.returncode == c.returncode == 0


def test_groups_by_captured_url(work, checked):
    """--group-by url finds the config's groups from the front matter alone."""
    o = spark(work, "--config", "plain.toml", "--group-by", "url", "--output", "out-url")
    assert o.returncode == 0, o.stderr[-4000:]
    assert read(os.path.join(work, "out-url", "findings.jsonl")) == checked.stdout


def test_group_cap_is_reported(work, checked):
    """A group over the cap is not collated, says so, and its files are still checked alone."""
    bulk = [f"archive/bulk/{k:05d}.txt" for k in range(10)]
    args = ["--against", "archive/pages/000_0.txt", "archive/pages", *bulk]
    o = spark(work, "--config", "plain.toml", "--max-group", "50", "--output", "out-cap", *args)
    assert o.returncode == 0, o.stderr[-4000:]
    errors = read(os.path.join(work, "out-cap", "errors.jsonl")).decode()
    assert "190 files, over --max-group 50" in errors
    found = read(os.path.join(work, "out-cap", "findings.jsonl")).decode()
    alone = collatio(work, "check", "--config", "plain.toml", "--format", "jsonl", "archive/pages", *bulk)
    assert found and found == alone.stdout.decode()


def test_arrow_batches():
    import collatio
    from collatio import arrow

    batch = pa.RecordBatch.from_pydict(
        {
            "path": ["a.txt", "b.txt"],
            "content": [
                "生產生活秩序加快恢覆的態勢。\n".encode(),
                "外交部发言人介绍有关情况有关情况有关情况。\n".encode("gb18030"),
            ],
        }
    )
    findings, units, files = arrow.check(batch)
    assert findings.schema == arrow.FINDINGS
    assert units.schema == arrow.UNITS
    assert set(findings.column("file").to_pylist()) == {"a.txt", "b.txt"}
    assert "loop" in findings.column("category").to_pylist()
    assert files.column("encoding").to_pylist() == ["UTF-8", "gb18030"]
    assert units.num_rows == 2
    # The rule data is loaded once per process.
    assert collatio.engine() is collatio.engine()


def _warc_record(uri, date, rid, html):
    """One gzip member: a WARC/1.1 `response` record of an HTML page (as tests/common/warc.rs)."""
    import base64
    import gzip
    import hashlib

    body = html.encode("utf-8")
    block = (
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body
    b32 = lambda b: "sha1:" + base64.b32encode(hashlib.sha1(b).digest()).decode()
    head = (
        f"WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\nWARC-Date: {date}\r\n"
        f"WARC-Record-ID: <urn:uuid:{rid}>\r\nWARC-Block-Digest: {b32(block)}\r\n"
        f"WARC-Payload-Digest: {b32(body)}\r\n"
        "Content-Type: application/http; msgtype=response\r\n"
        f"Content-Length: {len(block)}\r\n\r\n"
    ).encode()
    return gzip.compress(head + block + b"\r\n\r\n")


def _page(text):
    """A seed (front matter and body) as a news page: title, canonical link, nav, article."""
    import html as h

    fm, body = text.split("---\n", 2)[1:] if text.startswith("---\n") else ("", text)
    titles = [l.split(":", 1)[1].strip().strip('"') for l in fm.splitlines() if l.startswith("title:")]
    title = titles[0] if titles else body.strip().splitlines()[0]
    paras = "".join(
        f"<p>{h.escape(b.strip())}</p>\n" for b in body.split("\n\n") if b.strip() and not b.startswith("# ")
    )
    return (
        f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{h.escape(title)}</title></head>"
        f"<body><nav><a href=\"/\">首页</a></nav><article><h1>{h.escape(title)}</h1>\n{paras}</article>"
        "<footer>版权所有</footer></body></html>"
    )


def test_web_archives_equal_check(tmp_path):
    """WARC captures (and an HTML page) read as `collatio check` reads them: one document per
    capture, and two captures of one URL in two archives collated as a witness group."""
    seeds = os.path.join(ROOT, "fixtures", "seeds")
    text = read(os.path.join(seeds, "002_3a4511cf1fe87385.txt")).decode()
    page = _page(text)
    para = next(p for p in page.split("<p>")[2:] if "，" in p)
    cut = para.index("，")
    edited = page.replace(para, para[: cut - 1] + "某" + para[cut:], 1)
    assert edited != page
    uri = "https://www.example.com/news/2020/04/07/1.html"
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.warc.gz").write_bytes(
        _warc_record(uri, "2020-04-07T10:00:00Z", "00000000-0000-0000-0000-000000000001", page)
    )
    (d / "b.warc.gz").write_bytes(
        _warc_record(uri, "2021-07-12T04:17:56Z", "00000000-0000-0000-0000-000000000002", edited)
    )
    (d / "c.html").write_text(_page(read(os.path.join(seeds, "001_48fa0945fdd95d78.txt")).decode()))
    work = str(tmp_path)
    o = collatio(work, "check", "--no-config", "--format", "jsonl", "in")
    assert o.returncode == 1, o.stderr
    s = spark(work, "--output", "out", "in")
    assert s.returncode == 0, s.stderr[-4000:]
    mine = read(os.path.join(work, "out", "findings.jsonl"))
    assert mine.decode().splitlines() == o.stdout.decode().splitlines()
    assert mine == o.stdout
    # The edit is found by collating the captures: not there when the second is checked alone.
    alone = collatio(work, "check", "--no-config", "--format", "jsonl", "in/b.warc.gz").stdout
    extra = set(o.stdout.decode().splitlines()) - set(alone.decode().splitlines())
    assert any("b.warc.gz" in r and "某" in r for r in extra), extra
    assert any("c.html" in r for r in mine.decode().splitlines())
    m = collatio(work, "fingerprint", "--no-config", "in", "-o", "check-manifest.json")
    assert m.returncode == 0, m.stderr
    assert json.loads(read(os.path.join(work, "check-manifest.json"))) == json.loads(
        read(os.path.join(work, "out", "manifest.json"))
    )
