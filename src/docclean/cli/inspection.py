"""Reading the output back: one document, whole-output statistics, exports.

Each part file holds whole documents, so exports stream part by part and
never hold more than one part in memory.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from docclean.store import schema
from docclean.store.folder import atomic_path, published_table

EXPORT_DOCUMENTS = pa.schema([
    pa.field("doc_id", pa.string()), pa.field("title", pa.string()), pa.field("sources", pa.list_(pa.string())),
    pa.field("status", pa.string()), pa.field("error", pa.string()), pa.field("encoding", pa.string()),
    pa.field("text", pa.string()), pa.field("n_paragraphs", pa.int32()),
    pa.field("sections", pa.list_(pa.string())),
])


class NotFound(LookupError):
    """No document matches."""


def dataset(out: Path, table: str) -> ds.Dataset:
    """One table of a processed folder (paragraphs, documents, edits) with its schema."""
    folder = published_table(out, table)
    if not folder.is_dir():
        raise FileNotFoundError(f"no {table}/ under {out}: run `docclean run` first")
    return ds.dataset(folder, format="parquet", schema=schema.TABLES[table])


@dataclass
class DocumentView:
    document: dict
    paragraphs: list[dict]
    edits: list[dict]


def resolve_doc_id(out: Path, doc: str | None = None, source: str | None = None) -> str:
    """A doc_id from a doc_id (or unique prefix of one) or from one of its source paths."""
    docs = dataset(out, "documents").to_table(columns=["doc_id", "sources"]).to_pylist()
    if source is not None:
        hits = [d["doc_id"] for d in docs if source in d["sources"]]
    else:
        hits = [d["doc_id"] for d in docs if d["doc_id"].startswith(doc or "\0")]
    if len(hits) != 1:
        what = f"source {source!r}" if source is not None else f"doc {doc!r}"
        raise NotFound(f"{what}: {'no' if not hits else len(hits)} matching documents")
    return hits[0]


def load_document(out: Path, doc_id: str) -> DocumentView:
    def rows(table: str) -> list[dict]:
        return dataset(out, table).to_table(filter=pc.field("doc_id") == doc_id).to_pylist()

    docs = rows("documents")
    if not docs:
        raise NotFound(f"doc {doc_id!r}: no such document")
    paras = sorted(rows("paragraphs"), key=lambda p: p["para_index"])
    return DocumentView(docs[0], paras, rows("edits"))


def stats(out: Path) -> dict:
    """Counts per status, hits per rule, edits per action, over the whole output."""
    docs = dataset(out, "documents").to_table(columns=["status", "n_paragraphs", "n_chars"])
    edits = dataset(out, "edits").to_table(columns=["action", "rule", "rule_class"])
    rules = Counter(zip(edits["rule"].to_pylist(), edits["rule_class"].to_pylist(), edits["action"].to_pylist()))
    actions = Counter(edits["action"].to_pylist())
    return {
        "documents": docs.num_rows,
        "status": dict(Counter(docs["status"].to_pylist())),
        "paragraphs": int(pc.sum(docs["n_paragraphs"]).as_py() or 0),
        "characters": int(pc.sum(docs["n_chars"]).as_py() or 0),
        "edits_by_action": dict(actions),
        "masks": actions.get("mask", 0),
        "rule_hits": [{"rule": r, "class": c, "action": a, "hits": n} for (r, c, a), n in rules.most_common()],
    }


# ----------------------------------------------------------------------------- export

def _records(out: Path, unit: str) -> Iterator[list[dict]]:
    """Records part by part: one per paragraph, or one per document with its text joined. All
    from one published state, whatever a run switches meanwhile."""
    snap = published_table(out, "documents").parent
    for part in sorted(p.stem for p in (snap / "documents").glob("*.parquet")):
        paras = pq.read_table(snap / "paragraphs" / f"{part}.parquet").to_pylist()
        paras.sort(key=lambda p: (p["doc_id"], p["para_index"]))
        if unit == "paragraph":
            yield paras
            continue
        docs = {d["doc_id"]: d for d in pq.read_table(snap / "documents" / f"{part}.parquet").to_pylist()}
        by_doc: dict[str, list[dict]] = {}
        for p in paras:
            by_doc.setdefault(p["doc_id"], []).append(p)
        batch = []
        for doc_id, d in sorted(docs.items()):
            ps = by_doc.get(doc_id, [])
            if not ps:
                continue  # empty and quarantined documents have no text to export
            batch.append({"doc_id": doc_id, "title": d["title"], "sources": d["sources"], "status": d["status"],
                          "error": d["error"], "encoding": d["encoding"],
                          "text": "\n\n".join(p["text"] for p in ps), "n_paragraphs": len(ps),
                          "sections": sorted({p["section"] for p in ps if p["section"]})})
        yield batch


def export(out: Path, dest: Path, fmt: str = "jsonl", unit: str = "paragraph") -> int:
    """Write all records to ``dest`` atomically; returns how many were written."""
    if fmt not in ("jsonl", "parquet") or unit not in ("paragraph", "document"):
        raise ValueError("format must be jsonl|parquet and unit paragraph|document")
    for table in ("paragraphs", "documents"):
        dataset(out, table)  # FileNotFoundError, named, when out is not a processed folder
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with atomic_path(dest) as tmp:
        if fmt == "jsonl":
            with open(tmp, "w", encoding="utf-8") as fh:
                for batch in _records(out, unit):
                    fh.writelines(json.dumps(rec, ensure_ascii=False) + "\n" for rec in batch)
                    n += len(batch)
        else:
            sch = (schema.PARAGRAPHS if unit == "paragraph" else EXPORT_DOCUMENTS).with_metadata(
                {"docclean.schema_version": schema.SCHEMA_VERSION, "docclean.export_unit": unit})
            with pq.ParquetWriter(tmp, sch, compression="zstd") as writer:
                for batch in _records(out, unit):
                    if batch:
                        writer.write_table(pa.Table.from_pylist(batch, schema=sch))
                        n += len(batch)
    return n


# ----------------------------------------------------------------------------- inspect view

# Edits a reader reviews one by one; the others (normalize, mask) are routine and only counted.
REVIEW_ACTIONS = ("remove", "repair", "flag")


def _edit_line(e: dict) -> str:
    what = f"{e['before']} → {e['after']}" if e["after"] else e["before"]
    return f"{e['action']} {e['rule']} ({e['rule_class']}): {what}"


def _counts(edits: list[dict]) -> str:
    """``12 normalize (fullwidth_punctuation ×10, variant_char ×2), 3 mask``."""
    parts = []
    for action in sorted({e["action"] for e in edits}):
        rules = Counter(e["rule"] for e in edits if e["action"] == action)
        detail = ", ".join(f"{r} ×{n}" for r, n in rules.most_common())
        parts.append(f"{sum(rules.values())} {action} ({detail})")
    return ", ".join(parts)


def render(v: DocumentView, console) -> None:
    """Print a document for a person: every paragraph in full (wrapped by ``console``), with
    its kind, heading level, label and section; under it the edits to review (removals,
    repairs, flags); routine normalisations and masks as counts; then the removed lines."""
    from rich.markup import escape
    from rich.padding import Padding
    from rich.text import Text

    d = v.document
    console.print(f"[bold]{escape(d['title'] or '(no title)')}[/]  [dim]{d['doc_id']}[/]")
    console.print(f"status [bold]{d['status']}[/]" + (f" — {escape(d['error'])}" if d["error"] else "")
                  + f" · {escape(', '.join(d['sources']))} · {d['encoding']}")
    console.print(f"{len(v.paragraphs)} paragraph(s), {d['n_lines_removed']} line(s) removed, "
                  f"{len(v.edits)} edit(s)")
    para_edits: dict[int, list[dict]] = {}
    span_edits: dict[tuple, list[dict]] = {}
    for e in v.edits:
        if e["para_index"] is not None:
            para_edits.setdefault(e["para_index"], []).append(e)
        elif e["scope"] == "span":
            span_edits.setdefault((e["source"], e["line"]), []).append(e)
    routine_all: list[dict] = []
    for p in v.paragraphs:
        edits = para_edits.get(p["para_index"], []) + span_edits.get((p["source"], p["line"]), [])
        head = Text()
        head.append(f"[{p['para_index']}] ", style="dim")
        head.append(p["kind"] + (f" h{p['heading_level']}" if p["heading_level"] else ""), style="bold cyan")
        if p["label"]:
            head.append(f"  label {p['label']}", style="cyan")
        if p["section"]:
            head.append(f"  § {p['section']}", style="magenta")
        if p["line"]:
            head.append(f"  {p['source']}:{p['line']}", style="dim")
        console.print()
        console.print(head)
        console.print(Padding(Text(p["text"]), (0, 0, 0, 4)))
        for e in edits:
            if e["action"] in REVIEW_ACTIONS:
                mark = {"remove": "[red]-[/]", "repair": "[green]~[/]", "flag": "[yellow]?[/]"}[e["action"]]
                console.print(Padding(Text.from_markup(f"{mark} " + escape(_edit_line(e))), (0, 0, 0, 4)))
        routine = [e for e in edits if e["action"] not in REVIEW_ACTIONS]
        routine_all += routine
        if routine:
            console.print(Padding(Text(_counts(routine), style="dim"), (0, 0, 0, 4)))
    seen = {id(e) for e in routine_all}
    rest = [e for e in v.edits if e["action"] not in REVIEW_ACTIONS and id(e) not in seen]
    console.print()
    if routine_all or rest:
        console.print(f"[bold]routine edits[/]: {escape(_counts(routine_all + rest))}")
    removed = [e for e in v.edits if e["action"] == "remove" and e["scope"] in ("line", "block")]
    if removed:
        console.print(f"[bold]{len(removed)} line(s) removed[/]")
        for e in removed:
            where = f"{e['source'] or ''}:{e['line']}" if e["line"] else (e["source"] or "")
            console.print(Padding(Text.from_markup(
                f"[red]-[/] {escape(where)} [dim]{escape(e['rule'])} ({escape(e['rule_class'])})[/] "
                + escape(e["before"])), (0, 0, 0, 2)))
