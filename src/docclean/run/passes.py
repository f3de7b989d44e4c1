"""Pure cleaning pipeline: one file to a FileResult, FileResults to table rows.

Nothing here knows about Prefect or the output folder; see ``runner`` for
that. Every function can be called on bytes in a test.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field, fields
from pathlib import Path

from docclean.input import html
from docclean.input.decoding import Decoded, NotText, decode, meta_charset
from docclean.input.rawfs import RawFolder
from docclean.lines import classify, pages, structure, templates, wraps
from docclean.lines.markers import PageInfo
from docclean.model import Edit, FileResult, Line
from docclean.repair import paragraph as repair
from docclean.rules import RuleSet

HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def doc_id_for_file(source: str) -> str:
    return hashlib.sha1(f"file\x1f{source}".encode()).hexdigest()[:16]


def doc_id_for_group(key: str) -> str:
    return hashlib.sha1(f"group\x1f{key}".encode()).hexdigest()[:16]


# Waits before reading a file again after a failed read (a store's time-out, a network
# blip): three tries in all. Missing files and permission errors are not retried.
READ_RETRY_DELAYS = (0.5, 2.0)
_FINAL_READ_ERRORS = (FileNotFoundError, IsADirectoryError, NotADirectoryError, PermissionError)


def read_bytes(folder: RawFolder, source: str) -> tuple[bytes | None, str | None]:
    """Read ``source`` from the raw folder, retrying passing errors: (data, None), or (None,
    why) for a file that still cannot be read (the next run reads it again)."""
    for attempt, delay in enumerate((*READ_RETRY_DELAYS, None)):
        try:
            return folder.read(source), None
        except Exception as exc:  # OSError, or a remote store's own errors (network, permissions)
            if delay is None or isinstance(exc, _FINAL_READ_ERRORS):
                why = exc.strerror if isinstance(exc, OSError) and exc.strerror else f"{type(exc).__name__}: {exc}"
                tries = f" (after {attempt + 1} tries)" if attempt else ""
                return None, f"unreadable{tries}: {why}"
            time.sleep(delay)
    raise AssertionError("unreachable")


def read_and_process(folder: RawFolder, source: str, rules: RuleSet,
                     learned: frozenset[str] = frozenset()) -> FileResult:
    """Read ``source`` from the raw folder (retrying passing errors) and clean it; a file
    that still cannot be read becomes a quarantined result marked for the next run to retry."""
    data, why = read_bytes(folder, source)
    if data is None:
        return FileResult(source, "", 0, "quarantined", why)
    return process_bytes(data, source, rules, learned)


@dataclass
class SourceLines:
    decoded: Decoded
    lines: list[str]  # text lines, or an HTML page's text blocks with the chrome left out
    html_title: str | None
    is_html: bool
    removed: list[tuple[str, str]] = field(default_factory=list)  # HTML blocks left out: (text, reason)


def source_lines(data: bytes, source: str) -> SourceLines:
    """Decode a file and split it into the lines cleaning works on (line numbers refer to these).

    Raises NotText or TruncatedHTML for input that is not a readable document.
    """
    is_html = html_named(source)
    declared = meta_charset(data) if is_html or data.lstrip()[:1] == b"<" else None
    decoded = decode(data, declared=declared)
    if is_html or html.looks_like_html(decoded.text):
        extracted = html.extract(decoded.text)
        return SourceLines(decoded, extracted.lines, extracted.title, True, extracted.removed)
    return SourceLines(decoded, decoded.text.splitlines(), None, False)


@dataclass
class Extract:
    """What the extract pass keeps of one file: everything before learned templates and
    repairs (decoded, HTML cut, lines classified, template candidates, page markers).

    It depends on the file's bytes and on whether its name says HTML, never on its path
    otherwise, and is small enough to cache as JSON under ``_state/`` (run.extract_cache)."""

    sha256: str
    size: int
    status: str  # ok | empty | quarantined (partial is decided when finishing)
    error: str | None = None
    encoding: str | None = None
    confidence: float | None = None
    n_lines: int = 0
    kept: list[Line] = field(default_factory=list)  # classified lines kept, before learned templates
    edits: list[Edit] = field(default_factory=list)  # classification's removals (HTML blocks first)
    title_index: int | None = None
    markers: list[tuple[int, int | None, int, str]] = field(default_factory=list)  # PageInfo.seen
    candidates: dict[str, str] = field(default_factory=dict)  # template candidates: sig -> text
    controls_removed: int = 0
    segments: bool = False  # decoded as UTF-8 then GB18030
    replaced: int = 0  # undecodable byte sequences replaced

    def to_json(self) -> dict:
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        out["kept"] = [[x.lineno, x.text, x.indent] for x in self.kept]
        out["edits"] = [e.as_row() for e in self.edits]
        out["markers"] = [list(m) for m in self.markers]
        return out

    @classmethod
    def from_json(cls, data: dict) -> Extract:
        data = dict(data)
        data["kept"] = [Line(*row) for row in data.get("kept", [])]  # lineno, text, indent
        data["edits"] = [Edit.from_row(x) for x in data.get("edits", [])]
        data["markers"] = [tuple(m) for m in data.get("markers", [])]
        return cls(**data)


def html_named(source: str) -> bool:
    return Path(source).suffix.lower() in HTML_SUFFIXES


def extract_bytes(data: bytes, source: str, rules: RuleSet) -> Extract:
    """The extract pass on one file: decode, HTML, classify lines, template candidates and
    page markers. Only ``source``'s suffix is used (HTML or not)."""
    ex = Extract(sha256(data), len(data), "ok")
    if not data.strip():
        ex.status, ex.error = "empty", "empty file"
        return ex
    try:
        src = source_lines(data, source)
    except (NotText, html.TruncatedHTML) as exc:
        ex.status, ex.error = "quarantined", str(exc)
        return ex
    decoded, raw_lines, html_title = src.decoded, src.lines, src.html_title
    ex.encoding, ex.confidence = decoded.encoding, decoded.confidence
    ex.n_lines = len(raw_lines)

    cleaned, title_index = classify.classify(raw_lines, rules)
    # Blocks the HTML extractor left out are removals like any other, with the reason.
    cleaned.edits[:0] = [Edit("remove", reason, "html_chrome", text, "", scope="block", confidence=0.9,
                              evidence=reason) for text, reason in src.removed if text.strip()]
    if title_index is None and html_title:
        title_index = _insert_html_title(cleaned, html_title, rules)

    cands = templates.candidates(cleaned.kept, title_index, rules.templates, rules.structure)
    ex.candidates = {c.sig: c.text for c in cands}
    ex.kept, ex.edits, ex.title_index = cleaned.kept, cleaned.edits, title_index
    ex.markers = list(cleaned.pages.seen)
    ex.controls_removed, ex.segments, ex.replaced = decoded.controls_removed, decoded.method == "segments", decoded.replaced
    return ex


def finish(ex: Extract, source: str, rules: RuleSet, learned: frozenset[str] = frozenset()) -> FileResult:
    """One file's extract with its site's learned template lines dropped and hard wraps
    joined: the page (or the whole of a single-file document) that assembly builds on.
    ``ex`` is not changed (it may be a cached extract used again)."""
    result = FileResult(source, ex.sha256, ex.size, ex.status, ex.error)
    if ex.status != "ok":  # empty or not a document: nothing was decoded
        return result
    result.encoding, result.confidence = ex.encoding, ex.confidence
    result.n_lines = ex.n_lines
    cleaned = classify.Cleaned(list(ex.kept), list(ex.edits), PageInfo(list(ex.markers)))
    title_index = ex.title_index
    result.candidates = dict(ex.candidates)
    if learned and learned.intersection(result.candidates):
        cleaned = _drop_learned(cleaned, learned, result.candidates)
        title_index = structure.find_title(cleaned.kept, rules.structure)

    result.lines, joins, title_index = wraps.join_wrapped(cleaned.kept, rules.structure, title_index,
                                                             rules.lines.official)
    result.edits = sorted(cleaned.edits + joins, key=lambda e: (e.line or 0, e.offset or 0))
    if title_index is not None and result.lines:
        result.title = result.lines[title_index].text
    result.page, result.page_count = cleaned.pages.resolve(
        result.lines[title_index].lineno if title_index is not None and result.lines else None)
    if ex.controls_removed:
        result.edits.insert(0, Edit("flag", "stray_control_bytes", "encoding", "", "",
                                    scope="document", evidence=f"{ex.controls_removed} NUL/control byte(s) dropped"))
    if ex.segments:
        result.edits.insert(0, Edit("flag", "mixed_encodings", "encoding", "", "", scope="document",
                                    evidence="UTF-8 then GB18030, each part decoded with its own codec"))
    if ex.replaced:
        result.edits.insert(0, Edit("flag", "undecodable_bytes", "encoding", "", "\ufffd",
                                    scope="document", confidence=ex.confidence))
        result.status = "partial"
        result.error = f"{ex.replaced} undecodable byte sequence(s) replaced with U+FFFD"
    if not result.lines:
        result.status = "empty"
        result.error = (f"no authored text: all {len(result.edits)} non-blank line(s) were boilerplate"
                        if result.edits else "no text")
    return result


def process_bytes(data: bytes, source: str, rules: RuleSet,
                  learned: frozenset[str] = frozenset()) -> FileResult:
    """Clean one file (extract, then finish). ``learned`` holds the template signatures
    learned for its site."""
    return finish(extract_bytes(data, source, rules), source, rules, learned)


def _drop_learned(cleaned: classify.Cleaned, learned: frozenset[str], cands: dict[str, str]) -> classify.Cleaned:
    """Remove candidate lines whose signature was learned as this site's template."""
    hit = {text for sig, text in cands.items() if sig in learned}
    kept, edits = [], list(cleaned.edits)
    for line in cleaned.kept:
        if line.text in hit:
            edits.append(Edit("remove", "learned_template", "site_template", line.text, "",
                              line=line.lineno, offset=0, confidence=0.9))
        else:
            kept.append(line)
    edits.sort(key=lambda e: (e.line or 0, e.offset or 0))
    return classify.Cleaned(kept, edits, cleaned.pages)


def _insert_html_title(cleaned: classify.Cleaned, title: str, rules: RuleSet) -> int | None:
    """An HTML page's <h1>/<title> serves as title when the body has none."""
    from docclean.model import Line

    stripped = classify.strip_inline(title, 0, rules.inline_rules, cleaned.edits, cleaned.pages)
    if not stripped:
        return None
    cleaned.kept.insert(0, Line(0, stripped))
    return 0


# ----------------------------------------------------------------------------- documents

@dataclass
class DocumentRows:
    document: dict
    paragraphs: list[dict]
    edits: list[dict]


def build_document(doc_id: str, parts: list[FileResult], rules: RuleSet, pipeline_version: str) -> DocumentRows:
    """Rows for one document made of one file, or of the pages of one document."""
    paged = len(parts) > 1 or parts[0].page is not None
    if paged:
        st = pages.stitch(parts, rules.structure)
        tagged_lines, sources, extra_edits = st.lines, st.sources, st.edits
        page_count, missing = st.page_count, st.missing
        first = next(r for r in parts if r.source == sources[0])
    else:
        first = parts[0]
        tagged_lines = [(first.source, line) for line in first.lines]
        sources, extra_edits, page_count, missing = [first.source], [], None, []

    statuses = [r.status for r in parts]
    errors = [f"{r.source}: {r.error}" if len(parts) > 1 else r.error for r in parts if r.error]
    readable = [r for r in parts if r.status in ("ok", "partial")]
    if missing:
        errors.append(f"missing page(s) {', '.join(map(str, missing))} of {page_count}")
    if paged and st.duplicates:
        errors.append(f"duplicate page file(s) ignored: {', '.join(st.duplicates)}")

    lines = [line for _, line in tagged_lines]
    line_sources = [src for src, _ in tagged_lines]
    title_index = structure.find_title(lines, rules.structure) if lines else None
    paras = structure.build_paragraphs(lines, title_index, rules.structure) if readable else []

    if not paras:
        status = "quarantined" if "quarantined" in statuses else "empty"
    elif missing or "partial" in statuses or any(s != "ok" for s in statuses):
        status = "partial"
    else:
        status = "ok"

    # Repairs, the document's paragraphs together; their edits carry the paragraph index.
    masks: dict[int, int] = {}
    repair_edits: list[dict] = []
    if rules.repair.enabled:
        for p, fixed in zip(paras, repair.repair_many([p.text for p in paras], rules.repair)):
            p.text, masks[p.para_index] = fixed.text, fixed.mask_count
            for e in fixed.edits:
                e.para_index, e.source, e.line = p.para_index, line_sources[p.para_index], p.lineno or None
                repair_edits.append(e.as_row())
        structure.relabel(paras, rules.structure)  # labels and sections as the repaired text writes them

    page_of = {r.source: r.page for r in parts}
    para_rows = [{
        "doc_id": doc_id,
        "source": line_sources[p.para_index],
        "para_index": p.para_index,
        "kind": p.kind,
        "heading_level": p.heading_level,
        "label": p.label,
        "section": p.section,
        "text": p.text,
        "char_count": len(p.text),
        "mask_count": masks.get(p.para_index, 0),
        "line": p.lineno or None,
        "page": page_of.get(line_sources[p.para_index]),
    } for p in paras]

    edit_rows = []
    for r in parts:
        for e in r.edits:
            e.source = r.source
            edit_rows.append(e.as_row())
    for e in extra_edits:
        edit_rows.append(e.as_row())
    edit_rows += repair_edits
    for row in edit_rows:
        row["doc_id"] = doc_id

    title = next((p.text for p in paras if p.kind == "title"), None) or first.title
    document = {
        "doc_id": doc_id,
        "title": title,
        "sources": sources,
        "status": status,
        "error": "; ".join(e for e in errors if e) or None,
        "encoding": ",".join(sorted({r.encoding for r in parts if r.encoding})) or None,
        "encoding_confidence": min((r.confidence for r in parts if r.confidence is not None), default=None),
        "page_count": page_count,
        "pages_missing": missing,
        "n_sources": len(parts),
        "n_lines": sum(r.n_lines for r in parts),
        "n_lines_removed": sum(1 for e in edit_rows if e["action"] == "remove" and e["scope"] in ("line", "block")),
        "n_paragraphs": len(para_rows),
        "n_chars": sum(row["char_count"] for row in para_rows),
        "n_edits": len(edit_rows),
        "content_sha256": pipeline_hash([r.sha256 for r in parts]),
        "pipeline_version": pipeline_version,
    }
    return DocumentRows(document, para_rows, edit_rows)


def pipeline_hash(shas: list[str]) -> str:
    return hashlib.sha256("\n".join(sorted(shas)).encode()).hexdigest()
