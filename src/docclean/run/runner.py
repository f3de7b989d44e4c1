"""A run in three passes, as plain functions the Prefect flow calls.

0. :func:`plan` scans ``raw/``, hashes each file and compares it with the
   manifest (read once, here): only new or changed files (or all, when the
   pipeline version changed) are processed.
1. **extract** (:func:`extract_batch`, a batch of files per task): decode, HTML,
   classify lines, template candidates and page markers. Each file's extract is
   kept under ``_state/extract/<fingerprint>/``, keyed by content hash, so an
   unchanged file is never decoded or classified again, whatever else changed.
2. **learn** (:func:`learn`, in the flow process): each site's template from
   the candidates of every current file, and the page groups; it names the
   documents to build: those of changed files, of files a template change
   affects, and every multi-page document that gained, lost or changed a page.
3. **assemble** (:func:`assemble_batch`, a batch of documents per task): the
   learned template lines dropped, pages stitched, structure found, repairs
   made once, the documents written as one part. Single-file and multi-page
   documents take the same path.
4. :func:`finalize` removes replaced documents from older parts and commits
   the manifest.

Tasks take paths and plain values and return small summaries, so they run in
worker processes or on other machines. Each stage has a fingerprint (its code,
its data files, the rule packs it reads: :func:`stage_fingerprints`); the
pipeline version is made of them, so a change to repair's data re-assembles
from the cached extracts and never decodes a file again.
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
from docclean.lines import lexical, pages, stack, templates
from docclean.model import FileResult
from docclean.run import passes
from docclean.run.passes import (  # noqa: F401  (read_and_process, build_document: for callers of old)
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


# ----------------------------------------------------------------------------- fingerprints

PACKAGE = Path(__file__).resolve().parents[1]  # the docclean package
_FINGERPRINTED = (".py", ".toml", ".tsv", ".txt", ".gz")
# The extract stage's code: what runs before learned templates and repairs. Its cache is only
# as right as this list, so it errs on the wide side (all of input/ and lines/ but the two
# modules only assembly runs). Its data files are those its code names; its rules the packs below.
EXTRACT_CODE = ("__init__.py", "model.py", "text.py", "rules.py", "input/*.py", "lines/*.py", "run/passes.py")
ASSEMBLE_ONLY = ("lines/wraps.py", "lines/pages.py")
EXTRACT_RULES = ("lines", "boilerplate", "structure", "templates")
# Learning: template counting and page groups (from titles and markers).
LEARN_CODE = ("lines/templates.py", "lines/pages.py", "run/runner.py")
LEARN_RULES = ("templates",)
# Assembly: everything else that decides the output, on purpose all of the package's code and
# data (only the command line's own modules left out): a change there costs a re-assembly from
# cached extracts, never a wrong output.
NOT_OUTPUT = ("cli/",)


def _package_files() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*") if p.is_file() and p.suffix in _FINGERPRINTED
                  and "__pycache__" not in p.parts)


def _rel(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


def _digest(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(_rel(path).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def extract_files() -> list[Path]:
    """The extract stage's code files and the data files they name."""
    code = sorted({p for pat in EXTRACT_CODE for p in PACKAGE.glob(pat)
                   if p.is_file() and _rel(p) not in ASSEMBLE_ONLY})
    text = "".join(p.read_text("utf-8") for p in code)
    data = [p for p in sorted((PACKAGE / "data").iterdir()) if p.is_file() and p.name in text]
    return code + data


def learn_files() -> list[Path]:
    return sorted({p for pat in LEARN_CODE for p in PACKAGE.glob(pat)})


def assemble_files() -> list[Path]:
    return [p for p in _package_files() if not _rel(p).startswith(NOT_OUTPUT)]


@lru_cache(maxsize=1)
def code_fingerprints() -> dict[str, str]:
    """Per stage, a digest of its code and shipped data, so that an upgrade re-runs what it
    changes: ``__version__`` alone has not changed in years of commits. A few milliseconds,
    once per process."""
    return {"extract": _digest(extract_files()), "learn": _digest(learn_files()),
            "assemble": _digest(assemble_files())}


def _rules_digest(packs: tuple[str, ...], rules_dirs: tuple[str, ...]) -> str:
    """The rule packs ``packs`` as loaded: the shipped file and each user folder's, in order."""
    digest = hashlib.sha256()
    for name in packs:
        for d in [rules_mod.PACKAGE_RULES, *rules_mod._user_dirs(tuple(rules_dirs))]:
            path = Path(d) / f"{name}.toml"
            if path.exists():
                digest.update(f"{name}\x1f".encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def stage_fingerprints(rules_dirs: tuple[str, ...] = (), no_repair: bool = False) -> dict[str, str]:
    """Each stage's fingerprint: its code and data (:func:`code_fingerprints`) and the rules it
    reads. Assembly reads every pack and ``--no-repair`` (the rule set's own fingerprint)."""
    code = code_fingerprints()
    ruleset = rules_mod.load(rules_dirs, no_repair)  # also checks the rules: a bad one raises here

    def fp(*parts: str) -> str:
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:12]

    # A user's line models (DOCCLEAN_LINE_MODEL, DOCCLEAN_LINE_STACK)
    own_model = [d for d in [lexical.own_model_digest(), stack.own_model_digest()] if d]
    return {"extract": fp(__version__, code["extract"], _rules_digest(EXTRACT_RULES, rules_dirs), *own_model),
            "learn": fp(__version__, code["learn"], _rules_digest(LEARN_RULES, rules_dirs)),
            "assemble": fp(__version__, code["assemble"], ruleset.fingerprint)}


def pipeline_version(rules_dirs: tuple[str, ...] = (), no_repair: bool = False) -> str:
    """Code version + the stages' fingerprints + schema version: a change to any of them
    rebuilds every document (from cached extracts, unless the extract stage changed)."""
    f = stage_fingerprints(rules_dirs, no_repair)
    return f"{__version__}+e{f['extract']}+l{f['learn']}+a{f['assemble']}+s{schema.SCHEMA_VERSION}"


def extract_key(sha: str, source: str) -> str:
    """A file's extract depends on its bytes and on whether its name says HTML."""
    return f"{sha}.{'html' if passes.html_named(source) else 'text'}"


# ----------------------------------------------------------------------------- plan

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
    fingerprints: dict[str, str] = field(default_factory=dict)  # stage -> fingerprint
    manifest: dict = field(default_factory=dict, repr=False)  # the last commit's, read once by plan
    files: dict[str, dict] | None = field(default=None, repr=False)  # this run's entries, from learn

    def batches_of(self, items: list) -> list[list]:
        return [items[i:i + self.batch_size] for i in range(0, len(items), self.batch_size)]

    @property
    def extract_fingerprint(self) -> str:
        return self.fingerprints["extract"]


def plan(raw: Path, out: Path, *, batch_size: int = DEFAULT_BATCH_SIZE,
         rules_dirs: tuple[str, ...] = (), no_repair: bool = False) -> Plan:
    folder = RawFolder(raw)
    if is_url(out):
        raise ValueError(f"the output must be a local folder, not {out}: the store needs atomic renames "
                         "and a lock file, which object stores do not have")
    out = Path(out)
    folder.check()
    fingerprints = stage_fingerprints(rules_dirs, no_repair)
    version = pipeline_version(rules_dirs, no_repair)
    store = Store(out)
    manifest = store.load_manifest()  # the one read of the manifest in a run
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
             stamps={s: v for s, v in stamps.items() if v is not None},
             fingerprints=fingerprints, manifest=manifest)
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


def _group_of(r: FileResult) -> str | None:
    """The page group of a finished file, or None when it is a document of its own."""
    if r.page is not None and r.status in ("ok", "partial") and r.title:
        return pages.group_key(r.source, r.title)
    return None


def _entry(source: str, sha: str, group: str | None, sigs: list[str], paged: bool) -> dict:
    return {"sha256": sha, "doc_id": doc_id_for_group(group) if group else doc_id_for_file(source),
            "group": group, "sigs": sigs, "paged": paged}


def _load_extract(store: Store, fingerprint: str, source: str, sha: str) -> passes.Extract | None:
    data = store.load_extract(fingerprint, extract_key(sha, source)) if sha else None
    return passes.Extract.from_json(data) if data is not None else None


def _keep_extract(store: Store, fingerprint: str, source: str, ex: passes.Extract) -> None:
    """Cache a file's extract. Best effort: a cache that cannot be written (a full disk) costs
    a new extraction later, never the file; the part written at assembly does fail loudly."""
    try:
        store.save_extract(fingerprint, extract_key(ex.sha256, source), ex.to_json())
    except OSError:
        pass


def _extract_again(store: Store, folder: RawFolder, fingerprint: str, source: str, sha: str,
                   ruleset) -> tuple[passes.Extract | None, str | None]:
    """A file's extract from the cache, or made again from raw/ when the cache lost it
    (deleted, or lost in a crash): (extract, None), or (None, why) when raw/ cannot give it."""
    ex = _load_extract(store, fingerprint, source, sha)
    if ex is not None:
        return ex, None
    if not folder.has(source):
        return None, "unreadable: no longer in the raw folder"
    data, why = passes.read_bytes(folder, source)
    if data is None:
        return None, why
    ex = passes.extract_bytes(data, source, ruleset)
    _keep_extract(store, fingerprint, source, ex)
    return ex, None


# ----------------------------------------------------------------------------- 1. extract

def extract_batch(raw: str, out: str, sources: list[str], fingerprint: str,
                  rules_dirs: tuple[str, ...] = (), no_repair: bool = False, failure: str | None = None) -> dict:
    """The extract pass on ``sources``: each file read (retrying passing errors) and hashed,
    then decoded and classified unless the cache has its extract for ``fingerprint``.

    Returns each file's manifest entry (content hash, template candidates, its page group as
    the site's current templates give it), the candidates' example lines, the bytes read and
    how many files were extracted (not found in the cache). A failure inside one file costs
    that file, never the batch: its entry carries the reason, for assembly to quarantine it.
    ``failure``: the batch could not run at all (its worker died twice): each file is given
    that reason, unread.
    """
    ruleset = rules_mod.load(rules_dirs, no_repair)
    store, folder = Store(Path(out)), RawFolder(raw)
    learned = _learned(store)
    files: dict[str, dict] = {}
    examples: dict[str, str] = {}
    nbytes = extracted = 0
    for src in sources:
        try:
            if failure:
                raise RuntimeError(failure)
            data, why = passes.read_bytes(folder, src)
            if data is None:
                files[src] = _entry(src, "", None, [], False) | {"error": why, "retry": True}
                continue
            sha = passes.sha256(data)
            ex = _load_extract(store, fingerprint, src, sha)
            if ex is None:
                ex = passes.extract_bytes(data, src, ruleset)
                _keep_extract(store, fingerprint, src, ex)
                extracted += 1
            group = None
            if ex.markers:  # only a file with a page marker can be a page of a larger document
                group = _group_of(passes.finish(ex, src, ruleset, learned.get(templates.site_of(src), frozenset())))
            entry = _entry(src, sha, group, sorted(ex.candidates), bool(ex.markers))
        except Exception as exc:  # a bug must cost one file, not the run
            entry = _entry(src, "", None, [], False) | {
                "error": f"internal error: {type(exc).__name__}: {exc}", "retry": True}
            ex = None
        files[src] = entry
        if ex is not None:
            nbytes += ex.size
            examples.update(ex.candidates)
    return {"files": files, "examples": examples, "bytes": nbytes, "extracted": extracted}


# ----------------------------------------------------------------------------- 2. learn

def _current_files(p: Plan, old_files: dict, batch_results: list[dict]) -> dict[str, dict]:
    """Manifest entries for every file now in raw/: unchanged ones plus this run's, later wins."""
    gone = set(p.todo) | set(p.deleted)
    files = {s: e for s, e in old_files.items() if s not in gone}
    for b in batch_results:
        files.update(b["files"])
    return files


def relearn(p: Plan, batch_results: list[dict]) -> list[str]:
    """Recount template candidates per site, save what is learned, return the files it affects.

    Counts come from the signatures of every current file (the manifest's for
    unchanged files, this run's for the rest), so they never double count and
    a deleted file stops counting. A file whose cleaning the change in learned
    templates affects is returned, to be assembled again.
    """
    store = Store(Path(p.out))
    ruleset = rules_mod.load(p.rules_dirs, p.no_repair)
    old = store.load_templates()
    files = p.files if p.files is not None else _current_files(p, _old_files(p), batch_results)

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


def learn(p: Plan, extract_results: list[dict]) -> list[dict]:
    """The learn pass, in the flow process: site templates (:func:`relearn`) and page groups.

    Returns the documents to assemble, sorted: ``{"file": source, "sha256": ...}`` for a
    single-file document, ``{"group": key, "members": [[source, sha256], ...]}`` for a
    multi-page one (every current page of a group that gained, lost or changed one). A group
    that lost all its pages is not among them: finalize drops it.
    """
    files = _current_files(p, _old_files(p), extract_results)
    p.files = files
    redo = relearn(p, extract_results)
    if redo:
        # A changed template can change a page's title, so its group: finish those files again
        # (from their cached extracts) with the new templates. Only files with a page marker.
        store, folder = Store(Path(p.out)), RawFolder(p.raw)
        ruleset = rules_mod.load(p.rules_dirs, p.no_repair)
        learned = _learned(store)
        for s in redo:
            e = files[s]
            if not e.get("paged", True) or e.get("error") or not e["sha256"]:
                continue
            try:
                ex, _ = _extract_again(store, folder, p.extract_fingerprint, s, e["sha256"], ruleset)
                group = _group_of(passes.finish(ex, s, ruleset, learned.get(templates.site_of(s), frozenset()))) \
                    if ex is not None else None
            except Exception:  # assembly meets the same bug and quarantines the document
                group = None
            files[s] = {**e, "group": group,
                        "doc_id": doc_id_for_group(group) if group else doc_id_for_file(s)}
    touched = _touched(p)
    groups = _touched_groups(p, _old_files(p), files)
    docs: list[dict] = []
    for s in sorted(touched):
        e = files.get(s)
        if e is not None and not e["group"]:
            docs.append({"file": s, "sha256": e["sha256"], "error": e.get("error")})
    members: dict[str, list[list[str]]] = {}
    for s, e in sorted(files.items()):
        if e["group"] in groups:
            members.setdefault(e["group"], []).append([s, e["sha256"]])
    docs += [{"group": key, "members": m} for key, m in sorted(members.items())]
    return docs


# ----------------------------------------------------------------------------- 3. assemble

def assemble_batch(raw: str, out: str, docs: list[dict], version: str, fingerprint: str,
                   rules_dirs: tuple[str, ...] = (), no_repair: bool = False, failure: str | None = None) -> dict:
    """The assemble pass on a batch of documents (from :func:`learn`): each file's extract
    (from the cache, or extracted again from raw/ when the cache lost it) finished with its
    site's learned templates, pages stitched, paragraphs and repairs, written as one part.

    A failure costs one document, quarantined (and its files read again by the next run),
    never the batch. ``failure``: the batch could not run at all (its worker died twice).
    """
    ruleset = rules_mod.load(rules_dirs, no_repair)
    store, folder = Store(Path(out)), RawFolder(raw)
    learned = _learned(store)
    rows: dict[str, list[dict]] = {"paragraphs": [], "documents": [], "edits": []}
    built_docs: list[dict] = []
    retry: list[str] = []

    def finished(src: str, sha: str) -> FileResult | None:
        ex, _ = _extract_again(store, folder, fingerprint, src, sha, ruleset)
        if ex is None:  # the page is gone from raw/ (or cannot be read): the others are stitched
            return None
        return passes.finish(ex, src, ruleset, learned.get(templates.site_of(src), frozenset()))

    for spec in docs:
        if "file" in spec:
            src = spec["file"]
            doc_id = doc_id_for_file(src)
            try:
                if failure:
                    raise RuntimeError(failure)
                if spec.get("error"):
                    r = FileResult(src, "", 0, "quarantined", spec["error"])
                else:
                    ex, why = _extract_again(store, folder, fingerprint, src, spec["sha256"], ruleset)
                    if ex is None:
                        r = FileResult(src, "", 0, "quarantined", why)
                        retry.append(src)
                    else:
                        r = passes.finish(ex, src, ruleset, learned.get(templates.site_of(src), frozenset()))
                built = passes.build_document(doc_id, [r], ruleset, version)
            except Exception as exc:  # a bug must cost one document, not the run
                built = passes.build_document(doc_id, [FileResult(src, "", 0, "quarantined",
                                                                  f"internal error: {type(exc).__name__}: {exc}")],
                                              ruleset, version)
                retry.append(src)
            _add(rows, built_docs, built)
            continue

        key, members = spec["group"], [tuple(m) for m in spec["members"]]
        doc_id = doc_id_for_group(key)
        try:
            if failure:
                raise RuntimeError(failure)
            results = [finished(src, sha) for src, sha in members]
            results = [r for r in results if r is not None and r.page is not None]
            if not results:
                continue
            documents = pages.split(results)
            if len(documents) > 1:  # files that share a title but are not one document's pages
                for n, doc_pages in enumerate(documents):
                    # The first keeps the group's id; the others are named by their first page's file.
                    one = doc_id if n == 0 else doc_id_for_group(f"{key}\x1f{doc_pages[0].source}")
                    built = passes.build_document(one, doc_pages, ruleset, version)
                    built.document["status"] = "partial" if built.document["status"] == "ok" else built.document["status"]
                    built.document["error"] = "; ".join(x for x in (built.document["error"], pages.CONFLICT) if x)
                    _add(rows, built_docs, built)
                continue
            built = passes.build_document(doc_id, results, ruleset, version)
        except Exception as exc:  # a bug must cost one document, not the run
            src, sha = members[0]
            built = passes.build_document(doc_id, [FileResult(src, sha, 0, "quarantined",
                                                              f"internal error: {type(exc).__name__}: {exc}")],
                                          ruleset, version)
            built.document.update(sources=[s for s, _ in members], n_sources=len(members))
            retry += [s for s, _ in members]
        _add(rows, built_docs, built)
    return {"part": _write(store, rows, version), "doc_ids": [d["doc_id"] for d in built_docs],
            "docs": built_docs, "retry": retry}


@dataclass
class RunSummary:
    documents: dict[str, int]
    paragraphs: int
    lines_removed: int
    edits: int
    files_processed: int
    files_unchanged: int
    files_deleted: int
    files_redone: int  # unchanged files assembled again because their site's template changed
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
    files_extracted: int = 0  # files decoded and classified (the others' extracts were cached)
    documents_assembled: int = 0  # documents built (learned templates, stitching, repairs)

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


def _old_files(p: Plan) -> dict:
    """The last run's manifest entries, or none when this run rebuilds everything."""
    return {} if p.full_rebuild else p.manifest.get("files", {})


def finalize(p: Plan, extract_results: list[dict], assemble_results: list[dict]) -> RunSummary:
    """Drop replaced documents from old parts, commit the manifest, summarise the run.

    ``extract_results`` are :func:`extract_batch`'s; ``assemble_results`` are
    :func:`assemble_batch`'s, for the documents of :func:`learn`.
    """
    store = Store(Path(p.out))
    old = p.manifest
    old_files = _old_files(p)
    old_parts: dict[str, list[str]] = {} if p.full_rebuild else old.get("parts", {})
    retired = list(old.get("parts", {})) if p.full_rebuild else []

    files = dict(p.files if p.files is not None else _current_files(p, old_files, extract_results))
    for b in assemble_results:  # a document that hit a bug: its files are read again next run
        for s in b.get("retry", ()):
            if s in files:
                files[s] = {**files[s], "retry": True}
    touched = _touched(p)
    docs: dict[str, dict] = {}
    new_parts: dict[str, list[str]] = {}
    for b in assemble_results:
        docs.update({d["doc_id"]: d for d in b["docs"]})
        if b["part"]:
            new_parts[b["part"]] = b["doc_ids"]

    # Documents whose old rows must go: those of every touched file, and every
    # multi-page document that gained, lost or changed a page (rebuilt by assemble_batch).
    drop = {old_files[s]["doc_id"] for s in touched if s in old_files}
    rebuilt = _touched_groups(p, old_files, files)
    drop |= {doc_id_for_group(k) for k in rebuilt}
    # A group may have been built as several documents: each file records which it went to.
    drop |= {e["doc_id"] for e in old_files.values() if e.get("group") in rebuilt}
    for b in assemble_results:
        for d in b["docs"]:
            for s in d["sources"]:
                if s in files and files[s]["doc_id"] != d["doc_id"]:
                    files[s] = {**files[s], "doc_id": d["doc_id"]}

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
            files[s] = {**e, "stamp": p.stamps.get(s)}
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
        store.prune_extracts(p.extract_fingerprint, {extract_key(e["sha256"], s) for s, e in files.items()
                                                     if e["sha256"]})

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
        bytes=sum(b["bytes"] for b in extract_results),
        files_extracted=sum(b.get("extracted", 0) for b in extract_results),
        documents_assembled=sum(len(b["docs"]) for b in assemble_results),
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
        extracted = [extract_batch(p.raw, p.out, b, p.extract_fingerprint, p.rules_dirs, p.no_repair)
                     for b in p.batches]
        docs = learn(p, extracted)
        assembled = [assemble_batch(p.raw, p.out, b, p.pipeline_version, p.extract_fingerprint,
                                    p.rules_dirs, p.no_repair) for b in p.batches_of(docs)]
        summary = finalize(p, extracted, assembled)
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
