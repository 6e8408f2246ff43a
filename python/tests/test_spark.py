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


def _b32(b):
    import base64
    import hashlib

    return "sha1:" + base64.b32encode(hashlib.sha1(b).digest()).decode()


def _warc(kind, uri, date, rid, block, extra=""):
    """One WARC/1.1 record (not compressed), as tests/common/warc.rs writes them."""
    head = (
        f"WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: {date}\r\n"
        f"WARC-Record-ID: <urn:uuid:{rid}>\r\nWARC-Block-Digest: {_b32(block)}\r\n{extra}"
        f"Content-Length: {len(block)}\r\n\r\n"
    ).encode()
    return head + block + b"\r\n\r\n"


def _response(uri, date, rid, html, gz=True):
    """A `response` record of an HTML page; one gzip member unless `gz` is false."""
    import gzip

    body = html.encode("utf-8")
    block = (
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body
    extra = f"WARC-Payload-Digest: {_b32(body)}\r\nContent-Type: application/http; msgtype=response\r\n"
    rec = _warc("response", uri, date, rid, block, extra)
    return gzip.compress(rec) if gz else rec


def _revisit(uri, date, rid, refers_to, html):
    """A `revisit` record (identical payload) of the response `refers_to`, one gzip member."""
    import gzip

    block = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
    extra = (
        "WARC-Profile: http://netpreserve.org/warc/1.1/revisit/identical-payload-digest\r\n"
        f"WARC-Refers-To: <urn:uuid:{refers_to}>\r\n"
        f"WARC-Payload-Digest: {_b32(html.encode())}\r\n"
        "Content-Type: application/http; msgtype=response\r\n"
    )
    return gzip.compress(_warc("revisit", uri, date, rid, block, extra))


def _request(uri, date, rid):
    import gzip

    block = f"GET / HTTP/1.1\r\nHost: {uri.split('/')[2]}\r\n\r\n".encode()
    return gzip.compress(_warc("request", uri, date, rid, block, "Content-Type: application/http; msgtype=request\r\n"))


def _warc_record(uri, date, rid, html):
    """One gzip member: a WARC/1.1 `response` record of an HTML page (as tests/common/warc.rs)."""
    return _response(uri, date, rid, html)


def _uuid(n):
    return f"00000000-0000-0000-0000-{n:012d}"


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


def _edit(page, k, mark):
    """`page` with one character of its k-th comma-bearing paragraph changed to `mark`."""
    def comma(p):
        return min((i for i in (p.find("，"), p.find(",")) if i > 1), default=-1)

    paras = [p for p in page.split("<p>")[2:] if comma(p) > 1]
    para = paras[k % len(paras)]
    cut = comma(para)
    out = page.replace(para, para[: cut - 1] + mark + para[cut:], 1)
    assert out != page
    return out


def _three_archives(d):
    """Three archives sharing pages: A captured in all three (under three spellings of its URL),
    B in two, D twice in one (a response and a revisit), C once; plus request records and an
    uncompressed WARC, so records are range-read from both kinds of file."""
    seeds = os.path.join(ROOT, "fixtures", "seeds")
    names = sorted(n for n in os.listdir(seeds) if n.endswith(".txt"))
    pages = [_page(read(os.path.join(seeds, n)).decode()) for n in names]
    a, b, c = pages[0], pages[1 % len(pages)], pages[2 % len(pages)]
    ua = "https://www.example.com/news/a.html"
    ub = "https://www.example.com/news/b.html"
    d.mkdir()
    (d / "1.warc.gz").write_bytes(
        _request(ua, "2020-04-01T00:00:00Z", _uuid(1))
        + _response(ua, "2020-04-01T00:00:01Z", _uuid(2), a)
        + _response(ub, "2020-04-01T00:00:02Z", _uuid(3), b)
    )
    (d / "2.warc.gz").write_bytes(
        _response("http://example.com/news/a.html", "2021-05-01T00:00:00Z", _uuid(4), _edit(a, 0, "某"))
        + _response(ub, "2021-05-01T00:00:01Z", _uuid(5), _edit(b, 1, "甲"))
        + _response("https://www.example.com/d.html", "2021-05-01T00:00:02Z", _uuid(6), c)
        + _request(ub, "2021-05-01T00:00:03Z", _uuid(7))
        + _revisit("https://www.example.com/d.html", "2022-01-01T00:00:00Z", _uuid(8), _uuid(6), c)
    )
    (d / "3.warc").write_bytes(
        _response("https://example.com:443/news/a.html?utm_source=x", "2022-06-01T00:00:00Z", _uuid(9),
                  _edit(_edit(a, 0, "某"), 2, "乙"), gz=False)
        + _response("https://www.example.com/c.html", "2022-06-01T00:00:01Z", _uuid(10), b, gz=False)
    )
    return ua


def test_captures_across_archives_equal_check(tmp_path):
    """Captures of one URL in three archives (and two in one) are grouped by URL and collated
    as `collatio check` collates them; the output is byte for byte check's."""
    _three_archives(tmp_path / "in")
    work = str(tmp_path)
    o = collatio(work, "check", "--no-config", "--format", "jsonl", "in")
    assert o.returncode == 1, o.stderr
    s = spark(work, "--output", "out", "in")
    assert s.returncode == 0, s.stderr[-4000:]
    mine = read(os.path.join(work, "out", "findings.jsonl")).decode().splitlines()
    assert mine == o.stdout.decode().splitlines()
    # Collation across files happened: the third capture of A differs from the first by 某
    # (added in the second archive) and 乙; B's second capture by 甲.
    alone = set(collatio(work, "check", "--no-config", "--format", "jsonl", "in/3.warc").stdout.decode().splitlines())
    extra = [r for r in mine if r not in alone]
    assert any("3.warc#" in r and "乙" in r for r in extra), extra
    assert any("2.warc.gz#" in r and "甲" in r for r in mine)
    m = collatio(work, "fingerprint", "--no-config", "in", "-o", "check-manifest.json")
    assert m.returncode == 0, m.stderr
    assert json.loads(read(os.path.join(work, "check-manifest.json"))) == json.loads(
        read(os.path.join(work, "out", "manifest.json"))
    )
    assert read(os.path.join(work, "out", "errors.jsonl")) == b""

    # The same files named in a list (cc-pyspark's *.paths), read by Spark: the same output.
    (tmp_path / "in.paths").write_text(
        "# the archives\n" + "".join(f"in/{n}\n" for n in ("1.warc.gz", "2.warc.gz", "3.warc")) + "\n"
    )
    s = spark(work, "--output", "out-list", "--paths-from", "in.paths")
    assert s.returncode == 0, s.stderr[-4000:]
    listed = read(os.path.join(work, "out-list", "findings.jsonl")).decode().splitlines()
    assert listed == mine
    assert read(os.path.join(work, "out-list", "manifest.json")) == read(os.path.join(work, "out", "manifest.json"))

    # Over the cap, a URL's captures are not collated (an error says so) and keep their own
    # findings; the other groups are still collated.
    s = spark(work, "--output", "out-cap", "--max-group", "2", "in")
    assert s.returncode == 0, s.stderr[-4000:]
    errors = read(os.path.join(work, "out-cap", "errors.jsonl")).decode()
    assert "3 captures of" in errors and "over --max-group 2" in errors, errors
    capped = read(os.path.join(work, "out-cap", "findings.jsonl")).decode().splitlines()
    assert not any("3.warc#" in r and "乙" in r for r in capped)
    assert any("2.warc.gz#" in r and "甲" in r for r in capped)
    singles = set()
    for n in ("1.warc.gz", "2.warc.gz", "3.warc"):
        singles |= set(collatio(work, "check", "--no-config", "--format", "jsonl", f"in/{n}").stdout.decode().splitlines())
    assert {r for r in capped if '/a.html' in r} <= singles


def test_provenance_columns():
    """Provenance given as columns is read as the document's front matter would be."""
    from collatio import arrow

    text = "3月1日\n\n◆外交部发言人介绍有关情况。\n".encode()
    plain = pa.RecordBatch.from_pydict({"path": ["a.txt"], "content": [text]})
    findings, _, files = arrow.check(plain)
    assert "provenance/bad-date" not in findings.column("rule").to_pylist()
    dated = pa.RecordBatch.from_pydict({"path": ["a.txt"], "content": [text], "date": ["2020-02-30"]})
    findings, _, files = arrow.check(dated)
    assert "provenance/bad-date" in findings.column("rule").to_pylist()
    assert json.loads(files.column("front_matter")[0].as_py())["date"] == "2020-02-30"
    # A JSON `provenance` column: the archive URL does not embed the stated original URL.
    prov = json.dumps({
        "url": "https://web.archive.org/web/20200301000000/https://example.com/a.html",
        "original_url": "https://example.com/b.html",
    })
    mixed = pa.RecordBatch.from_pydict({"path": ["a.txt"], "content": [text], "provenance": [prov]})
    findings, _, _ = arrow.check(mixed)
    assert "provenance/archive-url-mismatch" in findings.column("rule").to_pylist()
    # The text's own front matter wins over a column.
    own = ("---\ndate: 2020-03-01\n---\n".encode() + text)
    findings, _, files = arrow.check(
        pa.RecordBatch.from_pydict({"path": ["a.txt"], "content": [own], "date": ["2020-02-30"]})
    )
    assert "provenance/bad-date" not in findings.column("rule").to_pylist()
