"""collatio's engine for Python: documents in, findings and unit fingerprints out, as Arrow
record batches (see :mod:`collatio.arrow` for the schemas), and a Spark job
(``python -m collatio.spark``) that runs it on an archive.

The engine holds the rule data; :func:`engine` builds one per set of options and keeps it for
the life of the process, so a Spark worker loads the rule data once, not once per batch.
"""

from ._native import Engine, read_bytes

__all__ = ["Engine", "engine", "read_bytes"]

# One engine per set of options, per process (a Python worker of Spark is a process).
_ENGINES = {}


def engine(config=None, rules=(), fail_on=None):
    """The engine for these options, built on first use and kept for the process."""
    key = (config, tuple(rules), fail_on)
    e = _ENGINES.get(key)
    if e is None:
        e = Engine(config=config, rules=list(rules), fail_on=fail_on)
        _ENGINES[key] = e
    return e
