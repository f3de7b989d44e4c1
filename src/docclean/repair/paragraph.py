"""Repairs inside paragraphs: masked placeholders, punctuation, variant characters.

Every stage is driven by ``rules/repair.toml``, can be switched off, never
edits inside a protected span (numbers, dates, Latin text, URLs, 《titles》,
masks), and records each change as an Edit with its rule and confidence.
Anything uncertain is flagged, not changed.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field, replace
from functools import lru_cache

from docclean import text as T
from docclean.model import Edit

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# Characters that count as "Chinese text" around a punctuation mark.
_CJK_CONTEXT = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff0f\uff1a-\uff1f“”‘’《》【】（）×]")


@dataclass(frozen=True)
class MaskContext:
    name: str
    type: str
    before: re.Pattern[str] | None
    after: re.Pattern[str] | None
    only: re.Pattern[str] | None


@dataclass(frozen=True)
class RepairRules:
    protect: tuple[tuple[str, re.Pattern[str]], ...] = ()  # (name, pattern)
    mask_enabled: bool = False
    token: str = "××"
    strong: re.Pattern[str] | None = None
    weak: re.Pattern[str] | None = None
    never: tuple[str, ...] = ()
    lists: bool = True
    contexts: tuple[MaskContext, ...] = ()
    punct_enabled: bool = False
    punct_map: dict[str, str] = field(default_factory=dict)
    fix_fullwidth_period: bool = True
    pair_quotes: bool = True
    variants: dict[str, str] = field(default_factory=dict)
    opencc: str = ""  # an OpenCC configuration such as "t2s"; empty keeps the source's script
    typo_enabled: bool = False
    idiom_min_ratio: float = 20.0
    acronyms: tuple[str, ...] = ()
    pairs: tuple = ()  # typos.ContextPair
    confusion: object = None  # confusion.ConfusionSettings, None when switched off

    @property
    def enabled(self) -> bool:
        return (self.mask_enabled or self.punct_enabled or bool(self.variants) or bool(self.opencc)
                or self.typo_enabled)


@dataclass
class Repaired:
    text: str
    edits: list[Edit]
    mask_count: int


def _protected(text: str, rules: RepairRules, extra: list[tuple[int, int]] = (),
               skip: tuple[str, ...] = ()) -> bytearray:
    """1 at every position inside a protected span (slice assignment: no per-character loop)."""
    prot = bytearray(len(text))
    for name, pat in rules.protect:
        if name in skip:
            continue
        for m in pat.finditer(text):
            prot[m.start():m.end()] = b"\x01" * (m.end() - m.start())
    for a, b in extra:
        prot[a:b] = b"\x01" * (b - a)
    return prot


def repair(text: str, rules: RepairRules) -> Repaired:
    """Apply the enabled stages to one paragraph."""
    return repair_many([text], rules)[0]


def repair_many(texts: list[str], rules: RepairRules) -> list[Repaired]:
    """Apply the enabled stages to each paragraph, as ``repair`` does to one.

    The typo finders' array work runs once over the paragraphs joined (by a character
    no finder reads as Chinese, so no finding spans two), not once per paragraph: the
    set-phrase matcher and the confusion scorer make a dozen NumPy calls per text, which
    on a paragraph of a hundred characters cost more than the arrays themselves.
    """
    edits: list[list[Edit]] = [[] for _ in texts]
    texts = list(texts)
    masks: list[list[tuple[int, int]]] = [[] for _ in texts]
    prots: list[bytearray] = []
    for k, text in enumerate(texts):
        # Masks first: they change lengths. The later stages replace one character by one,
        # so every edit's offset is a position in the final text.
        if rules.mask_enabled:
            texts[k], masks[k] = _masks(text, rules, edits[k])
        prot = _protected(texts[k], rules, masks[k])  # shared by the one-for-one stages below
        if rules.typo_enabled:
            texts[k], prot = _acronyms(texts[k], rules, edits[k], prot)
        prots.append(prot)
    if rules.typo_enabled:
        for k, found in enumerate(_typo_findings(texts, prots, rules)):
            texts[k] = _apply_typos(texts[k], found, edits[k], prots[k])
    out = []
    for text, prot, ed, mk in zip(texts, prots, edits, masks):
        if rules.variants:
            text = _variants(text, rules, ed, prot)
        if rules.opencc:
            text = _convert_script(text, rules.opencc, ed, prot)
        if rules.punct_enabled:
            text = _punctuation(text, rules, ed, prot)
            _flag_unbalanced(text, ed)
        out.append(Repaired(text, ed, len(mk)))
    return out


# ----------------------------------------------------------------------------- typos

_HAN_RUN = re.compile(r"[\u4e00-\u9fff]{2}")  # what the lexicons and the scorer need: two Chinese characters in a row
_SCORED = ("confusion_char", "confusion_word", "confusion_word_pair", "confusion_echo")  # single characters on statistical evidence: after lexicon fixes
_JOIN = "\x00"  # between joined paragraphs: no finder reads it as Chinese or as part of a word
_JOIN_MAX_CHARS = 100_000


def _acronyms(text: str, rules: RepairRules, edits: list[Edit], prot: bytearray) -> tuple[str, bytearray]:
    from docclean.repair import typos

    findings = typos.acronym_damage(text, rules.acronyms)
    if findings:  # acronym repairs change lengths: apply them first, then look again
        for f in sorted(findings, key=lambda f: -f.start):
            edits.append(Edit("repair", f.rule, "typo", f.before, f.after, scope="span", offset=f.start,
                              confidence=f.confidence))
            text = text[:f.start] + f.after + text[f.end:]
        prot = _protected(text, rules)  # positions moved; masks are ×× tokens no typo rule touches
    return text, prot


def _typo_findings(texts: list[str], prots: list[bytearray], rules: RepairRules) -> list[list]:
    """Each paragraph's typo findings, in its own offsets."""
    from docclean.repair import typos

    found = [typos.context_pairs(t, rules.pairs) for t in texts]  # regexes: per paragraph
    # The lexicons and the scorer look at Chinese only: paragraphs without any are left out.
    chosen = [k for k, t in enumerate(texts) if _HAN_RUN.search(t) is not None]
    if not chosen:
        return found
    groups: list[list[int]] = []
    size = 0
    for k in chosen:
        # A control character cleaning left in goes alone; and the join stays short enough
        # that the set-phrase matcher's arrays (some 40 bytes a character) stay small.
        if not groups or _JOIN in texts[k] or _JOIN in texts[groups[-1][0]] \
                or size + len(texts[k]) > _JOIN_MAX_CHARS:
            groups.append([])
            size = 0
        groups[-1].append(k)
        size += len(texts[k]) + 1
    # The whole document, for the evidence of its own spelling (confusion_echo): one group
    # is the document; a longer one is split for the array work, never for that evidence.
    doc = None if len(groups) == 1 else _JOIN.join(texts[k] for k in chosen)
    for group in groups:
        joined = _JOIN.join(texts[k] for k in group)
        prot = bytearray(b"\x01").join(prots[k] for k in group)
        hits = typos.phrase_lexicon(rules.idiom_min_ratio).find(joined)
        if rules.confusion is not None:
            from docclean.repair.confusion import scorer
            sc = scorer()
            # Four-character set phrases with one character swapped by sound or shape.
            hits += typos.set_phrases().find(joined, sc._cover(rules.confusion.min_cover_zipf))
            hits += sc.find(joined, prot, rules.confusion, doc)
            hits += sc.find_words(joined, prot, rules.confusion)
        starts, at = [], 0
        for k in group:
            starts.append(at)
            at += len(texts[k]) + len(_JOIN)
        for f in hits:
            n = bisect_right(starts, f.start) - 1
            found[group[n]].append(replace(f, start=f.start - starts[n], end=f.end - starts[n]))
    return found


def _apply_typos(text: str, findings: list, edits: list[Edit], prot: bytearray) -> str:
    if not findings:
        return text
    taken: set[int] = set()
    chars = list(text)
    # Fixes before flags; lexicon evidence (phrases, pairs) before the single-character scorer.
    for f in sorted(findings, key=lambda f: (f.after is None or f.suggest_only, f.rule in _SCORED,
                                         f.rule == "confusion_word_pair", f.start)):
        span = range(f.start, f.end)
        if any(prot[i] or i in taken for i in span):
            continue
        if f.after is not None and T.simplified(f.after) == T.simplified(f.before):
            continue  # the same characters in the other script (眾所周知, 工人阶級): no typo
        taken.update(span)
        if f.after is None or f.suggest_only:
            edits.append(Edit("flag", f.rule, "typo", f.before, f.after or "", scope="span", offset=f.start,
                              confidence=f.confidence))
        elif len(f.after) == len(f.before):
            edits.append(Edit("repair", f.rule, "typo", f.before, f.after, scope="span", offset=f.start,
                              confidence=f.confidence))
            chars[f.start:f.end] = list(f.after)
    return "".join(chars)


# ----------------------------------------------------------------------------- variants

def _variants(text: str, rules: RepairRules, edits: list[Edit], prot: bytearray) -> str:
    if rules.variants.keys().isdisjoint(text):
        return text
    out = []
    for i, ch in enumerate(text):
        std = rules.variants.get(ch)
        if std and not prot[i]:
            edits.append(Edit("normalize", "variant_char", "variant", ch, std, scope="span", offset=i))
            out.append(std)
        else:
            out.append(ch)
    return "".join(out)


def _convert_script(text: str, config: str, edits: list[Edit], prot: bytearray) -> str:
    """OpenCC conversion (an option: the default keeps the source's script)."""
    converted = _opencc(config).convert(text)
    if converted == text:
        return text
    if len(converted) != len(text):  # a phrase changed length: record it whole, no offsets to keep
        edits.append(Edit("normalize", f"opencc_{config}", "script", text, converted, scope="paragraph"))
        return converted
    out = list(text)
    for i, (a, b) in enumerate(zip(text, converted)):
        if a != b and not prot[i]:
            edits.append(Edit("normalize", f"opencc_{config}", "script", a, b, scope="span", offset=i))
            out[i] = b
    return "".join(out)


@lru_cache(maxsize=2)
def _opencc(config: str):
    try:
        import opencc
    except ImportError as exc:
        raise RuntimeError("variants.opencc is set but OpenCC is not installed: pip install 'docclean[opencc]'") from exc
    return opencc.OpenCC(config)


# ----------------------------------------------------------------------------- masks

def _context(text: str, start: int, end: int, rules: RepairRules) -> MaskContext | None:
    run = text[start:end]
    for ctx in rules.contexts:
        if ctx.only is not None and not ctx.only.fullmatch(run):
            continue
        if ctx.before is not None and not ctx.before.search(text[max(0, start - 12):start]):
            continue
        if ctx.after is not None and not ctx.after.match(text, end):
            continue
        return ctx
    return None


_MASK_CHARS = re.compile(r"[*＊×□○〇xXＸ]")


@lru_cache(maxsize=8)
def _never_regex(never: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(w) for w in sorted(never, key=len, reverse=True)) or "(?!)")


def _masks(text: str, rules: RepairRules, edits: list[Edit]) -> tuple[str, list[tuple[int, int]]]:
    if not _MASK_CHARS.search(text):
        return text, []
    blocked = set()
    for m in _never_regex(rules.never).finditer(text):
        blocked.update(range(m.start(), m.end()))
    prot = _protected(text, rules, skip=("latin", "book_title"))
    found: dict[int, tuple[int, str, str, float]] = {}  # start -> (end, type, rule, confidence)
    for pat, strong in ((rules.strong, True), (rules.weak, False)):
        if pat is None:
            continue
        for m in pat.finditer(text):
            s, e = m.span()
            if s in found or any(i in blocked for i in range(s, e)) or any(s < f_e and f_s < e for f_s, (f_e, *_ ) in found.items()):
                continue
            # Inside a URL, a 《title》 or a number, it is not ours to change.
            if any(prot[i] for i in range(s, e)):
                continue
            ctx = _context(text, s, e, rules)
            if ctx is not None:
                found[s] = (e, ctx.type, f"mask_{ctx.name}", 0.95 if strong else 0.85)
            elif strong:
                found[s] = (e, "unknown", "mask_run", 0.9)
    if rules.lists:
        _extend_lists(text, found, rules)
    if not found:
        return text, []
    out, spans, pos, shift = [], [], 0, 0
    for s in sorted(found):
        e, typ, rule, conf = found[s]
        out.append(text[pos:s])
        out.append(rules.token)
        spans.append((s + shift, s + shift + len(rules.token)))
        if text[s:e] != rules.token:
            edits.append(Edit("mask", rule, f"mask:{typ}", text[s:e], rules.token, scope="span",
                              offset=s + shift, confidence=conf))
        shift += len(rules.token) - (e - s)
        pos = e
    out.append(text[pos:])
    return "".join(out), spans


def _extend_lists(text: str, found: dict, rules: RepairRules) -> None:
    """Weak runs joined by 、 to a mask are masks of the same type: *、*、*同志."""
    weak = rules.weak
    if weak is None:
        return
    changed = True
    while changed:
        changed = False
        for m in weak.finditer(text):
            s, e = m.span()
            if s in found:
                continue
            for f_s, (f_e, typ, _, _) in list(found.items()):
                if (text[e:e + 1] == "、" and f_s == e + 1) or (text[s - 1:s] == "、" and f_e == s - 1):
                    found[s] = (e, typ, "mask_list", 0.85)
                    changed = True
                    break


# ----------------------------------------------------------------------------- punctuation

def _is_cjk(ch: str) -> bool:
    return bool(ch) and bool(_CJK_CONTEXT.match(ch))


def _neighbour(text: str, i: int, step: int) -> str:
    j = i + step
    while 0 <= j < len(text) and text[j] == " ":
        j += step
    return text[j] if 0 <= j < len(text) else ""


def _punctuation(text: str, rules: RepairRules, edits: list[Edit], prot: bytearray) -> str:
    chars = list(text)

    def change(i: int, new: str, rule: str, conf: float = 0.99) -> None:
        edits.append(Edit("normalize", rule, "punctuation", chars[i], new, scope="span", offset=i,
                          confidence=conf))
        chars[i] = new

    # Quotes first, so a mark after a closing quote sees Chinese context.
    if rules.pair_quotes:
        _pair_quotes(chars, prot, '"', "“", "”", edits)
        _pair_quotes(chars, prot, "'", "‘", "’", edits)
    text = "".join(chars)
    # Paired round brackets next: Chinese when the content or either side is Chinese.
    for m in re.finditer(r"\(([^()]*)\)", text):
        s, e = m.start(), m.end() - 1
        if prot[s] or prot[e]:
            continue
        if _HAN.search(m.group(1)) or _is_cjk(_neighbour(text, s, -1)) or _is_cjk(_neighbour(text, e, 1)):
            if "(" in rules.punct_map:
                change(s, rules.punct_map["("], "fullwidth_brackets")
                change(e, rules.punct_map[")"], "fullwidth_brackets")
    for m in _PUNCT_CANDIDATE.finditer(text):  # only the characters that could change
        i, ch = m.start(), m.group(0)
        if prot[i]:
            continue
        if ch in rules.punct_map and ch not in "()":
            prev, nxt = _neighbour(text, i, -1), _neighbour(text, i, 1)
            if _is_cjk(prev) or (_is_cjk(nxt) and not (prev.isascii() and prev.isalnum())):
                change(i, rules.punct_map[ch], "fullwidth_punctuation")
        elif ch == "．" and rules.fix_fullwidth_period:
            if _HAN.match(_neighbour(text, i, -1) or " ") and (_HAN.match(_neighbour(text, i, 1) or " ")
                                                             or i == len(text) - 1):
                change(i, "。", "misused_fullwidth_period", 0.95)
    return "".join(chars)


def _pair_quotes(chars: list[str], prot: bytearray, straight: str, open_: str, close: str,
                 edits: list[Edit]) -> None:
    if straight not in chars:
        return
    where = [i for i, ch in enumerate(chars) if ch == straight and not prot[i]]
    if not where:
        return
    if len(where) % 2:
        edits.append(Edit("flag", "unbalanced_quotes", "punctuation", straight * len(where), "",
                          scope="paragraph", confidence=1.0))
        return
    for a, b in zip(where[0::2], where[1::2]):
        if _HAN.search("".join(chars[a + 1:b])):
            for i, new in ((a, open_), (b, close)):
                edits.append(Edit("normalize", "pair_quotes", "punctuation", straight, new, scope="span",
                                  offset=i, confidence=0.97))
                chars[i] = new


_PUNCT_CANDIDATE = re.compile(r"[,;:?!．]")
_PAIRS = (("“", "”"), ("‘", "’"), ("（", "）"), ("《", "》"), ("【", "】"))


def _flag_unbalanced(text: str, edits: list[Edit]) -> None:
    for o, c in _PAIRS:
        if text.count(o) != text.count(c):
            edits.append(Edit("flag", "unbalanced_brackets" if o not in "“‘" else "unbalanced_quotes",
                              "punctuation", f"{o}×{text.count(o)} {c}×{text.count(c)}", "",
                              scope="paragraph", confidence=1.0))
