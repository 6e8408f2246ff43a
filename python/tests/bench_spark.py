"""Throughput of the Spark job in local mode against `collatio check` on the same files, and the
figures docs/scale-out.md extrapolates from.

Usage: python python/tests/bench_spark.py WORK [MB]   (COLLATIO_BIN: a release binary)

WORK/archive is made as scripts/bench.sh makes its archive (seed copies with new numbers), MB
megabytes of it (default 50). Prints, for each run, wall time, CPU time of the process tree
where it can be had, and MB/s; then the engine alone in this process on one core (the per-core
figure), the worker's memory, and the cost of `collatio report --baseline` per finding.
"""

import os
import resource
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# The archive is made with the equality test's generator (seed copies with new numbers).
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_archive import seeds, vary  # noqa: E402


def make(work, mb):
    arch = os.path.join(work, "archive")
    if os.path.isdir(arch):
        return arch
    os.makedirs(arch)
    texts = seeds()
    size, k = 0, 0
    while size < mb * 1024 * 1024:
        t = vary(texts[k % len(texts)], k)
        with open(os.path.join(arch, f"{k:05d}.txt"), "w", encoding="utf-8") as f:
            f.write(t)
        size += len(t.encode())
        k += 1
    return arch


# CPU time of a whole process tree (the JVM and Spark's Python workers are not children this
# process waits for): a cgroup v1 cpuacct group when one can be made, else rusage of children.
CGROUP = "/sys/fs/cgroup/cpuacct/collatio-spark-bench"


def _cgroup():
    try:
        os.makedirs(CGROUP, exist_ok=True)
        open(os.path.join(CGROUP, "cpuacct.usage")).read()
        return CGROUP
    except OSError:
        return None


def _usage(cg):
    if cg:
        return int(open(os.path.join(cg, "cpuacct.usage")).read()) / 1e9
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def timed(label, mb, cmd, env=None, cwd=None):
    cg = _cgroup()
    if cg:
        cmd = ["sh", "-c", f'echo $$ > {cg}/cgroup.procs && exec "$@"', "sh", *cmd]
    before = _usage(cg)
    t0 = time.time()
    o = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True)
    wall = time.time() - t0
    cpu = _usage(cg) - before
    per_cpu = mb / cpu if cpu > 0 else 0.0
    print(
        f"{label:<34} {wall:7.2f} s wall {cpu:7.2f} s CPU {mb / wall:7.1f} MB/s "
        f"{per_cpu:7.1f} MB per CPU-s  exit {o.returncode}"
    )
    if o.returncode not in (0, 1) or (o.returncode and "spark" in label):
        print(o.stderr.decode(errors="replace")[-2000:])
    return o, wall


def main():
    work = sys.argv[1]
    mb_target = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    arch = make(work, mb_target)
    files = sorted(os.path.join(arch, n) for n in os.listdir(arch))
    mb = sum(os.path.getsize(f) for f in files) / 1e6
    binary = os.environ.get("COLLATIO_BIN", os.path.join(ROOT, "target", "release", "collatio"))
    print(f"archive: {len(files)} files, {mb:.1f} MB; {os.cpu_count()} cores; load {os.getloadavg()[0]:.1f}")
    env1 = dict(os.environ, RAYON_NUM_THREADS="1")
    o, _ = timed("collatio check, 1 thread", mb, [binary, "check", "--no-config", "--format", "jsonl", arch], env=env1)
    with open(os.path.join(work, "check.jsonl"), "wb") as f:
        f.write(o.stdout)
    timed("collatio check, 2 threads", mb, [binary, "check", "--no-config", "--format", "jsonl", arch])
    for master in ("local[1]", "local[2]"):
        out = os.path.join(work, "out-" + master[6])
        _, wall = timed(
            f"spark {master}", mb,
            [sys.executable, "-m", "collatio.spark", "check", arch, "--output", out, "--master", master],
        )
        same = open(os.path.join(out, "findings.jsonl"), "rb").read() == o.stdout
        print(f"  findings equal to check's: {same}")
    engine_alone(files, mb)
    baseline_cost(binary, work)


def engine_alone(files, mb):
    """The engine in this process, one document at a time, one core: what a Spark task does
    without Spark."""
    import collatio

    r0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.time()
    e = collatio.engine()
    e.check_documents(["warm.txt"], [b"warm\n"], [True])
    load = time.time() - t0
    r1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    c0 = time.process_time()
    t0 = time.time()
    n = 0
    for f in files:
        rows, _, manifest, _ = e.check_documents([f], [collatio.read_bytes(f, 1 << 30)], [True])
        n += len(rows)
    wall = time.time() - t0
    cpu = time.process_time() - c0
    r2 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"engine alone, 1 core: {wall:.2f} s wall, {cpu:.2f} s CPU, {mb / cpu:.1f} MB/s per CPU-second, {n} findings")
    print(f"engine load {load:.2f} s; peak RSS {r0 / 1024:.0f} MiB before, {r1 / 1024:.0f} after load, {r2 / 1024:.0f} after the archive")


def baseline_cost(binary, work):
    """`collatio report --baseline` on the run's findings, all accepted: the merge's cost."""
    jsonl = os.path.join(work, "check.jsonl")
    base = os.path.join(work, "baseline.json")
    n = sum(1 for _ in open(jsonl, "rb"))
    # A baseline of every finding: `baseline` writes it from a check of the same archive.
    subprocess.run([binary, "baseline", "--no-config", os.path.join(work, "archive"), "-o", base], check=True, capture_output=True)
    _, wall = timed(f"report --baseline, {n} findings", 0, [binary, "report", "--no-config", jsonl, "--baseline", base, "--format", "sarif"])
    print(f"  {wall / max(n, 1) * 1e6:.1f} µs per finding; baseline {os.path.getsize(base) / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
