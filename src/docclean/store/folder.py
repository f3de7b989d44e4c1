"""The output folder: three Parquet datasets, a manifest, and a lock.

Layout under ``out/``::

    paragraphs -> current/paragraphs    what readers read (likewise documents, edits)
    current -> _snapshots/<id>          the published state, switched in one rename
    _snapshots/<id>/<table>/part-*.parquet   hard links to the parts of one state
    _parts/<table>/part-<id>.parquet    every part, where runs write them
    _state/manifest.json           source -> sha256, doc_id; part -> doc_ids
    _state/extract/<fp>/<sha>.<kind>.json   each file's extract (decoded, lines classified),
                                   keyed by content hash and the extract stage's fingerprint
    _state/templates.json          learned site templates, read by every batch
    _state/learned_templates.toml  the same, for people to review
    _state/lock                    held for the length of a run

A *part* is the same name in all three datasets and holds whole documents.
Files are only ever created by writing a hidden temp file and renaming it,
and a part is never edited in place. A run writes its parts where readers do
not look (``_parts/``), commits the manifest, then *publishes*: a new snapshot
folder of hard links to the manifest's parts, and ``current`` switched to it
with one atomic rename. A reader using ``paragraphs/*.parquet`` sees the last
published state or the new one, never a mix, whatever the run is doing or
however it dies. The previous snapshot is kept until the next publication, and
any older one for SNAPSHOT_GRACE_SECONDS after it was replaced, so a reader that
listed it just before a switch can still list and open its files. Files
the manifest does not list are leftovers of a crashed run and are deleted when
the next run starts, which also publishes the manifest's state if a crash came
between the commit and the switch.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import shutil
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from docclean.store import schema

STATE = "_state"
PARTS = "_parts"
SNAPSHOTS = "_snapshots"
CURRENT = "current"
SNAPSHOT_GRACE_SECONDS = 300  # how long a replaced snapshot outlives the next publication


class Locked(RuntimeError):
    """Another docclean run holds the output folder."""


def published_table(out: Path, table: str) -> Path:
    """The folder of ``table``'s files in the state published now: ``out/<table>`` with its
    links followed (``_snapshots/<id>/<table>``). List and read there, not through the link:
    a reader that lists ``out/<table>`` and then opens each file by that name goes through
    ``current`` again, and when a run switches it in between, the files of the old state that
    the new one dropped are gone, which pyarrow's dataset discovery skips without an error
    (a part of the documents, silently). The resolved snapshot stays whole until two
    publications later and SNAPSHOT_GRACE_SECONDS after."""
    return (Path(out) / table).resolve()


def new_part_name() -> str:
    return f"part-{uuid.uuid4().hex[:12]}"


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def atomic_path(path: Path, durable: bool = True) -> Iterator[Path]:
    """Yield a hidden temp path beside ``path``; on success rename it into place.

    Readers glob ``*.parquet`` (and pyarrow skips dot-files), so they never see
    the temp file, and rename is atomic on POSIX. On failure the temp file is
    removed and ``path`` is untouched. ``durable=False`` skips the fsyncs: for
    caches that can be rebuilt.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.{uuid.uuid4().hex[:8]}.tmp"
    try:
        yield tmp
        if durable:
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    if durable:
        _fsync_dir(path.parent)


def atomic_write_bytes(path: Path, data: bytes, durable: bool = True) -> None:
    with atomic_path(path, durable) as tmp:
        tmp.write_bytes(data)


def atomic_write_table(path: Path, table: pa.Table) -> None:
    with atomic_path(path) as tmp:
        pq.write_table(table, tmp, compression="zstd")


class Store:
    def __init__(self, out: Path):
        self.out = Path(out)
        self.state = self.out / STATE
        self.manifest_path = self.state / "manifest.json"
        self.pages_dir = self.state / "pages"  # the page cache of versions before the extract cache
        self.extract_dir = self.state / "extract"
        self.templates_path = self.state / "templates.json"
        self.templates_review_path = self.state / "learned_templates.toml"

    # ------------------------------------------------------------------ manifest
    def load_manifest(self) -> dict:
        if not self.manifest_path.exists():
            return {"files": {}, "parts": {}, "pipeline_version": None,
                    "schema_version": schema.SCHEMA_VERSION}
        return json.loads(self.manifest_path.read_text("utf-8"))

    def save_manifest(self, manifest: dict) -> None:
        data = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
        atomic_write_bytes(self.manifest_path, data)

    # ------------------------------------------------------------------ parts
    def part_path(self, table: str, part: str) -> Path:
        return self.out / PARTS / table / f"{part}.parquet"

    # ------------------------------------------------------------------ publication
    def published(self) -> set[str] | None:
        """The parts readers see now, when every dataset shows the same ones and nothing else
        (None before the first publication, or when the snapshot was tampered with)."""
        current = self.out / CURRENT
        if not current.is_dir():
            return None
        seen = [{f.name for f in (current / t).iterdir()} if (current / t).is_dir() else set()
                for t in schema.TABLES]
        if any(s != seen[0] for s in seen) or any(not n.endswith(".parquet") or n.startswith(".")
                                                 for n in seen[0]):
            return None
        return {n[: -len(".parquet")] for n in seen[0]}

    def publish(self, parts) -> None:
        """Show readers exactly ``parts``, switched in one atomic rename of ``current``."""
        self._views()
        name = f"snap-{uuid.uuid4().hex[:12]}"
        snap = self.out / SNAPSHOTS / name
        for table in schema.TABLES:
            folder = snap / table
            folder.mkdir(parents=True)
            for part in sorted(parts):
                src, dst = self.part_path(table, part), folder / f"{part}.parquet"
                try:
                    os.link(src, dst)  # a hard link: no copy, and the data outlives the part's name
                except OSError:
                    shutil.copy2(src, dst)  # a filesystem without hard links
            _fsync_dir(folder)
        _fsync_dir(snap)
        _fsync_dir(snap.parent)
        current = self.out / CURRENT
        previous = os.readlink(current) if current.is_symlink() else None
        tmp = self.out / f".{CURRENT}.{uuid.uuid4().hex[:8]}.tmp"
        os.symlink(f"{SNAPSHOTS}/{name}", tmp)
        os.replace(tmp, current)
        _fsync_dir(self.out)
        if previous and (self.out / previous).is_dir():
            os.utime(self.out / previous)  # its mtime now says when it stopped being current
        # A replaced snapshot stays a while: a reader that resolved ``current`` to it may still
        # be listing its folder (a thread stalled on a loaded machine), and deleting it under
        # that listing would show the reader part of the state.
        keep = {name, Path(previous).name if previous else None}
        now = time.time()
        for old in (self.out / SNAPSHOTS).iterdir():
            if old.name in keep:
                continue
            try:
                replaced = old.stat().st_mtime
            except FileNotFoundError:
                continue
            if now - replaced > SNAPSHOT_GRACE_SECONDS:
                shutil.rmtree(old, ignore_errors=True)

    def _views(self) -> None:
        """``out/<table>`` as links into ``current``; an output folder of the layout before
        snapshots (parts right in ``out/<table>/``) has its parts moved into ``_parts`` once."""
        for table in schema.TABLES:
            view = self.out / table
            if view.is_symlink():
                continue
            store = self.out / PARTS / table
            store.mkdir(parents=True, exist_ok=True)
            if view.is_dir():
                for f in view.glob("*.parquet"):
                    os.replace(f, store / f.name)
                shutil.rmtree(view)
            os.symlink(f"{CURRENT}/{table}", view)

    def write_part(self, part: str, rows: dict[str, list[dict]], pipeline_version: str) -> None:
        """Write one part: the same name in each dataset, rows sorted for reproducibility."""
        for name in schema.TABLES:
            tbl = schema.table(name, rows.get(name, []), pipeline_version)
            tbl = tbl.sort_by(schema.SORT_KEYS[name]) if tbl.num_rows else tbl
            atomic_write_table(self.part_path(name, part), tbl)

    def rewrite_without(self, part: str, drop: set[str], new_part: str) -> int:
        """Copy ``part`` minus the documents in ``drop`` into ``new_part``; rows kept."""
        kept = 0
        for name in schema.TABLES:
            tbl = pq.read_table(self.part_path(name, part))
            mask = pc.invert(pc.is_in(tbl["doc_id"], pa.array(sorted(drop), pa.string())))
            tbl = tbl.filter(mask)
            kept += tbl.num_rows if name == "documents" else 0
            atomic_write_table(self.part_path(name, new_part), tbl)
        return kept

    def delete_part(self, part: str) -> None:
        for name in schema.TABLES:
            self.part_path(name, part).unlink(missing_ok=True)

    def remove_orphans(self, manifest: dict) -> int:
        """Delete part files and temp files the manifest does not list (a crashed run's), and
        publish the manifest's state if readers do not see exactly it (a crash before the switch)."""
        live = set(manifest.get("parts", {}))
        removed = 0
        self._views()
        for f in self.out.glob(f".{CURRENT}.*.tmp"):
            f.unlink(missing_ok=True)
        for name in schema.TABLES:
            folder = self.out / PARTS / name
            if not folder.is_dir():
                continue
            for f in folder.iterdir():
                stem = f.name[: -len(".parquet")] if f.name.endswith(".parquet") else None
                if f.name.endswith(".tmp") or (stem is not None and stem not in live):
                    f.unlink(missing_ok=True)
                    removed += 1
        if self.manifest_path.exists() and self.published() != live:
            self.publish(live)
        return removed

    # ------------------------------------------------------------------ extract cache
    def extract_path(self, fingerprint: str, key: str) -> Path:
        return self.extract_dir / fingerprint / f"{key}.json"

    def save_extract(self, fingerprint: str, key: str, data: dict) -> None:
        """One file's extract (a JSON-able dict) under the extract stage's fingerprint."""
        raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        # A cache: a lost or damaged entry is extracted again from raw/, so no fsync.
        atomic_write_bytes(self.extract_path(fingerprint, key), raw, durable=False)

    def load_extract(self, fingerprint: str, key: str) -> dict | None:
        """A cached extract, or None when there is none (or it cannot be read: extract again)."""
        try:
            return json.loads(self.extract_path(fingerprint, key).read_bytes())
        except (OSError, ValueError):
            return None

    def prune_extracts(self, fingerprint: str, live: set[str]) -> None:
        """Keep only the extracts of ``live`` keys made by the current extract stage; drop the
        page cache of earlier versions."""
        shutil.rmtree(self.pages_dir, ignore_errors=True)
        if not self.extract_dir.is_dir():
            return
        for folder in self.extract_dir.iterdir():
            if folder.name != fingerprint:
                shutil.rmtree(folder, ignore_errors=True)
        current = self.extract_dir / fingerprint
        if current.is_dir():
            for f in current.iterdir():
                if not f.name.endswith(".json") or f.name[: -len(".json")] not in live:
                    f.unlink(missing_ok=True)

    # ------------------------------------------------------------------ learned templates
    def load_templates(self) -> dict:
        """{"learned": {site: [sig, ...]}, "examples": {sig: text}, "counts": {site: {sig: n}}}."""
        if not self.templates_path.exists():
            return {"learned": {}, "examples": {}, "counts": {}, "docs": {}}
        return json.loads(self.templates_path.read_text("utf-8"))

    def templates_digest(self) -> str | None:
        """The learned templates' file as committed: the manifest records it, so a run that
        saved new templates and crashed before its manifest is seen by the next one."""
        if not self.templates_path.exists():
            return None
        return hashlib.sha256(self.templates_path.read_bytes()).hexdigest()[:16]

    def save_templates(self, data: dict) -> None:
        atomic_write_bytes(self.templates_path,
                           json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8"))
        atomic_write_bytes(self.templates_review_path, _review_toml(data).encode("utf-8"))

    # ------------------------------------------------------------------ lock
    @contextmanager
    def locked(self, wait_seconds: float = 0) -> Iterator[None]:
        """Hold an exclusive lock on the output folder; raise Locked after ``wait_seconds``."""
        self.state.mkdir(parents=True, exist_ok=True)
        fh = open(self.state / "lock", "a+")
        deadline = time.monotonic() + wait_seconds
        try:
            while True:
                try:
                    fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except OSError as exc:
                    if exc.errno not in (errno.EAGAIN, errno.EACCES):
                        raise
                    if time.monotonic() >= deadline:
                        raise Locked(f"another docclean run is writing to {self.out}") from exc
                    time.sleep(min(1.0, max(0.05, deadline - time.monotonic())))
            fh.seek(0)
            fh.truncate()
            fh.write(f"{os.getpid()}\n")
            fh.flush()
            yield
        finally:
            fh.close()


def _toml_str(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def _review_toml(data: dict) -> str:
    """The learned templates as a file a person can read, and copy rejections from."""
    out = ["# Site templates docclean learned from lines recurring across each site's documents.",
           "# Generated on every run; do not edit. To stop a line being learned, copy its",
           "# signature into `never = [...]` of a templates.toml in your --rules folder.", ""]
    for site in sorted(data.get("learned", {})):
        for sig in sorted(data["learned"][site]):
            out += ["[[template]]",
                    f"site = {_toml_str(site)}",
                    f"signature = {_toml_str(sig)}",
                    f"documents = {data.get('counts', {}).get(site, {}).get(sig, 0)}",
                    f"site_documents = {data.get('docs', {}).get(site, 0)}",
                    f"example = {_toml_str(data.get('examples', {}).get(sig, ''))}", ""]
    return "\n".join(out)
