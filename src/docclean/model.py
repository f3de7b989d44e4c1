"""Plain records passed between the cleaning stages."""

from __future__ import annotations

from dataclasses import dataclass, field, fields


@dataclass(slots=True)  # slots: a batch holds tens of thousands of these
class Edit:
    """One removal or repair; becomes a row of ``edits/``."""

    action: str  # remove | repair | mask | normalize | flag
    rule: str
    rule_class: str
    before: str
    after: str
    scope: str = "line"  # line (a whole line) | span (part of a line) | paragraph | document
    line: int | None = None  # 1-based line of the source file
    para_index: int | None = None
    source: str | None = None
    offset: int | None = None  # character offset of the change inside the line/paragraph
    confidence: float = 1.0
    evidence: str | None = None  # what decided a removal: rule names, vocabulary hits, shape, score

    def as_row(self) -> dict:
        # Not dataclasses.asdict: it deep-copies, and there is one of these per edit.
        # The column is ``char_offset`` (``offset`` is reserved in SQL: DuckDB cannot select it bare).
        return {col: getattr(self, f) for f, col in _EDIT_FIELDS}

    @classmethod
    def from_row(cls, row: dict) -> "Edit":
        row = dict(row)
        if "char_offset" in row:
            row["offset"] = row.pop("char_offset")
        return cls(**row)


_EDIT_FIELDS = tuple((f.name, "char_offset" if f.name == "offset" else f.name) for f in fields(Edit))


@dataclass(slots=True)
class Line:
    """A kept line of a source file."""

    lineno: int  # 1-based in the decoded source
    text: str
    indent: bool = False  # the source line began with a paragraph indent (two spaces, a full-width space)


@dataclass
class FileResult:
    """Everything one input file contributes; small enough to cache as JSON."""

    source: str
    sha256: str
    size: int
    status: str  # ok | partial | empty | quarantined
    error: str | None = None
    encoding: str | None = None
    confidence: float | None = None
    title: str | None = None
    page: int | None = None
    page_count: int | None = None
    n_lines: int = 0
    lines: list[Line] = field(default_factory=list)  # kept lines, title first
    edits: list[Edit] = field(default_factory=list)
    # Possible site-template lines (signature -> text), before learned templates were applied.
    candidates: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict:
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        out["lines"] = [{"lineno": x.lineno, "text": x.text} for x in self.lines]
        out["edits"] = [e.as_row() for e in self.edits]
        out["candidates"] = dict(self.candidates)
        return out

    @classmethod
    def from_json(cls, data: dict) -> "FileResult":
        data = dict(data)
        data["lines"] = [Line(**x) for x in data.get("lines", [])]
        data["edits"] = [Edit.from_row(x) for x in data.get("edits", [])]
        return cls(**data)
