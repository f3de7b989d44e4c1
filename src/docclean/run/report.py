"""The run report: what a run did, as markdown and as a table.

Pure functions over a run summary; the flow publishes them as Prefect
artifacts, and anything else (CI logs, e-mail) can use them as they are.
"""

from __future__ import annotations

from docclean.run.runner import (
    REPORT_ROWS as MAX_TABLE_ROWS,  # the run summary already keeps problems first
)


def _md_table(header: list[str], rows: list[list]) -> list[str]:
    def cell(v) -> str:
        return str(v if v is not None else "").replace("|", "\\|").replace("\n", " ")

    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header),
            *("| " + " | ".join(cell(v) for v in row) + " |" for row in rows)]


def markdown(summary: dict) -> str:
    docs = summary["documents"]
    lines = [
        "# docclean run",
        "",
        f"**{sum(docs.values())} document(s)**: {docs['ok']} ok, {docs['partial']} partial, "
        f"{docs['empty']} empty, {docs['quarantined']} quarantined. "
        f"{summary['paragraphs']} paragraphs written, {summary['lines_removed']} lines removed, "
        f"{summary['edits']} edits. Files: {summary['files_processed']} processed, "
        f"{summary['files_unchanged']} unchanged, {summary['files_deleted']} deleted, "
        f"{summary.get('files_redone', 0)} assembled again for learned templates, "
        f"{summary.get('files_extracted', 0)} decoded and classified (the others' extracts were kept).",
        "",
        "## Lines and spans removed, by class",
        "",
        *_md_table(["class", "removals"], sorted(summary.get("removed_by_class", {}).items(),
                                                 key=lambda kv: -kv[1])),
        "",
        "## Edits, by kind",
        "",
        *_md_table(["action", "edits"], sorted(summary.get("edits_by_action", {}).items(), key=lambda kv: -kv[1])),
        "",
        "## Quarantined inputs",
        "",
    ]
    q = summary.get("quarantined", [])
    lines += _md_table(["source", "why"], [[", ".join(x["sources"]), x["error"]] for x in q]) if q else ["None."]
    lines += ["", "## Partial documents", ""]
    pa = summary.get("partial", [])
    lines += _md_table(["sources", "why"], [[", ".join(x["sources"]), x["error"]] for x in pa]) if pa else ["None."]
    sus = summary.get("suspicious_rules", [])
    if sus:
        lines += ["", "## Suspicious rules", "", *(f"- {line}" for line in suspicious_lines(summary))]
    return "\n".join(lines) + "\n"


def suspicious_lines(summary: dict) -> list[str]:
    """One sentence per user rule that removed most of the run's lines."""
    return [f"rule {s['rule']!r} ({s['pack']}) removed {s['lines_removed']} of the "
            f"{summary.get('lines_read', 0)} lines read ({s['share']:.0%}): check its pattern"
            for s in summary.get("suspicious_rules", [])]


def table(summary: dict) -> list[dict]:
    """Per-document rows, problem documents first, capped at MAX_TABLE_ROWS."""
    rows = summary.get("document_rows", [])
    rows = sorted(rows, key=lambda r: (r["status"] == "ok", r["sources"]))
    return rows[:MAX_TABLE_ROWS]
