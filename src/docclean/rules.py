"""Load the rule packs: the shipped TOML files plus any the user adds.

Rules are data (see ``src/docclean/rules/*.toml``). A user directory given
with ``--rules`` or ``DOCCLEAN_RULES`` (``:``-separated) is read after the
shipped packs; a file there with the same name as a shipped pack overrides
it rule by rule (same ``name`` replaces, new names are added,
``enabled = false`` removes) and key by key inside tables. The fingerprint of everything loaded is part
of the pipeline version, so editing a rule reprocesses the corpus.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

from docclean.repair.confusion import ConfusionSettings  # noqa: E402
from docclean.repair.paragraph import MaskContext, RepairRules  # noqa: E402  (repair.py imports no rules)
from docclean.repair.typos import ContextPair  # noqa: E402
from docclean.text import HAN, fold  # noqa: E402

PACKAGE_RULES = Path(__file__).parent / "rules"
# Keys whose value is a list of tables merged on `name`.
_NAMED_LISTS = ("rule", "heading", "run_in", "protect", "pair", "vocab", "official")


class RuleError(ValueError):
    """A rule file is malformed; the message names the file and rule."""


@dataclass(frozen=True)
class LineRule:
    name: str
    cls: str
    scope: str  # line | inline
    regex: re.Pattern[str]
    max_len: int
    min_count: int = 1  # inline rules: fire only when the pattern occurs this often in the line
    matches: tuple[str, ...] = ()
    keeps: tuple[str, ...] = ()
    weight: float = 2.0  # line rules: evidence added to the line's chrome score
    verdict: bool = False  # line rules: a hit removes the line whatever else it shows
    in_cells: bool = True  # line rules: also on a table flattened one cell a line (a number there is data)
    # Characters of which a text must hold one for the pattern to match (required_chars):
    # the classifier skips the search when the line has none. None: nothing is known.
    required: frozenset[str] | None = None

    def may_match(self, chars: set[str] | frozenset[str]) -> bool:
        """False when the text whose characters are ``chars`` cannot match."""
        return self.required is None or not self.required.isdisjoint(chars)


@dataclass(frozen=True)
class VocabGroup:
    """Site or UI words; each distinct term found adds ``weight``, up to ``cap`` terms."""

    name: str
    cls: str
    weight: float
    cap: int
    regex: re.Pattern[str]


@dataclass(frozen=True)
class WedgeRules:
    """Betting adverts wedged into sentences (rules/lines.toml [wedge])."""

    words: re.Pattern[str]
    alone: re.Pattern[str] | None = None  # words that count without a brand name
    min_lines: int = 3
    min_len: int = 4


@dataclass(frozen=True)
class LineClassRules:
    """The line classifier's settings (rules/lines.toml)."""

    vocab: tuple[VocabGroup, ...]
    official: tuple[tuple[str, re.Pattern[str], str], ...]  # name, pattern, where (any | body | after_title)
    shape: dict[str, float] = field(default_factory=dict)  # shape signal -> weight
    edge_threshold: float = 1.0
    body_threshold: float = 2.0
    uncertain_max_cjk: int = 25
    table_chrome_max: float = 3.0
    pinyin_min_confirmed: int = 3  # toneless annotations that must be their character's reading
    headline_before: re.Pattern[str] | None = None  # the control a forum puts right under a thread's title
    # The lexical model's evidence (lines.lexical): scale x the line's log-odds, clipped to
    # [low, high]; None: off.
    lexical: tuple[float, float, float] | None = None
    lexical_authored: float = 1.0  # lexical evidence this far below 0: the line is no "uncertain" one
    wedge: WedgeRules | None = None
    stack_threshold: float = 0.0  # the line model's threshold (lines.stack): 0, off


@dataclass(frozen=True)
class LabelStyle:
    name: str
    regex: re.Pattern[str]


class FoldedPattern:
    """A pattern matched against the line folded (width, traditional→simplified: text.fold),
    so a structure rule written for 同志们： matches 同志們： and ２０２４年 too. Only for
    yes/no questions: positions are those of the folded text."""

    __slots__ = ("regex",)

    def __init__(self, regex: re.Pattern[str]) -> None:
        self.regex = regex

    @property
    def pattern(self) -> str:
        return self.regex.pattern

    def match(self, text: str):
        return self.regex.match(fold(text))

    def search(self, text: str):
        return self.regex.search(fold(text))

    def __getstate__(self):
        return self.regex

    def __setstate__(self, regex) -> None:
        self.regex = regex


@dataclass(frozen=True)
class StructureRules:
    title_suffixes: tuple[str, ...]
    title_search_lines: int
    title_max_len: int
    salutation: FoldedPattern  # matched on the folded line: both scripts, both widths
    closing: FoldedPattern
    headings: tuple[LabelStyle, ...]
    run_ins: tuple[LabelStyle, ...]
    heading_max_len: int


@dataclass(frozen=True)
class TemplateRules:
    min_docs: int
    min_share: float
    max_len: int
    top_lines: int
    bottom_lines: int
    protect: tuple[re.Pattern[str], ...]
    never: tuple[str, ...]  # signatures or example lines a reviewer rejected


@dataclass(frozen=True, eq=False)
class RuleSet:
    boilerplate: tuple[LineRule, ...]
    structure: StructureRules
    templates: TemplateRules
    repair: "RepairRules"
    fingerprint: str
    lines: LineClassRules = field(default_factory=lambda: LineClassRules((), ()))
    sources: tuple[str, ...] = field(default=())

    @cached_property
    def line_rules(self) -> tuple[LineRule, ...]:
        return tuple(r for r in self.boilerplate if r.scope == "line")

    @cached_property
    def inline_rules(self) -> tuple[LineRule, ...]:
        return tuple(r for r in self.boilerplate if r.scope == "inline")

    @cached_property
    def line_max_len(self) -> int:
        """No line rule looks at a longer line: authored paragraphs skip them all."""
        return max((r.max_len for r in self.line_rules), default=0)


def _merge(base: dict, extra: dict) -> dict:
    out = dict(base)
    for key, value in extra.items():
        if key in _NAMED_LISTS and isinstance(value, list) and all(isinstance(i, dict) for i in value):
            by_name = {item["name"]: item for item in out.get(key, [])}
            for item in value:
                by_name[item["name"]] = {**by_name.get(item["name"], {}), **item}
            out[key] = list(by_name.values())
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)  # a user's [mask] adds to the shipped [mask]
        else:
            out[key] = value
    return out


def required_chars(regex: re.Pattern[str]) -> frozenset[str] | None:
    """Characters of which every match (lookarounds included) needs at least one, read off
    the parsed pattern: of the items a match cannot do without, the one with the fewest
    possible characters. None when no such item is known.

    Why: most lines hold none of a rule's characters (a page-marker rule needs 第 or 页,
    a CSS rule a brace), and testing a line's character set against a small set is far
    cheaper than a search that must try every position of the line; Python's engine
    only skips ahead on a pattern that starts with a literal. Measured on the benchmark
    corpus: the searches were over a third of the classifier's time.
    """
    try:
        from re import _parser as parser  # Python 3.11+
    except ImportError:  # pragma: no cover
        import sre_parse as parser  # type: ignore[no-redef]
    c = parser  # the opcode names live on the parser module's namespace
    try:
        tree = parser.parse(regex.pattern, regex.flags)
    except Exception:  # an engine change: no prefilter, never a wrong one
        return None
    folded = bool(regex.flags & re.IGNORECASE) or "(?i" in regex.pattern

    def seq(items) -> frozenset[str] | None:
        best = None
        for op, av in items:
            r = item(op, av)
            if r is not None and (best is None or len(r) < len(best)):
                best = r
        return best

    def item(op, av) -> frozenset[str] | None:
        if op is c.LITERAL:
            return frozenset(chr(av))
        if op is c.IN:
            chars: set[str] = set()
            for o, a in av:
                if o is c.LITERAL:
                    chars.add(chr(a))
                elif o is c.RANGE and a[1] - a[0] <= 256:
                    chars.update(map(chr, range(a[0], a[1] + 1)))
                else:  # a negated set, a category (\d, \w), a wide range: anything
                    return None
            return frozenset(chars)
        if op is c.SUBPATTERN:
            return seq(av[-1])
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)):
            return seq(av[2]) if av[0] >= 1 else None
        if op is c.BRANCH:
            sets = [seq(b) for b in av[1]]
            return None if any(x is None for x in sets) else frozenset().union(*sets)
        if op is getattr(c, "ATOMIC_GROUP", None):
            return seq(av)
        if op is c.ASSERT:  # a lookahead or lookbehind looks at the same text
            return seq(av[1])
        return None  # ANY, NOT_LITERAL, ASSERT_NOT, AT, CATEGORY, GROUPREF, ...

    found = seq(tree)
    if found is None or not found:
        return None
    if folded:
        found = frozenset(x for ch in found for x in (ch, ch.lower(), ch.upper(), ch.casefold()) if len(x) == 1)
    return found


def _compile(pattern: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise RuleError(f"{where}: bad pattern: {exc}") from exc


def _user_dirs(extra: tuple[str, ...]) -> list[Path]:
    env = os.environ.get("DOCCLEAN_RULES", "")
    dirs = [Path(p) for p in env.split(os.pathsep) if p] + [Path(p) for p in extra]
    for d in dirs:
        if not d.is_dir():
            raise RuleError(f"rules directory not found: {d}")
    return dirs


def _read_pack(name: str, dirs: list[Path], digest: "hashlib._Hash", sources: list[str]) -> dict:
    data: dict = {}
    for d in [PACKAGE_RULES, *dirs]:
        path = d / f"{name}.toml"
        if not path.exists():
            continue
        raw = path.read_bytes()
        digest.update(raw)
        sources.append(str(path))
        try:
            data = _merge(data, tomllib.loads(raw.decode("utf-8")))
        except (tomllib.TOMLDecodeError, KeyError) as exc:
            raise RuleError(f"{path}: {exc}") from exc
    return data


def load(extra_dirs: tuple[str, ...] = (), no_repair: bool = False) -> RuleSet:
    """All rule packs, shipped ones overridden by ``extra_dirs`` and DOCCLEAN_RULES.

    ``no_repair`` switches every repair stage off (``docclean run --no-repair``).
    """
    return _load(tuple(extra_dirs), os.environ.get("DOCCLEAN_RULES", ""), no_repair)


@lru_cache(maxsize=8)
def _load(extra_dirs: tuple[str, ...], _env: str, no_repair: bool) -> RuleSet:
    dirs = _user_dirs(extra_dirs)
    digest = hashlib.sha256()
    sources: list[str] = []

    lp = _read_pack("lines", dirs, digest, sources)
    default_weight = float(lp.get("rule_weight", 2.0))
    bp = _read_pack("boilerplate", dirs, digest, sources)
    rules = []
    for item in bp.get("rule", []):
        where = f"boilerplate rule {item.get('name')!r}"
        if not item.get("enabled", True):
            continue
        scope = item.get("scope", "line")
        if scope not in ("line", "inline"):
            raise RuleError(f"{where}: scope must be 'line' or 'inline', not {scope!r}")
        regex = _compile(item["pattern"], where)
        rules.append(LineRule(
            name=item["name"], cls=item.get("class", "boilerplate"), scope=scope,
            regex=regex, max_len=int(item.get("max_len", 10**9)),
            min_count=int(item.get("min_count", 1)),
            matches=tuple(item.get("matches", ())), keeps=tuple(item.get("keeps", ())),
            weight=float(item.get("weight", default_weight)), verdict=bool(item.get("verdict", False)),
            in_cells=bool(item.get("in_cells", True)),
            required=required_chars(regex),
        ))
    lines = _line_class_rules(lp)

    st = _read_pack("structure", dirs, digest, sources)

    def styles(key: str) -> tuple[LabelStyle, ...]:
        return tuple(LabelStyle(h["name"], _compile(h["pattern"], f"structure {key} {h['name']!r}"))
                     for h in st.get(key, []) if h.get("enabled", True))

    structure = StructureRules(
        title_suffixes=tuple(sorted(st.get("title_suffixes", []), key=len, reverse=True)),
        title_search_lines=int(st.get("title_search_lines", 12)),
        title_max_len=int(st.get("title_max_len", 80)),
        salutation=FoldedPattern(_compile(st.get("salutation", r"(?!)"), "structure salutation")),
        closing=FoldedPattern(_compile(st.get("closing", r"(?!)"), "structure closing")),
        headings=styles("heading"),
        run_ins=styles("run_in"),
        heading_max_len=int(st.get("heading_max_len", 100)),
    )
    tp = _read_pack("templates", dirs, digest, sources)
    templates = TemplateRules(
        min_docs=int(tp.get("min_docs", 5)), min_share=float(tp.get("min_share", 0.3)),
        max_len=int(tp.get("max_len", 50)), top_lines=int(tp.get("top_lines", 3)),
        bottom_lines=int(tp.get("bottom_lines", 4)),
        protect=tuple(_compile(x, "templates protect") for x in tp.get("protect", [])),
        never=tuple(tp.get("never", [])),
    )
    repair = _repair_rules(_read_pack("repair", dirs, digest, sources)) if not no_repair else RepairRules()
    if no_repair:
        digest.update(b"no-repair")
    return RuleSet(tuple(rules), structure, templates, repair, digest.hexdigest()[:12], lines, tuple(sources))


def _line_class_rules(lp: dict) -> LineClassRules:
    vocab = []
    for g in lp.get("vocab", []):
        if not g.get("enabled", True) or not g.get("terms"):
            continue
        terms = sorted(set(g["terms"]), key=len, reverse=True)  # longest first: 下载本文 before 下载
        vocab.append(VocabGroup(g["name"], g.get("class", g["name"]), float(g.get("weight", 1.0)),
                                int(g.get("cap", 3)), re.compile("|".join(map(re.escape, terms)))))
    official = tuple((o["name"], _compile(o["pattern"], f"lines official {o['name']!r}"), o.get("where", "any"))
                     for o in lp.get("official", []) if o.get("enabled", True))
    numbers = {k: lp[k] for k in ("edge_threshold", "body_threshold", "uncertain_max_cjk", "table_chrome_max",
                                       "pinyin_min_confirmed")
               if k in lp}
    shape = {k: float(v) for k, v in lp.get("shape", {}).items()}
    headline = _compile(lp["headline_before"], "lines headline_before") if lp.get("headline_before") else None
    lx = lp.get("lexical", {})
    scale = float(lx.get("scale", 0.7))
    lexical = (scale, float(lx.get("low", -1.5)), float(lx.get("high", 1.5))) \
        if lx.get("enabled", True) and scale else None
    wg = lp.get("wedge", {})
    wedge = None
    if wg.get("enabled", True) and wg.get("words"):
        alt = lambda ws: "|".join(map(re.escape, sorted(set(ws), key=len, reverse=True)))  # noqa: E731
        alone = wg.get("alone", [])
        wedge = WedgeRules(re.compile(alt([*wg["words"], *alone])), re.compile(alt(alone)) if alone else None,
                           int(wg.get("min_lines", 3)), int(wg.get("min_len", 4)))
    sk = lp.get("stack", {})
    return LineClassRules(tuple(vocab), official, shape, headline_before=headline, lexical=lexical,
                          lexical_authored=float(lx.get("authored", 1.0)), wedge=wedge,
                          stack_threshold=float(sk.get("threshold", 0.0)) if sk.get("enabled", True) else 0.0,
                          **numbers)


def _repair_rules(rp: dict) -> RepairRules:
    mask, punct, variants = rp.get("mask", {}), rp.get("punctuation", {}), rp.get("variants", {})
    typo = rp.get("typo", {})
    conf = typo.get("confusion", {})
    opt = lambda d, k, where: _compile(d[k], where) if d.get(k) else None  # noqa: E731
    contexts = tuple(
        MaskContext(c["name"], c.get("type", "unknown"), opt(c, "before", f"mask context {c['name']}"),
                    opt(c, "after", f"mask context {c['name']}"), opt(c, "only", f"mask context {c['name']}"))
        for c in mask.get("context", []) if c.get("enabled", True))
    if any(c.before is not None for c in contexts):  # `before` must match at the end of the preceding text
        contexts = tuple(MaskContext(c.name, c.type, _compile(f"(?:{c.before.pattern})$", c.name)
                                     if c.before is not None else None, c.after, c.only) for c in contexts)
    return RepairRules(
        protect=tuple((p["name"], _compile(p["pattern"], f"protect {p['name']}"))
                      for p in rp.get("protect", []) if p.get("enabled", True)) + _name_patterns(rp.get("names", {})),
        mask_enabled=bool(mask.get("enabled", False)), token=mask.get("token", "××"),
        strong=opt(mask, "strong", "mask strong"), weak=opt(mask, "weak", "mask weak"),
        never=tuple(mask.get("never", ())), lists=bool(mask.get("lists", True)), contexts=contexts,
        punct_enabled=bool(punct.get("enabled", False)), punct_map=dict(punct.get("map", {})),
        fix_fullwidth_period=bool(punct.get("fix_fullwidth_period", True)),
        pair_quotes=bool(punct.get("pair_quotes", True)),
        variants=dict(variants.get("map", {})) if variants.get("enabled", True) else {},
        opencc=str(variants.get("opencc", "")) if variants.get("enabled", True) else "",
        typo_enabled=bool(typo.get("enabled", False)), idiom_min_ratio=float(typo.get("idiom_min_ratio", 20.0)),
        acronyms=tuple(typo.get("acronyms", ())),
        pairs=tuple(ContextPair(x["name"], _compile(x["pattern"], f"typo pair {x['name']}"), x.get("replace"))
                    for x in typo.get("pair", []) if x.get("enabled", True)),
        confusion=_confusion_settings(conf),
    )


def _name_patterns(names: dict) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Person names as protected spans, built from the surname and title lists of [names]."""
    if not names.get("enabled", False) or not names.get("surnames"):
        return ()
    surname = "(?:" + "|".join([re.escape(s) for s in names.get("compound_surnames", [])]
                               + [f"[{re.escape(names['surnames'])}]"]) + ")"
    titles = "(?:" + "|".join(re.escape(t) for t in sorted(names.get("titles", []), key=len, reverse=True)) + ")"
    given = f"[{HAN}]{{1,2}}"
    # After a title the title itself is protected too: Python's look-behind needs a fixed width.
    return (("person_name", _compile(f"{surname}{given}(?={titles})|{titles}{surname}{given}", "names")),)


def _confusion_settings(conf: dict) -> ConfusionSettings | None:
    if not conf.get("enabled", False):
        return None
    known = set(ConfusionSettings.__dataclass_fields__)
    unknown = set(conf) - known - {"enabled"}
    if unknown:
        raise RuleError(f"typo.confusion: unknown keys {sorted(unknown)} (known: {sorted(known)})")
    return ConfusionSettings(**{k: float(v) for k, v in conf.items() if k != "enabled"})
