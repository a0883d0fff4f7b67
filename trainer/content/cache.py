"""A cache of loaded content, so every command does not re-parse the YAML.

Parsing the content files (and importing the YAML parser) is the largest cost
of starting a command such as ``trainer score``. The loaded ``Content`` is
stored as JSON under ``<data dir>/cache/`` keyed by the trainer version, the
Python version and every content file's path, size and modification time, so
any edit to a file — or an added or removed file — misses the cache. Only
content without problems is cached; ``trainer validate`` never uses the cache.

The data dir may be writable by others, so the cache is data, never code: JSON
(no pickle), read back through ``trainer.content.serialize``, which checks the
shape of every field; anything else found there — a damaged, hostile or old
pickle file — is ignored and the content simply loaded. A cache that cannot be
read or written is ignored the same way.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
KEEP = 8  # cache files kept (one per set of content files: whole bank, each topic…)
KEEP_COMPILED = 200  # compiled rubrics kept (one per question and content version)


def _key(files: Sequence[Path]) -> str:
    from trainer import __version__

    h = hashlib.sha256(f"{__version__}\0{sys.version_info[:2]}\n".encode())
    for f in files:
        st = f.stat()
        h.update(f"{f.resolve()}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:24]


def cached(
    files: Sequence[Path],
    build: Callable[[], T],
    ok: Callable[[T], bool],
    to_data: Callable[[T], Any],
    from_data: Callable[[Any], T],
) -> T:
    """``build()``'s result for ``files``, from the JSON cache when nothing changed.

    ``to_data`` turns the value into JSON-able data; ``from_data`` turns it back
    and raises on anything of the wrong shape (then the value is built afresh).
    """
    from trainer.paths import data_dir

    try:
        directory = data_dir() / "cache"
        path = directory / f"content-{_key(files)}.json"
        return from_data(json.loads(path.read_bytes()))
    except Exception:  # noqa: BLE001 - a missing, stale or damaged cache means: load
        pass
    value = build()
    if ok(value):
        try:
            _store(directory, path, to_data(value))
        except Exception:  # noqa: BLE001 - read-only data dir etc.: caching is optional
            pass
    return value


def cached_json(name: str, build: Callable[[], dict]) -> dict:
    """``build()``'s JSON-able result stored as ``<data dir>/cache/<name>.json``.

    For derived data keyed by a content hash in ``name`` (the scorer's compiled
    rubrics): JSON, so reading a cache file can never run code. A missing, damaged
    or unwritable cache means: build.
    """
    from trainer.fileio import replace_file
    from trainer.paths import data_dir

    directory = data_dir() / "cache"
    path = directory / f"{name}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict):
            return data
    except Exception:  # noqa: BLE001 - missing or damaged: build
        pass
    value = build()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        replace_file(path, json.dumps(value, ensure_ascii=False))
        old = sorted(directory.glob("compiled-*.json"), key=lambda p: p.stat().st_mtime)
        for stale in old[: max(0, len(old) - KEEP_COMPILED)]:
            stale.unlink(missing_ok=True)
    except Exception:  # noqa: BLE001 - read-only data dir etc.: caching is optional
        pass
    return value


def _store(directory: Path, path: Path, data: Any) -> None:
    from trainer.fileio import replace_file

    directory.mkdir(parents=True, exist_ok=True)
    replace_file(path, json.dumps(data, ensure_ascii=False, separators=(",", ":")))
    old = sorted(directory.glob("content-*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    for stale in old[KEEP:]:
        stale.unlink(missing_ok=True)
    for legacy in directory.glob("content-*.pickle"):  # caches of older versions: never read
        legacy.unlink(missing_ok=True)
