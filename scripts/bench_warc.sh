#!/usr/bin/env bash
# Web-archive benchmark (issue 14): generates a .warc.gz of many pages (the seed texts with new
# numbers per page, rendered as news pages with navigation, share bars and a footer; UTF-8 and
# GBK; one gzip member per record, with request records between the responses), then times
# WARC ingest + single-document check on it. Throughput is in MB of uncompressed HTTP payload.
# Usage: scripts/bench_warc.sh [WORKDIR] [SIZE_MB]   (SIZE_MB defaults to 200; the issue's
# figure is at 1024, which takes ~1 GB of disk and several minutes to generate)
set -euo pipefail
cd "$(dirname "$0")/.."
work="${1:-$(mktemp -d)}"
size_mb="${2:-200}"
mkdir -p "$work"
cargo build --release --quiet
bin="$PWD/target/release/collatio"
warc="$work/pages-$size_mb.warc.gz"

[ -f "$warc" ] || python3 - "$warc" "$size_mb" <<'PY'
import base64, gzip, hashlib, html, os, re, sys
out, size_mb = sys.argv[1], int(sys.argv[2])
seeds = [open(f"fixtures/seeds/{n}", encoding="utf-8").read() for n in sorted(os.listdir("fixtures/seeds")) if n.endswith(".txt")]
digits = re.compile(r"\d+(?![\d年])")
def body_of(text):
    if text.startswith("---\n"):
        text = text[text.index("\n---\n", 4) + 5:]
    return text
# Page furniture of a typical news page (most of a real page's bytes are markup): meta tags, an
# inline config script, a style block, a menu of links, a share bar, related links, a footer.
MENU = "".join(f'<li class="menu-item"><a href="/section/{i}" data-track="nav-{i}">欄目{i}</a></li>' for i in range(60))
HEAD = ('<meta name="viewport" content="width=device-width, initial-scale=1">'
        + "".join(f'<meta property="og:x{i}" content="value {i}">' for i in range(20))
        + "<script>window.__CONFIG__=" + "{" + ",".join(f'"k{i}":"{"v" * 40}"' for i in range(120)) + "};</script>"
        + "<style>" + "".join(f".c{i}{{margin:{i}px;padding:{i}px;color:#{i:06x}}}" for i in range(300)) + "</style>")
RELATED = "".join(f'<li><a href="/a/{i}"><img src="/i/{i}.jpg" alt="">相關新聞{i}</a></li>' for i in range(20))
def page(text, k):
    paras = [p for p in body_of(text).split("\n\n") if p.strip()]
    # An article of 10 to 40 paragraphs of a seed, numbers changed per page.
    n = 10 + k % 31
    start = (k * 37) % max(1, len(paras) - n)
    blocks = []
    for para in paras[start:start + n]:
        para = digits.sub(lambda m: str((int(m.group()) * 7 + k) % 1000), para).strip("\n")
        if para.startswith("# "):
            blocks.append(f"<h1>{html.escape(para[2:])}</h1>")
        else:
            blocks.append('<p class="article-paragraph">' + "<br>\n".join(html.escape(l) for l in para.split("\n")) + "</p>")
    return ('<!DOCTYPE html><html><head><meta charset="{cs}"><title>紀事 %d</title>'
            '<meta property="article:published_time" content="2020-04-07">%s</head><body>'
            '<header class="masthead"><nav><ul class="menu">%s</ul></nav></header>'
            '<div class="share-bar">分享到：<a href="#">微信</a> <a href="#">微博</a></div>'
            '<main><article>%s</article><div class="related"><ul>%s</ul></div></main>'
            '<footer><ul class="menu">%s</ul>版權所有 © 本站</footer></body></html>') % (k, HEAD, MENU, "\n".join(blocks), RELATED, MENU)
def rec(kind, uri, date, block, extra=""):
    h = (f"WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: {date}\r\n"
         f"WARC-Record-ID: <urn:uuid:{hashlib.md5(uri.encode() + kind.encode()).hexdigest()}>\r\n{extra}"
         f"Content-Length: {len(block)}\r\n\r\n").encode()
    return gzip.compress(h + block + b"\r\n\r\n", compresslevel=1)
payload, k = 0, 0
with open(out + ".tmp", "wb") as f:
    while payload < size_mb * 1024 * 1024:
        text = seeds[k % len(seeds)]
        cs = "gbk" if k % 3 == 1 else "utf-8"
        body = page(text, k).replace("{cs}", cs).encode(cs, "xmlcharrefreplace")
        uri = f"https://news.example.cn/{k // 1000}/{k}.html"
        f.write(rec("request", uri, "2024-01-01T00:00:00Z", f"GET /{k}.html HTTP/1.1\r\nHost: news.example.cn\r\n\r\n".encode()))
        http = f"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset={cs}\r\nContent-Length: {len(body)}\r\n\r\n".encode()
        digest = "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode()
        f.write(rec("response", uri, "2024-01-01T00:00:01Z", http + body, f"WARC-Payload-Digest: {digest}\r\n"))
        payload += len(body)
        k += 1
os.rename(out + ".tmp", out)
open(out + ".payload", "w").write(str(payload))
print(f"{out}: {k} pages, {payload/1e6:.1f} MB of payload, {os.path.getsize(out)/1e6:.1f} MB compressed")
PY

measure() { # label bytes command...
  local label=$1 bytes=$2; shift 2
  local tf secs kb cpu
  tf=$(mktemp)
  /usr/bin/time -o "$tf" -f "%e %M %P" "$@" >/dev/null 2>&1 || true
  read -r secs kb cpu < <(tail -n 1 "$tf")
  rm -f "$tf"
  python3 -c "import sys; b,s,kb,cpu=float(sys.argv[1]),float(sys.argv[2]),int(sys.argv[3]),sys.argv[4]; print(f'{sys.argv[5]:<34} {b/1e6:8.1f} MB {s:7.2f} s {b/1e6/max(s,1e-9):8.1f} MB/s  CPU {cpu:>5}  peak {kb/1024:7.0f} MiB')" "$bytes" "$secs" "$kb" "$cpu" "$label"
}
payload=$(cat "$warc.payload")
echo "nproc: $(nproc); $(stat -c %s "$warc") bytes compressed"
# Wall-clock figures depend on what else runs on the machine; the per-core figure is the
# payload over the CPU time (user + system) of the one-thread run.
cpu_rate() { # label command...
  local label=$1; shift
  local tf; tf=$(mktemp)
  /usr/bin/time -o "$tf" -f "%U %S" "$@" >/dev/null 2>&1 || true
  read -r u s < <(tail -n 1 "$tf"); rm -f "$tf"
  python3 -c "import sys; b,u,s=float(sys.argv[1]),float(sys.argv[2]),float(sys.argv[3]); print(f'{sys.argv[4]:<34} {b/1e6:8.1f} MB {u+s:7.2f} CPU s {b/1e6/max(u+s,1e-9):8.1f} MB/s per core')" "$payload" "$u" "$s" "$label"
}
measure "warc ingest + check" "$payload" "$bin" check --no-config --format jsonl "$warc"
measure "warc ingest + check, one thread" "$payload" env RAYON_NUM_THREADS=1 "$bin" check --no-config --format jsonl "$warc"
cpu_rate "warc ingest + check, CPU time" env RAYON_NUM_THREADS=1 "$bin" check --no-config --format jsonl "$warc"
