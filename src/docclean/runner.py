"""The three steps of a run, as plain functions the Prefect flow calls.

1. :func:`plan` scans ``raw/``, hashes each file and compares it with the
   manifest: only new or changed files (or all, when the pipeline version
   changed) are processed.
2. :func:`process_batch` cleans a batch of files and writes their documents
   as one part. It takes paths and returns a small summary, so it can run in
   another process or on another machine.
3. :func:`finalize` stitches multi-page documents, removes replaced
   documents from older parts, and commits the manifest.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import __version__, pages, rules as rules_mod, schema
from .model import FileResult
from .pipeline import build_document, doc_id_for_file, doc_id_for_group, read_and_process
from .store import Store, new_part_name

DEFAULT_BATCH_SIZE = 200


def pipeline_version(rules_dirs: tuple[str, ...] = ()) -> str:
    """Code version + schema version + rule fingerprint: any change reprocesses everything."""
    return f"{__version__}+s{schema.SCHEMA_VERSION}+r{rules_mod.load(rules_dirs).fingerprint}"


def discover(raw: Path) -> list[str]:
    """Input files under ``raw`` as sorted POSIX paths relative to it; dot-files skipped."""
    found = []
    for root, dirs, files in os.walk(raw):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            if not name.startswith("."):
                found.append(Path(root, name).relative_to(raw).as_posix())
    return sorted(found)


def _file_sha(path: Path) -> str:
    h = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        return ""  # unreadable: always "changed", and process_batch records why
    return h.hexdigest()


@dataclass
class Plan:
    raw: str
    out: str
    pipeline_version: str
    rules_dirs: tuple[str, ...]
    todo: list[str]
    deleted: list[str]
    unchanged: int
    full_rebuild: bool
    batches: list[list[str]] = field(default_factory=list)


def plan(raw: Path, out: Path, *, batch_size: int = DEFAULT_BATCH_SIZE,
         rules_dirs: tuple[str, ...] = ()) -> Plan:
    raw, out = Path(raw), Path(out)
    if not raw.is_dir():
        raise FileNotFoundError(f"raw folder not found: {raw}")
    version = pipeline_version(rules_dirs)
    store = Store(out)
    manifest = store.load_manifest()
    store.remove_orphans(manifest)
    full = manifest.get("pipeline_version") != version
    old = manifest.get("files", {})
    sources = discover(raw)
    todo = [s for s in sources if full or s not in old or old[s]["sha256"] != _file_sha(raw / s)]
    deleted = sorted(set(old) - set(sources))
    # Batches of similar total size keep both workers busy until the end.
    batches = [todo[i:i + batch_size] for i in range(0, len(todo), batch_size)]
    return Plan(str(raw), str(out), version, tuple(rules_dirs), todo, deleted,
                len(sources) - len(todo), full, batches)


def _doc_summary(doc: dict) -> dict:
    keys = ("doc_id", "status", "error", "n_paragraphs", "n_lines_removed", "n_edits", "sources")
    return {k: doc[k] for k in keys}


def process_batch(raw: str, out: str, sources: list[str], version: str,
                  rules_dirs: tuple[str, ...] = ()) -> dict:
    """Clean ``sources`` and write their single-file documents as one new part.

    Pages of multi-page documents are cached for :func:`finalize` to stitch.
    Any failure inside one file becomes a quarantined document, so one bad
    file never loses the batch.
    """
    ruleset = rules_mod.load(rules_dirs)
    store = Store(Path(out))
    rows: dict[str, list[dict]] = {"paragraphs": [], "documents": [], "edits": []}
    files: dict[str, dict] = {}
    docs: list[dict] = []
    nbytes = 0
    for src in sources:
        try:
            result = read_and_process(Path(raw) / src, src, ruleset)
        except Exception as exc:  # a bug must cost one file, not the run
            result = FileResult(src, "", 0, "quarantined", f"internal error: {type(exc).__name__}: {exc}")
        nbytes += result.size
        if result.page is not None and result.status in ("ok", "partial") and result.title:
            key = pages.group_key(src, result.title)
            store.save_page(result)
            files[src] = {"sha256": result.sha256, "doc_id": doc_id_for_group(key), "group": key}
            continue
        doc_id = doc_id_for_file(src)
        built = build_document(doc_id, [result], ruleset, version)
        for name, part_rows in (("paragraphs", built.paragraphs), ("documents", [built.document]),
                                ("edits", built.edits)):
            rows[name].extend(part_rows)
        files[src] = {"sha256": result.sha256, "doc_id": doc_id, "group": None}
        docs.append(_doc_summary(built.document))
    part = None
    if rows["documents"]:
        part = new_part_name()
        store.write_part(part, rows, version)
    return {"part": part, "doc_ids": [d["doc_id"] for d in docs], "files": files,
            "docs": docs, "bytes": nbytes}


def _reread(p: Plan, source: str, ruleset) -> FileResult | None:
    """A page missing from the cache (deleted, or lost in a crash): clean it again from raw/."""
    path = Path(p.raw) / source
    return read_and_process(path, source, ruleset) if path.exists() else None


@dataclass
class RunSummary:
    documents: dict[str, int]
    paragraphs: int
    lines_removed: int
    edits: int
    files_processed: int
    files_unchanged: int
    files_deleted: int
    bytes: int
    quarantined: list[dict]
    wrote: bool
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return asdict(self)


def finalize(p: Plan, batch_results: list[dict]) -> RunSummary:
    """Stitch paged documents, drop replaced documents from old parts, commit the manifest."""
    store = Store(Path(p.out))
    ruleset = rules_mod.load(p.rules_dirs)
    old = store.load_manifest()
    old_files = old.get("files", {}) if not p.full_rebuild else {}
    old_parts: dict[str, list[str]] = old.get("parts", {})

    files = {s: e for s, e in old_files.items() if s not in set(p.todo) | set(p.deleted)}
    new_parts: dict[str, list[str]] = {}
    docs: list[dict] = []
    for b in batch_results:
        files.update(b["files"])
        docs.extend(b["docs"])
        if b["part"]:
            new_parts[b["part"]] = b["doc_ids"]

    touched = set(p.todo) | set(p.deleted)
    drop = {old_files[s]["doc_id"] for s in touched if s in old_files}
    groups = {e["group"] for s, e in files.items() if s in touched and e["group"]}
    groups |= {old_files[s]["group"] for s in touched if s in old_files and old_files[s]["group"]}

    # Re-stitch every document that gained, lost or changed a page.
    stitched: dict[str, list[dict]] = {"paragraphs": [], "documents": [], "edits": []}
    for key in sorted(groups):
        members = [s for s, e in files.items() if e["group"] == key]
        drop.add(doc_id_for_group(key))
        if not members:
            continue
        results = [store.load_page(files[s]["sha256"]) or _reread(p, s, ruleset) for s in members]
        results = [r for r in results if r is not None and r.page is not None]
        if not results:
            continue
        built = build_document(doc_id_for_group(key), results, ruleset, p.pipeline_version)
        stitched["paragraphs"] += built.paragraphs
        stitched["documents"].append(built.document)
        stitched["edits"] += built.edits
        docs.append(_doc_summary(built.document))
    if stitched["documents"]:
        part = new_part_name()
        store.write_part(part, stitched, p.pipeline_version)
        new_parts[part] = [d["doc_id"] for d in stitched["documents"]]

    # Old parts that hold a replaced document are copied without it.
    retired = []
    parts = {} if p.full_rebuild else dict(old_parts)
    if p.full_rebuild:
        retired = list(old_parts)
    else:
        for name, ids in old_parts.items():
            gone = drop.intersection(ids)
            if not gone:
                continue
            retired.append(name)
            del parts[name]
            remaining = [i for i in ids if i not in gone]
            if remaining:
                fresh = new_part_name()
                store.rewrite_without(name, gone, fresh)
                parts[fresh] = remaining
    parts.update(new_parts)

    wrote = bool(new_parts or retired or touched or p.full_rebuild)
    if wrote:
        store.save_manifest({"pipeline_version": p.pipeline_version,
                             "schema_version": schema.SCHEMA_VERSION,
                             "files": files, "parts": parts})
        for name in retired:
            store.delete_part(name)
        store.prune_pages({e["sha256"] for e in files.values() if e["group"]})

    status = Counter(d["status"] for d in docs)
    return RunSummary(
        documents={k: status.get(k, 0) for k in ("ok", "partial", "empty", "quarantined")},
        paragraphs=sum(d["n_paragraphs"] for d in docs),
        lines_removed=sum(d["n_lines_removed"] for d in docs),
        edits=sum(d["n_edits"] for d in docs),
        files_processed=len(p.todo),
        files_unchanged=p.unchanged,
        files_deleted=len(p.deleted),
        bytes=sum(b["bytes"] for b in batch_results),
        quarantined=[{"sources": d["sources"], "error": d["error"]} for d in docs
                     if d["status"] == "quarantined"],
        wrote=wrote,
    )


def run_local(raw: Path, out: Path, *, batch_size: int = DEFAULT_BATCH_SIZE,
              rules_dirs: tuple[str, ...] = ()) -> RunSummary:
    """The whole run in this process, no Prefect: for tests, benchmarks and debugging.

    The Prefect flow in ``flows/ingest.py`` runs exactly these steps with
    batches as tasks.
    """
    t0 = time.perf_counter()
    store = Store(Path(out))
    with store.locked():
        p = plan(raw, out, batch_size=batch_size, rules_dirs=rules_dirs)
        results = [process_batch(p.raw, p.out, b, p.pipeline_version, p.rules_dirs) for b in p.batches]
        summary = finalize(p, results)
    summary.seconds = round(time.perf_counter() - t0, 3)
    return summary
