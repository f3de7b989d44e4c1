"""The three steps of a run, as plain functions the Prefect flow calls.

1. :func:`plan` scans ``raw/``, hashes each file and compares it with the
   manifest: only new or changed files (or all, when the pipeline version
   changed) are processed.
2. :func:`process_batch` cleans a batch of files and writes their documents
   as one part. It takes paths and returns a small summary, so it can run in
   another process or on another machine.
3. :func:`relearn` updates each site's learned template from the counts
   over all current files, and names the files whose cleaning that changes;
   they go through :func:`process_batch` once more.
4. :func:`stitch_groups` names the multi-page documents that gained, lost or
   changed a page; :func:`stitch_batch` builds a batch of them and writes them
   as one part. Like process_batch it takes plain values and returns a small
   summary, so the (repair-heavy) stitching runs in the workers too.
5. :func:`finalize` removes replaced documents from older parts and commits
   the manifest.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

from docclean import __version__
from docclean import rules as rules_mod
from docclean.input.rawfs import RawFolder, is_url
from docclean.lines import pages, templates
from docclean.model import FileResult
from docclean.run.passes import (
    build_document,
    doc_id_for_file,
    doc_id_for_group,
    read_and_process,
)
from docclean.store import schema
from docclean.store.folder import Store, new_part_name

DEFAULT_BATCH_SIZE = 200
# Quarantines that say nothing about the input: the file is read again by the next run.
RETRY_ERRORS = ("unreadable", "internal error")
# A run in which at least this share of the files processed (and at least INTERNAL_ERROR_MIN)
# failed with an internal error is a bug, not a folder of bad files: it fails, loudly.
INTERNAL_ERROR_SHARE = 0.5
INTERNAL_ERROR_MIN = 3


class InternalErrors(RuntimeError):
    """Too many files failed with an internal error: docclean is broken, not the input."""
REPORT_ROWS = 2000  # per-document rows kept in a run summary


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A digest of docclean's own code and shipped data (every .py, .toml, .tsv, .txt, .gz
    under the package), so that an upgrade reprocesses: ``__version__`` alone has not changed
    in years of commits. Hashing the package costs a few milliseconds once per process."""
    root = Path(__file__).resolve().parents[1]  # the docclean package, every stage
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in (".py", ".toml", ".tsv", ".txt", ".gz")
                       and "__pycache__" not in p.parts):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def pipeline_version(rules_dirs: tuple[str, ...] = (), no_repair: bool = False) -> str:
    """Code version and fingerprint + schema version + rule fingerprint (incl. --no-repair):
    a change to any of them reprocesses everything."""
    return (f"{__version__}+c{code_fingerprint()}+s{schema.SCHEMA_VERSION}"
            f"+r{rules_mod.load(rules_dirs, no_repair).fingerprint}")


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
    redo: list[str] = field(default_factory=list)  # unchanged files a template change affects
    batch_size: int = DEFAULT_BATCH_SIZE
    no_repair: bool = False
    stamps: dict[str, str] = field(default_factory=dict)  # source -> listing stamp (URLs only)

    def batches_of(self, items: list) -> list[list]:
        return [items[i:i + self.batch_size] for i in range(0, len(items), self.batch_size)]


def plan(raw: Path, out: Path, *, batch_size: int = DEFAULT_BATCH_SIZE,
         rules_dirs: tuple[str, ...] = (), no_repair: bool = False) -> Plan:
    folder = RawFolder(raw)
    if is_url(out):
        raise ValueError(f"the output must be a local folder, not {out}: the store needs atomic renames "
                         "and a lock file, which object stores do not have")
    out = Path(out)
    folder.check()
    version = pipeline_version(rules_dirs, no_repair)
    store = Store(out)
    manifest = store.load_manifest()
    store.remove_orphans(manifest)
    # A new version reprocesses everything; so do learned templates that are not the ones the
    # last committed manifest was made with (a run saved them and died before its commit).
    full = manifest.get("pipeline_version") != version or (
        bool(manifest.get("files")) and manifest.get("templates") != store.templates_digest())
    old = manifest.get("files", {})
    # Stamps are taken before any file is read: a file that changes after this is
    # seen as changed by the next run.
    stamps = folder.scan()
    sources = list(stamps)

    def changed(s: str) -> bool:
        if full or s not in old or old[s].get("retry"):
            return True
        if stamps[s] is not None and old[s].get("stamp") == stamps[s]:
            return False  # a remote file whose listing is unchanged: not downloaded to hash it
        return old[s]["sha256"] != folder.sha256(s)

    todo = [s for s in sources if changed(s)]
    deleted = sorted(set(old) - set(sources))
    p = Plan(str(folder), str(out), version, tuple(rules_dirs), todo, deleted,
             len(sources) - len(todo), full, batch_size=batch_size, no_repair=no_repair,
             stamps={s: v for s, v in stamps.items() if v is not None})
    p.batches = p.batches_of(todo)
    return p


def _doc_summary(built) -> dict:
    """What the run report needs of one document: small, so tasks can return it."""
    keys = ("doc_id", "title", "status", "error", "n_paragraphs", "n_lines_removed", "n_edits", "sources")
    out = {k: built.document[k] for k in keys}
    out["removed_by_class"] = dict(Counter(e["rule_class"] for e in built.edits if e["action"] == "remove"))
    out["edits_by_action"] = dict(Counter(e["action"] for e in built.edits))
    out["n_lines"] = built.document["n_lines"]
    out["removed_by_rule"] = dict(Counter(e["rule"] for e in built.edits
                                          if e["action"] == "remove" and e["scope"] == "line"))
    return out


def _learned(store: Store) -> dict[str, frozenset[str]]:
    """Each site's learned template signatures."""
    return {site: frozenset(sigs) for site, sigs in store.load_templates()["learned"].items()}


def _add(rows: dict[str, list[dict]], docs: list[dict], built) -> None:
    """One built document's rows into a batch's part, its summary into the batch's report."""
    for name, part_rows in (("paragraphs", built.paragraphs), ("documents", [built.document]),
                            ("edits", built.edits)):
        rows[name].extend(part_rows)
    docs.append(_doc_summary(built))


def _write(store: Store, rows: dict[str, list[dict]], version: str) -> str | None:
    """The batch's rows as one new part (its name), or None when it built no document."""
    if not rows["documents"]:
        return None
    part = new_part_name()
    store.write_part(part, rows, version)
    return part


def process_batch(raw: str, out: str, sources: list[str], version: str,
                  rules_dirs: tuple[str, ...] = (), no_repair: bool = False, failure: str | None = None) -> dict:
    """Clean ``sources`` and write their single-file documents as one new part.

    Pages of multi-page documents are cached for :func:`finalize` to stitch.
    Any failure inside one file becomes a quarantined document, so one bad
    file never loses the batch. ``failure``: the batch could not be cleaned at all
    (its worker died twice): each file is quarantined with that reason, unread.
    """
    ruleset = rules_mod.load(rules_dirs, no_repair)
    store = Store(Path(out))
    learned = _learned(store)
    rows: dict[str, list[dict]] = {"paragraphs": [], "documents": [], "edits": []}
    files: dict[str, dict] = {}
    docs: list[dict] = []
    examples: dict[str, str] = {}
    nbytes = 0
    folder = RawFolder(raw)
    for src in sources:
        try:
            if failure:
                raise RuntimeError(failure)
            result = read_and_process(folder, src, ruleset,
                                      learned.get(templates.site_of(src), frozenset()))
        except Exception as exc:  # a bug must cost one file, not the run
            result = FileResult(src, "", 0, "quarantined", f"internal error: {type(exc).__name__}: {exc}")
        nbytes += result.size
        examples.update(result.candidates)
        sigs = sorted(result.candidates)
        if result.page is not None and result.status in ("ok", "partial") and result.title:
            key = pages.group_key(src, result.title)
            store.save_page(result)
            files[src] = {"sha256": result.sha256, "doc_id": doc_id_for_group(key), "group": key,
                          "sigs": sigs}
            continue
        doc_id = doc_id_for_file(src)
        _add(rows, docs, build_document(doc_id, [result], ruleset, version))
        files[src] = {"sha256": result.sha256, "doc_id": doc_id, "group": None, "sigs": sigs}
        if result.status == "quarantined" and result.error.startswith(RETRY_ERRORS):
            files[src]["retry"] = True  # not bad input: the next run reads it again
    part = _write(store, rows, version)
    return {"part": part, "doc_ids": [d["doc_id"] for d in docs], "files": files,
            "docs": docs, "bytes": nbytes, "examples": examples}


def _reread(folder: RawFolder, source: str, ruleset, learned: dict[str, frozenset[str]]) -> FileResult | None:
    """A page missing from the cache (deleted, or lost in a crash): clean it again from raw/,
    with its site's learned template, as process_batch would."""
    if not folder.has(source):
        return None
    return read_and_process(folder, source, ruleset, learned.get(templates.site_of(source), frozenset()))


def _current_files(p: Plan, old_files: dict, batch_results: list[dict]) -> dict[str, dict]:
    """Manifest entries for every file now in raw/: unchanged ones plus this run's, later wins."""
    gone = set(p.todo) | set(p.deleted)
    files = {s: e for s, e in old_files.items() if s not in gone}
    for b in batch_results:
        files.update(b["files"])
    return files


def relearn(p: Plan, batch_results: list[dict]) -> list[str]:
    """Recount template candidates per site, save what is learned, return files to redo.

    Counts come from the signatures of every current file (the manifest's for
    unchanged files, this run's for the rest), so they never double count and
    a deleted file stops counting. A file whose cleaning the change in learned
    templates affects is returned, to be processed again.
    """
    store = Store(Path(p.out))
    ruleset = rules_mod.load(p.rules_dirs, p.no_repair)
    old = store.load_templates()
    old_files = _old_files(p, store.load_manifest())
    files = _current_files(p, old_files, batch_results)

    site_docs: Counter = Counter()
    site_sigs: dict[str, Counter] = {}
    for src, entry in files.items():
        site = templates.site_of(src)
        site_docs[site] += 1
        site_sigs.setdefault(site, Counter()).update(entry.get("sigs", ()))
    learned = templates.learn(site_docs, site_sigs, ruleset.templates)

    examples = dict(old.get("examples", {}))
    for b in batch_results:
        examples.update(b.get("examples", {}))
    keep = {sig for sigs in site_sigs.values() for sig, n in sigs.items() if n >= 2}
    data = {
        "learned": {site: sorted(sigs) for site, sigs in learned.items()},
        "examples": {sig: text for sig, text in examples.items() if sig in keep},
        "counts": {site: {sig: site_sigs[site][sig] for sig in sigs} for site, sigs in learned.items()},
        "docs": {site: site_docs[site] for site in learned},
    }
    old_learned = {site: set(sigs) for site, sigs in old.get("learned", {}).items()}
    if data["learned"] != {site: sorted(sigs) for site, sigs in old_learned.items()}:
        store.save_templates(data)

    changed = {site: learned.get(site, set()) ^ old_learned.get(site, set())
               for site in set(learned) | set(old_learned)}
    redo = sorted(src for src, entry in files.items()
                  if changed.get(templates.site_of(src)) and changed[templates.site_of(src)].intersection(entry.get("sigs", ())))
    deleted = set(p.deleted)
    p.redo = [s for s in redo if s not in deleted]
    return p.redo


@dataclass
class RunSummary:
    documents: dict[str, int]
    paragraphs: int
    lines_removed: int
    edits: int
    files_processed: int
    files_unchanged: int
    files_deleted: int
    files_redone: int
    bytes: int
    quarantined: list[dict]
    wrote: bool
    removed_by_class: dict[str, int] = field(default_factory=dict)
    edits_by_action: dict[str, int] = field(default_factory=dict)
    document_rows: list[dict] = field(default_factory=list)  # per document of this run, for reports
    seconds: float = 0.0
    internal_errors: int = 0  # documents quarantined by a bug rather than by their input
    partial: list[dict] = field(default_factory=list)  # sources and why, as for quarantined
    lines_read: int = 0  # lines (or HTML blocks) of the documents this run built
    # User rules (from --rules / DOCCLEAN_RULES) that removed most of the run's lines: a regex
    # such as a stray `.` matches everything. {rule, pack, lines_removed, share}
    suspicious_rules: list[dict] = field(default_factory=list)

    def check(self) -> None:
        """Raise InternalErrors when internal errors pass the threshold (after the commit:
        the good files' output stands, and the run still fails)."""
        if self.internal_errors >= max(INTERNAL_ERROR_MIN, INTERNAL_ERROR_SHARE * self.files_processed):
            first = next((q["error"] for q in self.quarantined if q["error"].startswith("internal error")), "")
            raise InternalErrors(f"{self.internal_errors} of {self.files_processed} file(s) failed with an "
                                 f"internal error (a bug in docclean, not bad input); first: {first}")

    def as_dict(self) -> dict:
        return asdict(self)


def _touched(p: Plan) -> set[str]:
    """Files whose documents this run replaces: changed, deleted, or cleaned again."""
    return set(p.todo) | set(p.deleted) | set(p.redo)


def _touched_groups(p: Plan, old_files: dict, files: dict) -> set[str]:
    """Multi-page documents to rebuild: each one that gained, lost or changed a page."""
    touched = _touched(p)
    groups = {e["group"] for s, e in files.items() if s in touched and e["group"]}
    return groups | {old_files[s]["group"] for s in touched if s in old_files and old_files[s]["group"]}


def _old_files(p: Plan, manifest: dict) -> dict:
    """The last run's manifest entries, or none when this run rebuilds everything."""
    return {} if p.full_rebuild else manifest.get("files", {})


def stitch_groups(p: Plan, batch_results: list[dict]) -> list[tuple[str, list[tuple[str, str]]]]:
    """The multi-page documents to build, as (group key, [(source, sha256) of each current
    page]), sorted by key. A group that lost all its pages is not here: finalize drops it."""
    old_files = _old_files(p, Store(Path(p.out)).load_manifest())
    files = _current_files(p, old_files, batch_results)
    members: dict[str, list[tuple[str, str]]] = {}
    groups = _touched_groups(p, old_files, files)
    for s, e in sorted(files.items()):
        if e["group"] in groups:
            members.setdefault(e["group"], []).append((s, e["sha256"]))
    return sorted(members.items())


def stitch_batch(raw: str, out: str, groups: list[tuple[str, list[tuple[str, str]]]], version: str,
                 rules_dirs: tuple[str, ...] = (), no_repair: bool = False) -> dict:
    """Build the multi-page documents ``groups`` (from :func:`stitch_groups`) and write them
    as one part. Pages come from the page cache, or are cleaned again from raw/ when the
    cache lost them. A failure costs one document, quarantined, never the batch."""
    ruleset = rules_mod.load(rules_dirs, no_repair)
    store, folder = Store(Path(out)), RawFolder(raw)
    learned = _learned(store)
    rows: dict[str, list[dict]] = {"paragraphs": [], "documents": [], "edits": []}
    docs: list[dict] = []
    for key, members in groups:
        doc_id = doc_id_for_group(key)
        try:
            results = [store.load_page(sha) or _reread(folder, src, ruleset, learned) for src, sha in members]
            results = [r for r in results if r is not None and r.page is not None]
            if not results:
                continue
            documents = pages.split(results)
            if len(documents) > 1:  # files that share a title but are not one document's pages
                for n, doc_pages in enumerate(documents):
                    # The first keeps the group's id; the others are named by their first page's file.
                    one = doc_id if n == 0 else doc_id_for_group(f"{key}\x1f{doc_pages[0].source}")
                    built = build_document(one, doc_pages, ruleset, version)
                    built.document["status"] = "partial" if built.document["status"] == "ok" else built.document["status"]
                    built.document["error"] = "; ".join(x for x in (built.document["error"], pages.CONFLICT) if x)
                    _add(rows, docs, built)
                continue
            built = build_document(doc_id, results, ruleset, version)
        except Exception as exc:  # a bug must cost one document, not the run
            src, sha = members[0]
            built = build_document(doc_id, [FileResult(src, sha, 0, "quarantined",
                                                       f"internal error: {type(exc).__name__}: {exc}")],
                                   ruleset, version)
            built.document.update(sources=[s for s, _ in members], n_sources=len(members))
        _add(rows, docs, built)
    return {"part": _write(store, rows, version), "doc_ids": [d["doc_id"] for d in docs], "docs": docs}


def finalize(p: Plan, batch_results: list[dict], stitch_results: list[dict]) -> RunSummary:
    """Drop replaced documents from old parts, commit the manifest, summarise the run.

    ``batch_results`` are in the order they were produced; when a file was
    processed twice (a template changed under it), the later result wins.
    ``stitch_results`` are :func:`stitch_batch`'s, for the groups of :func:`stitch_groups`.
    """
    store = Store(Path(p.out))
    old = store.load_manifest()
    old_files = _old_files(p, old)
    old_parts: dict[str, list[str]] = {} if p.full_rebuild else old.get("parts", {})
    retired = list(old.get("parts", {})) if p.full_rebuild else []

    files = _current_files(p, old_files, batch_results)
    touched = _touched(p)
    docs: dict[str, dict] = {}
    new_parts: dict[str, list[str]] = {}
    for b in batch_results + stitch_results:
        docs.update({d["doc_id"]: d for d in b["docs"]})
        if b["part"]:
            new_parts[b["part"]] = b["doc_ids"]

    # Documents whose old rows must go: those of every touched file, and every
    # multi-page document that gained, lost or changed a page (rebuilt by stitch_batch).
    drop = {old_files[s]["doc_id"] for s in touched if s in old_files}
    rebuilt = _touched_groups(p, old_files, files)
    drop |= {doc_id_for_group(k) for k in rebuilt}
    # A group may have been built as several documents: each file records which it went to.
    drop |= {e["doc_id"] for e in old_files.values() if e.get("group") in rebuilt}
    for b in stitch_results:
        for d in b["docs"]:
            for s in d["sources"]:
                if s in files:
                    files[s]["doc_id"] = d["doc_id"]

    # Each document lives in exactly one part: the last one written for it.
    owner: dict[str, str] = {i: part for part, ids in old_parts.items() for i in ids if i not in drop}
    for part, ids in new_parts.items():  # dicts keep insertion order: later parts win
        owner.update({i: part for i in ids})
    parts: dict[str, list[str]] = {}
    for part, ids in {**old_parts, **new_parts}.items():
        keep = [i for i in ids if owner.get(i) == part]
        if keep == list(ids):
            parts[part] = list(ids)
            continue
        retired.append(part)
        if keep:
            fresh = new_part_name()
            store.rewrite_without(part, set(ids) - set(keep), fresh)
            parts[fresh] = keep

    # Each file's stamp as listed by this run's plan (a file whose stamp changed but whose
    # content did not is only restamped).
    restamped = False
    for s, e in files.items():
        if e.get("stamp") != p.stamps.get(s):
            e["stamp"] = p.stamps.get(s)
            restamped = True
    wrote = bool(new_parts or retired or touched or p.full_rebuild)  # the datasets changed
    if wrote or restamped:
        store.save_manifest({"pipeline_version": p.pipeline_version,
                             "schema_version": schema.SCHEMA_VERSION,
                             "templates": store.templates_digest(),
                             "files": files, "parts": parts})
        store.publish(parts)  # readers switch to the new state in one step
        for name in retired:
            store.delete_part(name)
        store.prune_pages({e["sha256"] for e in files.values() if e["group"]})

    final = [d for i, d in docs.items() if i in owner]
    status = Counter(d["status"] for d in final)
    lines_read = sum(d.get("n_lines", 0) for d in final)
    return RunSummary(
        documents={k: status.get(k, 0) for k in ("ok", "partial", "empty", "quarantined")},
        paragraphs=sum(d["n_paragraphs"] for d in final),
        lines_removed=sum(d["n_lines_removed"] for d in final),
        edits=sum(d["n_edits"] for d in final),
        files_processed=len(p.todo),
        files_unchanged=p.unchanged,
        files_deleted=len(p.deleted),
        files_redone=len(p.redo),
        bytes=sum(b["bytes"] for b in batch_results),
        quarantined=[{"sources": d["sources"], "error": d["error"]} for d in final
                     if d["status"] == "quarantined"],
        internal_errors=sum(1 for d in final if d["status"] == "quarantined" and "internal error" in (d["error"] or "")),
        partial=[{"sources": d["sources"], "error": d["error"]} for d in final if d["status"] == "partial"],
        lines_read=lines_read,
        suspicious_rules=suspicious_rules(p.rules_dirs, final, lines_read),
        wrote=wrote,
        removed_by_class=dict(sum((Counter(d["removed_by_class"]) for d in final), Counter())),
        edits_by_action=dict(sum((Counter(d["edits_by_action"]) for d in final), Counter())),
        # Problem documents first, capped: a report row per document of a 100k-file backlog
        # would cost memory and help nobody; the documents/ table has them all.
        document_rows=[{k: d[k] for k in ("doc_id", "title", "status", "error", "n_paragraphs",
                                          "n_lines_removed", "n_edits")} | {"sources": ", ".join(d["sources"])}
                       for d in sorted(final, key=lambda d: (d["status"] == "ok", d["sources"]))[:REPORT_ROWS]],
    )


SUSPICIOUS_SHARE = 0.5  # a user rule removing more than this share of a run's lines is reported
SUSPICIOUS_MIN_LINES = 10


def _user_rule_packs(rules_dirs: tuple[str, ...]) -> dict[str, str]:
    """Names of the boilerplate rules defined in the user's rule folders -> their pack file."""
    names: dict[str, str] = {}
    for d in rules_mod._user_dirs(tuple(rules_dirs)):
        path = Path(d) / "boilerplate.toml"
        if path.is_file():
            try:
                data = rules_mod.tomllib.loads(path.read_text("utf-8"))
            except (OSError, ValueError):
                continue  # the rule loader has already said what is wrong with it
            names.update({r["name"]: str(path) for r in data.get("rule", []) if "name" in r})
    return names


def suspicious_rules(rules_dirs: tuple[str, ...], docs: list[dict], lines_read: int) -> list[dict]:
    """User rules that removed more than SUSPICIOUS_SHARE of the lines this run read."""
    if lines_read < SUSPICIOUS_MIN_LINES:
        return []
    user = _user_rule_packs(rules_dirs)
    if not user:
        return []
    removed = sum((Counter(d.get("removed_by_rule", {})) for d in docs), Counter())
    return [{"rule": r, "pack": user[r], "lines_removed": n, "share": round(n / lines_read, 3)}
            for r, n in removed.most_common() if r in user and n > SUSPICIOUS_SHARE * lines_read]


def run_local(raw: Path, out: Path, *, batch_size: int = DEFAULT_BATCH_SIZE,
              rules_dirs: tuple[str, ...] = (), no_repair: bool = False) -> RunSummary:
    """The whole run in this process, no Prefect: for tests, benchmarks and debugging.

    The Prefect flow in ``flows/ingest.py`` runs exactly these steps with
    batches as tasks.
    """
    t0 = time.perf_counter()
    store = Store(Path(out))
    with store.locked():
        p = plan(raw, out, batch_size=batch_size, rules_dirs=rules_dirs, no_repair=no_repair)
        results = [process_batch(p.raw, p.out, b, p.pipeline_version, p.rules_dirs, p.no_repair)
                   for b in p.batches]
        redo = relearn(p, results)
        results += [process_batch(p.raw, p.out, b, p.pipeline_version, p.rules_dirs, p.no_repair)
                    for b in p.batches_of(redo)]
        stitched = [stitch_batch(p.raw, p.out, g, p.pipeline_version, p.rules_dirs, p.no_repair)
                    for g in p.batches_of(stitch_groups(p, results))]
        summary = finalize(p, results, stitched)
    summary.seconds = round(time.perf_counter() - t0, 3)
    summary.check()
    return summary


def probably_unchanged(raw: str, out: str, rules_dirs: tuple[str, ...] = (), no_repair: bool = False) -> bool:
    """True when a run on ``raw`` very likely has nothing to do: the same pipeline version, the
    same files as the last commit and none modified since it (by mtime and ctime, no hashing).

    Only a hint, for the CLI not to start (and wait for) its workers on a rerun with nothing new;
    :func:`plan` decides. A URL, or anything unreadable, says False.
    """
    if is_url(raw):
        return False
    try:
        store = Store(Path(out))
        committed = store.manifest_path.stat().st_mtime
        manifest = store.load_manifest()
        if manifest.get("pipeline_version") != pipeline_version(rules_dirs, no_repair):
            return False
        files = manifest.get("files", {})
        if any(f.get("retry") for f in files.values()):
            return False
        root = Path(raw)
        seen = 0
        stack = [root]
        while stack:
            with os.scandir(stack.pop()) as it:
                for e in it:
                    if e.is_dir(follow_symlinks=False):
                        stack.append(Path(e.path))
                    elif e.is_file():
                        st = e.stat()
                        if max(st.st_mtime, st.st_ctime) >= committed:
                            return False
                        if Path(e.path).relative_to(root).as_posix() not in files:
                            return False
                        seen += 1
        return seen == len(files)
    except (OSError, ValueError, rules_mod.RuleError):
        return False
