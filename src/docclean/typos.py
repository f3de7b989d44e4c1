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

DATA = Path(__file__).parent / "data"


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
        # an array over the BMP, so a paragraph's sound takes a few NumPy operations.
        rep: dict[str, str] = {}
        for ch, r in sorted(reading.items()):
            rep.setdefault(r, ch)
        self.sound = np.arange(0x10000, dtype=np.uint32)
        for ch, r in reading.items():
            if ord(ch) < 0x10000:
                self.sound[ord(ch)] = ord(rep[r])
        self.automaton = ahocorasick.Automaton()
        by_sound: dict[str, list[str]] = {}
        for p, (_, idiom) in phrases.items():
            if idiom:
                by_sound.setdefault(self.sound_of(p), []).append(p)
        for key, ps in by_sound.items():
            self.automaton.add_word(key, (len(key), tuple(ps)))
        self.automaton.make_automaton()

    def sound_of(self, text: str) -> str:
        """The text with every character replaced by its reading's representative."""
        cp = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        return np.where(cp < 0x10000, self.sound[np.minimum(cp, 0xFFFF)], cp).tobytes().decode("utf-32-le")

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
