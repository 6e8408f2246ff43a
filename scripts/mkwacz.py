#!/usr/bin/env python3
"""A WACZ of N small HTML captures (generated, no third-party text) with a CDXJ or classic CDX
index whose every entry is right: `python3 scripts/mkwacz.py N OUT.wacz cdxj|cdx`. For timing the
index check (PV011) on a package of many captures: README, "Benchmarks", "WACZ index check"."""
import gzip, hashlib, base64, json, zipfile, sys, io
N = int(sys.argv[1]); out = sys.argv[2]; kind = sys.argv[3] if len(sys.argv) > 3 else "cdxj"
warc = io.BytesIO(); entries = []
for i in range(N):
    url = f"https://news.example.org/2020/{i:05d}.html"
    body = f"<html><head><meta charset='utf-8'><title>会议 {i}</title></head><body><p>第{i}号通报：会议在北京举行，与会者讨论了恢复生产的安排。</p></body></html>".encode()
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
    digest = "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode()
    head = (f"WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: {url}\r\nWARC-Date: 2024-01-05T10:00:01Z\r\n"
            f"WARC-Record-ID: <urn:uuid:{i:08d}-0000-0000-0000-000000000000>\r\nContent-Type: application/http; msgtype=response\r\n"
            f"WARC-Payload-Digest: {digest}\r\nContent-Length: {len(http)}\r\n\r\n").encode()
    off = warc.tell()
    warc.write(gzip.compress(head + http + b"\r\n\r\n"))
    entries.append((url, off, digest))
w = warc.getvalue()
if kind == "cdx":
    idx = " CDX N b a m s k r M S V g\n" + "".join(f"{u} 20240105100001 {u} text/html 200 {d[5:]} - - 1 {o} data.warc.gz\n" for u, o, d in entries)
    iname = "indexes/index.cdx"
else:
    idx = "".join(f"{u} 20240105100001 " + json.dumps({"url": u, "digest": d, "offset": str(o), "length": "1", "filename": "data.warc.gz"}) + "\n" for u, o, d in entries)
    iname = "indexes/index.cdxj"
pages = '{"format": "json-pages-1.0", "id": "pages"}\n' + "".join(json.dumps({"url": u, "ts": "2024-01-05T10:00:01Z"}) + "\n" for u, _, _ in entries)
files = {"archive/data.warc.gz": w, iname: idx.encode(), "pages/pages.jsonl": pages.encode()}
res = [{"name": n, "path": n, "hash": "sha256:" + hashlib.sha256(b).hexdigest(), "bytes": len(b)} for n, b in files.items()]
with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
    for n, b in files.items(): z.writestr(n, b)
    z.writestr("datapackage.json", json.dumps({"profile": "data-package", "resources": res}))
