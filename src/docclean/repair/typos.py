"""Typo repair: misspelled idioms and set phrases, find-and-replace damage, context pairs.

The lexicon is phonetic. Every phrase (29k idioms and frequent set phrases,
see data/PROVENANCE.md) is indexed by how it sounds: each character replaced
by its same-tone homophone class. One Aho-Corasick pass over a paragraph,
mapped the same way, finds every span that sounds like a phrase. A span is
corrected only when it differs from exactly one phrase in exactly one
character and is not itself a word; anything less certain is flagged.
"""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import ahocorasick
import numpy as np

DATA = Path(__file__).resolve().parents[1] / "data"  # docclean/data


@dataclass(frozen=True)
class Finding:
    start: int
    end: int
    before: str
    after: str | None  # None: flag only
    rule: str
    confidence: float
    suggest_only: bool = False  # flag, with ``after`` as the suggestion; the text stays


class PhraseLexicon:
    """Idioms indexed by sound; other set phrases and the vocabulary only protect."""

    def __init__(self, phrases: dict[str, tuple[int, bool]], reading: dict[str, str],
                 vocabulary: dict[str, int], min_ratio: float):
        self.phrases = phrases
        self.vocabulary = vocabulary
        self.min_ratio = min_ratio
        # One representative character per reading, so text maps to its "sound"; the map is
        # a translate table (only the characters that change).
        rep: dict[str, str] = {}
        for ch, r in sorted(reading.items()):
            rep.setdefault(r, ch)
        self._translate = {ord(ch): ord(rep[r]) for ch, r in reading.items()
                           if ord(ch) < 0x10000 and ch != rep[r]}
        self.automaton = ahocorasick.Automaton()
        by_sound: dict[str, list[str]] = {}
        for p, (_, idiom) in phrases.items():
            if idiom:
                by_sound.setdefault(self.sound_of(p), []).append(p)
        for key, ps in by_sound.items():
            self.automaton.add_word(key, (len(key), tuple(ps)))
        self.automaton.make_automaton()

    def sound_of(self, text: str) -> str:
        """The text with every character replaced by its reading's representative
        (``str.translate``: no per-paragraph NumPy set-up)."""
        return text.translate(self._translate)

    def find(self, text: str) -> list[Finding]:
        sound = self.sound_of(text)
        out: list[Finding] = []
        for end, (n, ps) in self.automaton.iter(sound):
            start = end - n + 1
            span = text[start:end + 1]
            if span in self.phrases:
                continue  # itself an idiom or a set phrase
            near = [p for p in ps if sum(a != b for a, b in zip(p, span)) == 1]
            if not near:
                continue
            # Web text holds common misspellings, so "is a word" is not enough: the
            # idiom must be far more frequent than the span.
            span_freq = self.vocabulary.get(span, 0)
            near = [p for p in near if self.phrases[p][0] >= self.min_ratio * max(span_freq, 1)]
            if len(near) == 1:
                out.append(Finding(start, end + 1, span, near[0], "idiom_homophone", 0.9))
            elif near:
                out.append(Finding(start, end + 1, span, None, "idiom_homophone_ambiguous", 0.5))
        return _non_overlapping(out)


def _non_overlapping(found: list[Finding]) -> list[Finding]:
    """Longest first; a span overlapping a kept one is dropped."""
    kept: list[Finding] = []
    for f in sorted(found, key=lambda f: (-(f.end - f.start), f.start)):
        if all(f.end <= k.start or f.start >= k.end for k in kept):
            kept.append(f)
    return sorted(kept, key=lambda f: f.start)


@lru_cache(maxsize=2)
def phrase_lexicon(min_ratio: float = 20.0) -> PhraseLexicon:
    from docclean.repair import lexicons

    return lexicons.take(("phrase_lexicon", min_ratio)) or _build_phrase_lexicon(min_ratio)


def _build_phrase_lexicon(min_ratio: float) -> PhraseLexicon:
    phrases: dict[str, tuple[int, bool]] = {}
    for line in (DATA / "phrases.tsv").read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            word, freq, kind = line.split("\t")
            phrases[word] = (int(freq), kind == "idiom")
    reading = {}
    for line in (DATA / "homophones.tsv").read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            ch, r = line.split("\t")
            reading[ch] = r
    return PhraseLexicon(phrases, reading, vocabulary(), min_ratio)


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, int]:
    """Word -> frequency (data/PROVENANCE.md), shared by the phrase lexicon and the
    single-character scorer."""
    from docclean.repair import lexicons

    loaded = lexicons.take(("vocabulary",))
    if loaded is not None:
        return loaded
    vocab = {}
    with gzip.open(DATA / "vocabulary.tsv.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            word, freq = line.rstrip("\n").split("\t")
            vocab[word] = int(freq)
    return vocab


@dataclass(frozen=True)
class ContextPair:
    name: str
    pattern: re.Pattern[str]
    replace: str | None  # None: flag only


def acronym_damage(text: str, acronyms: tuple[str, ...]) -> list[Finding]:
    """Find-and-replace damage inside a known acronym: an interior letter replaced by Chinese
    (G党P -> GDP), or Chinese inserted between letters (GD党P -> GDP)."""
    if not _DAMAGE_SHAPE.search(text):  # most paragraphs have no letter-Chinese-letter run at all
        return []
    pattern, targets = _acronym_pattern(acronyms)
    return [Finding(m.start(), m.end(), m.group(0), targets[m.lastgroup], "acronym_damage", 0.95)
            for m in pattern.finditer(text)]


# What every damaged acronym contains: a letter, 1-3 Chinese
# characters, a letter. One cheap search decides whether the big alternation runs.
_DAMAGE_SHAPE = re.compile(r"[A-Za-z][\u4e00-\u9fff]{1,3}[A-Za-z]")


@lru_cache(maxsize=4)
def _acronym_pattern(acronyms: tuple[str, ...]) -> tuple[re.Pattern[str], dict[str, str]]:
    """One regex for all acronyms, a named group per acronym: compiled once per rule set."""
    han = "[\u4e00-\u9fff]{1,3}"
    groups, targets = [], {}
    for n, acr in enumerate(a for a in acronyms if len(a) >= 3):
        replaced = [f"{re.escape(acr[:i])}{han}{re.escape(acr[i + 1:])}" for i in range(1, len(acr) - 1)]
        inserted = [f"{re.escape(acr[:i])}{han}{re.escape(acr[i:])}" for i in range(1, len(acr))]
        groups.append(f"(?P<a{n}>{'|'.join(replaced + inserted)})")
        targets[f"a{n}"] = acr
    return re.compile(f"(?<![A-Za-z])(?:{'|'.join(groups) or '(?!)'})(?![A-Za-z])"), targets


def context_pairs(text: str, pairs: tuple[ContextPair, ...]) -> list[Finding]:
    out = []
    for pair in pairs:
        for m in pair.pattern.finditer(text):
            if pair.replace is None:
                out.append(Finding(m.start(), m.end(), m.group(0), None, pair.name, 0.5))
            else:
                out.append(Finding(m.start(), m.end(), m.group(0), m.expand(pair.replace), pair.name, 0.95))
    return out


# ----------------------------------------------------------------------------- set phrases

_SET_RATIO = 10.0  # the phrase must be this much more frequent than the span (web text holds misspellings)
_SET_MIN_ZIPF = 2.0  # four-character words of the recent word list taken as set phrases from this Zipf up
_SET_MIN_FREQ = 200  # ... and of the frequency list from this count up


class SetPhraseMatcher:
    """Four-character set phrases (idioms, 提法 such as 简政放权) with one character swapped
    for one that sounds alike or looks alike (筒政放权, 融汇贯通).

    Each phrase is a 64-bit key (four BMP code points); for each of the four places a
    sorted array holds the keys with that place blanked. A paragraph's four-grams are keyed
    the same way in NumPy, so the search is four ``searchsorted`` calls per paragraph; only
    hits reach Python. A hit is a repair when exactly one phrase fits, the text's character
    sounds or looks like the phrase's (data/homophones.tsv, data/confusions.tsv,
    data/shapes.tsv), the span is no phrase of its own unless the phrase is far more frequent
    (a well-known misspelling is frequent on the web too, but much rarer than the phrase),
    and the swapped character is in no common word reaching outside the span."""

    def __init__(self, phrases: dict[str, int], protect: dict[str, float], reading: dict[str, str],
                 confusions: dict[str, str], shapes: dict[str, list[tuple[str, str]]],
                 idioms: frozenset[str] = frozenset()):
        self.phrases = phrases
        self.idioms = idioms
        self.vocab = vocabulary()
        self.traditional = frozenset(
            line.split("\t")[0] for line in (DATA / "t2s_chars.tsv").read_text("utf-8").splitlines()
            if line and not line.startswith("#"))
        self.protect = protect  # span -> frequency (0 when only listed) of spans that are words themselves
        self.reading = reading
        self.confusions = confusions
        self.shapes = shapes
        words = sorted(phrases)
        keys = np.array([_key4(w) for w in words], dtype=np.uint64)
        self.words = words
        # One table: the key with place i blanked, and i in the top four bits.
        blanked = np.concatenate([(keys & _KEEP[i]) | np.uint64(i << 60) for i in range(4)])
        order = np.argsort(blanked, kind="stable")
        self.table = blanked[order]
        self.index = (order % len(words)).astype(np.int32)
        self.table_words = [words[j] for j in self.index.tolist()]  # the phrase of each table entry, for the hit loop
        # A bit per hash of every table key (512 KB, in cache): most of a paragraph's queries
        # fail this test, so the searches of the large table run on the few that pass.
        self.bits = np.zeros(1 << (_BLOOM_BITS - 3), dtype=np.uint8)
        h = _hash(self.table)
        np.bitwise_or.at(self.bits, h >> np.uint64(3), (np.uint8(1) << (h & np.uint64(7)).astype(np.uint8)))

    def related(self, a: str, b: str) -> bool:
        ra = self.reading.get(a)
        if ra is not None and ra == self.reading.get(b):
            return True
        if b in self.confusions.get(a, "") or a in self.confusions.get(b, ""):
            return True
        for x in self.shapes.get(a, ()):
            for y in self.shapes.get(b, ()):
                if (x[0] == y[0]) != (x[1] == y[1]):  # one component shared in place, the other differs
                    return True
        return False

    def find(self, text: str, cover: frozenset[str] | None = None) -> list[Finding]:
        if len(text) < 4:
            return []
        if _HAN4.search(text) is None:
            return []  # no four Chinese characters in a row
        cp = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        code = _CODE15[np.minimum(cp, 0xFFFF)]  # 15 bits a Han character, 0 for any other
        n = len(cp) - 3
        codes = (code[:n] << np.uint64(45)) | (code[1:n + 1] << np.uint64(30)) | (code[2:n + 2] << np.uint64(15)) \
            | code[3:]
        # Every four-gram with each place blanked, four-gram-major (query k: place k % 4 of the
        # four-gram at k // 4). A four-gram with a non-Han character may still hit when that
        # character is the blanked one: such spans are dropped below.
        queries = ((codes[:, None] & _KEEP_ALL) | _PLACES).ravel()
        h = _hash(queries)
        maybe = np.flatnonzero((self.bits[h >> np.uint64(3)] >> (h & np.uint64(7)).astype(np.uint8)) & 1)
        if not len(maybe):
            return []
        table = self.table
        q = queries[maybe]
        at = np.minimum(np.searchsorted(table, q), len(table) - 1)
        hit = table[at] == q
        found, at = maybe[hit], at[hit]
        if not len(found):
            return []
        right = np.searchsorted(table, q[hit], side="right").tolist()
        spans: dict[int, tuple[str, int | float | None] | None] = {}
        cands: dict[int, list[tuple[str, int]]] = {}
        for k, lo, hi in zip(found.tolist(), at.tolist(), right):
            p, i = divmod(k, 4)
            if p not in spans:
                span = text[p:p + 4]
                spans[p] = None
                if not all("\u4e00" <= c <= "\u9fff" for c in span):
                    continue  # (the blanked place held no Han character)
                if span in self.protect and span not in self.idioms:
                    continue  # a listed word (纪检监察): only a listed idiom can be a known misspelling
                if cover is not None and span not in self.phrases and span[:2] in cover and span[2:] in cover:
                    continue  # two common words (民主法治, 医疗保障): no misspelled phrase
                # The text may be a listed phrase itself: it is then kept unless a phrase one
                # character away is far more frequent (融汇贯通 7, 融会贯通 78).
                spans[p] = (span, self.phrases.get(span, self.protect.get(span)))
            if spans[p] is None:
                continue
            span = spans[p][0]
            if span[i] in _NUMERALS or span[i] in _FUNCTION or span[i] in self.traditional:
                continue  # (a traditional form is the source's script, not a typo: 有鉴於此)
            for w in self.table_words[lo:hi]:
                if w[i] != span[i]:
                    cands.setdefault(p, []).append((w, i))
        out: list[Finding] = []
        for p, ws in sorted(cands.items()):
            span, span_freq = spans[p]
            fits = []
            for w, i in ws:
                if w[i] in _NUMERALS or not self.related(span[i], w[i]):
                    continue
                if span_freq is not None and self.phrases[w] < _SET_RATIO * max(span_freq, 1):
                    continue
                if cover is not None and (_outside_word(text, p, p + i, cover) or _straddled(text, span, p, i, cover)):
                    continue
                if w not in self.idioms and cover is not None and not _word_evidence(span, w, i, cover, self.vocab):
                    continue  # a set phrase of the word lists, not an idiom: the swap must break a word
                fits.append(w)
            if len(fits) == 1:
                out.append(Finding(p, p + 4, span, fits[0], "set_phrase", 0.9))
            elif fits:
                out.append(Finding(p, p + 4, span, None, "set_phrase_ambiguous", 0.5))
        return _non_overlapping(out)


_NUMERALS = frozenset("〇零一二三四五六七八九十百千万亿两几")
# Function characters: a four-gram across a word boundary (的一季度, 叹了一口, 安监|等部门) is no phrase.
_FUNCTION = frozenset("的地得了着过在是和与及或也都就而但你我他她它这那有个之其由从对把被向于为以等")


def _word_evidence(span: str, w: str, i: int, cover: frozenset[str], vocab: dict[str, int]) -> bool:
    """The phrase's character makes a common word with a neighbour inside the phrase and
    the text's character makes none; or the phrase is two words (简政 放权), the half
    without the swap is a common word (放权), and the text's other half is no word at all
    (筒政) while the phrase's is one."""
    fixed = [w[k:k + 2] for k in (i - 1, i) if 0 <= k and k + 2 <= 4]
    broken = [span[k:k + 2] for k in (i - 1, i) if 0 <= k and k + 2 <= 4]
    if any(x in cover for x in fixed) and not any(x in cover for x in broken):
        return True
    half = slice(0, 2) if i < 2 else slice(2, 4)
    other = slice(2, 4) if i < 2 else slice(0, 2)
    return (w[other] in cover and w[half] in vocab and span[half] not in vocab and span[half] not in cover
            and not any(c in _FUNCTION for c in span[half]))


_BLOOM_BITS = 22  # SetPhraseMatcher.bits: 2**22 bits for some 154k keys


def _hash(keys: np.ndarray) -> np.ndarray:
    """_BLOOM_BITS bits of a multiplicative hash of 64-bit keys (the product wraps)."""
    return (keys * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(64 - _BLOOM_BITS)


def _key4(w: str) -> int:
    """Four Han characters in 60 bits: 15 a character (U+4E00..U+9FFF)."""
    c = [ord(ch) - 0x4DFF for ch in w]
    return (c[0] << 45) | (c[1] << 30) | (c[2] << 15) | c[3]


_CODE15 = np.zeros(0x10000, dtype=np.uint64)
_CODE15[0x4E00:0xA000] = np.arange(0x4E00 - 0x4DFF, 0xA000 - 0x4DFF, dtype=np.uint64)
_KEEP = [np.uint64(((1 << 60) - 1) & ~(0x7FFF << (15 * (3 - i)))) for i in range(4)]
_KEEP_ALL = np.array(_KEEP, dtype=np.uint64)
_PLACES = np.array([i << 60 for i in range(4)], dtype=np.uint64)
_HAN4 = re.compile(r"[\u4e00-\u9fff]{4}")


def _outside_word(text: str, start: int, i: int, cover: frozenset[str]) -> bool:
    """Is text[i] part of a common word that reaches outside the span [start, start+4)?"""
    for length in (2, 3):
        for s in range(max(0, i - length + 1), min(i, len(text) - length) + 1):
            if (s < start or s + length > start + 4) and text[s:s + length] in cover:
                return True
    return False


def _straddled(text: str, span: str, start: int, i: int, cover: frozenset[str]) -> bool:
    """Do the four characters at ``start`` read as the ends of words, not as a phrase: the
    text's character makes a word inside the span and the swapped half's outer character
    one with the text beyond it (大学生|科技: 学生 and 科技, no 大学本科)? (教学识量，has the
    word 学识 but no word across its end: 教学质量.)"""
    if not any(span[k:k + 2] in cover for k in (i - 1, i) if 0 <= k <= 2):
        return False
    if i < 2:
        return start > 0 and text[start - 1:start + 1] in cover
    return text[start + 3:start + 5] in cover


@lru_cache(maxsize=1)
def set_phrases() -> SetPhraseMatcher:
    from docclean.repair import lexicons

    return lexicons.take(("set_phrases",)) or _build_set_phrases()


def _build_set_phrases() -> SetPhraseMatcher:
    from docclean.repair.confusion import confusion_sets
    phrases: dict[str, int] = {}
    idioms: set[str] = set()
    listed: dict[str, float] = {}
    for line in (DATA / "phrases.tsv").read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            word, freq, kind = line.split("\t")
            if len(word) == 4 and all("\u4e00" <= c <= "\u9fff" for c in word):
                phrases[word] = int(freq)
                if kind == "idiom":
                    idioms.add(word)
    vocab = vocabulary()
    for w, f in vocab.items():
        if len(w) == 4:
            listed[w] = f
            if f >= _SET_MIN_FREQ and all("\u4e00" <= c <= "\u9fff" for c in w):
                phrases.setdefault(w, f)
    with gzip.open(DATA / "known_words.txt.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            w, z = line.rstrip("\n").split("\t")
            if len(w) == 4:
                listed.setdefault(w, 0)
                if float(z) >= _SET_MIN_ZIPF and all("\u4e00" <= c <= "\u9fff" for c in w):
                    # Zipf to the frequency list's scale: about 1 count per 0.1 per billion
                    phrases.setdefault(w, max(vocab.get(w, 0), int(10 ** (float(z) - 1))))
    for line in (DATA / "official_phrases.txt").read_text("utf-8").splitlines():
        w = line.strip()
        if w and not w.startswith("#") and len(w) == 4:
            phrases.setdefault(w, _SET_MIN_FREQ)  # a 提法 counts as a set phrase of the lists' bar
    for w, f in phrases.items():
        listed.setdefault(w, f)
    reading = {}
    for line in (DATA / "homophones.tsv").read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            ch, r = line.split("\t")
            reading[ch] = r
    confusions = {ch: s + h for ch, (s, h) in confusion_sets().items()}
    shapes: dict[str, list[tuple[str, str]]] = {}
    for line in (DATA / "shapes.tsv").read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            ch, decs = line.split("\t")
            shapes[ch] = [(d[0], d[1:]) for d in decs.split(" ") if len(d) >= 2]
    return SetPhraseMatcher(phrases, listed, reading, confusions, shapes, frozenset(idioms))
