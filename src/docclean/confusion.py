"""Single-character typos: a confusion-set scorer.

Most typos in typed Chinese are one character swapped for another that sounds
alike (the input method offered it) or looks alike. Finding them needs evidence
from context, and a false "fix" of correct text is worse than a missed typo, so
a character is replaced only when three independent signals agree:

1. It is suspect: no vocabulary word of two or more characters covers it (one
   Aho-Corasick pass per paragraph), and both of its character bigrams are
   improbable (no pair with a neighbour seen with log P above
   ``max_context_logp``).
2. A candidate from its confusion set (same reading or similar shape,
   data/confusions.tsv) forms a word with a neighbour and raises the bigram
   log-probability of the pair by at least ``min_bigram_gain``.
3. The best word segmentation of the surrounding window (unigram word
   frequencies, data/vocabulary.tsv.gz) gains at least ``min_word_gain``.

Person names (data/names.txt) and the words of a recent word list
(data/known_words.txt.gz: 抗疫 is newer than the frequency list) count as words, so
they are never suspect. Evidence from one side only (the character ends a run of
Chinese, as in 提效、 or 增智，) is too weak for a change in official writing,
which is full of new two-character coinages: such a finding is a flag carrying
the suggestion. The thresholds live in rules/repair.toml;
benchmarks/eval_repair.py measures them.
"""

from __future__ import annotations

import gzip
import math
import re
from dataclasses import dataclass
from functools import lru_cache

import ahocorasick

from .typos import DATA, Finding, vocabulary

_WINDOW = 3  # characters each side of the suspect in the segmentation window
_MAX_WORD = 4


@dataclass(frozen=True)
class ConfusionSettings:
    min_bigram_gain: float = 10.0
    min_word_gain: float = 8.0
    max_context_logp: float = -10.0


class ConfusionScorer:
    def __init__(self, vocab: dict[str, int], bigrams: dict[str, float], known: list[str],
                 confusions: dict[str, str]):
        self.vocab = vocab
        self.log_total = math.log(sum(vocab.values()))
        self.unknown = math.log(0.5) - self.log_total  # a character no word list knows
        self.bigrams = bigrams
        self.default = bigrams.get("", -10.0)
        self.confusions = {ch: frozenset(cs) for ch, cs in confusions.items()}
        # For each character, the characters that follow it / precede it in a two-character word.
        self.follows: dict[str, set[str]] = {}
        self.precedes: dict[str, set[str]] = {}
        for w in vocab:
            if len(w) == 2:
                self.follows.setdefault(w[0], set()).add(w[1])
                self.precedes.setdefault(w[1], set()).add(w[0])
        self.words = [w for w in vocab if len(w) >= 2] + known

    @lru_cache(maxsize=2)
    def _likely(self, max_context_logp: float) -> frozenset[str]:
        """The pairs more probable than the threshold: one set lookup per neighbour."""
        return frozenset(k for k, v in self.bigrams.items() if len(k) == 2 and v > max_context_logp)

    @lru_cache(maxsize=2)
    def covering(self, max_context_logp: float) -> ahocorasick.Automaton:
        """Words, and likely character pairs: whatever they cover is not suspect.

        The pairs are here only for speed: most characters that no word covers are
        function characters (的, 在, 要) in a likely pair, and one C-level pass marks them
        instead of a Python test per character.
        """
        automaton = ahocorasick.Automaton()
        for w in self.words:
            automaton.add_word(w, len(w))
        for pair in self._likely(max_context_logp):
            automaton.add_word(pair, 2)
        automaton.make_automaton()
        return automaton

    def _bigram(self, a: str, b: str) -> float:
        v = self.bigrams.get(a + b)
        return v if v is not None else self.bigrams.get(a, self.default)

    def _segment(self, s: str) -> float:
        """Log-probability of the best segmentation of ``s`` into vocabulary words."""
        best = [0.0] + [-math.inf] * len(s)
        for j in range(1, len(s) + 1):
            for k in range(max(0, j - _MAX_WORD), j):
                f = self.vocab.get(s[k:j])
                if f is not None:
                    score = best[k] + math.log(f) - self.log_total
                elif j - k == 1:
                    score = best[k] + self.unknown
                else:
                    continue
                if score > best[j]:
                    best[j] = score
        return best[-1]

    def find(self, text: str, prot: bytearray, settings: ConfusionSettings) -> list[Finding]:
        # Covered or protected positions are 1; the loop below visits only the rest,
        # found by a C-level scan (most characters of real text are inside some word).
        covered = bytearray(prot)
        # iter_long: the longest word at each point, without overlaps. A character that
        # only an overlapped shorter word covers becomes a candidate; the evidence tests
        # below still decide. (iter would visit every nested word: several times slower.)
        for end, n in self.covering(settings.max_context_logp).iter_long(text):
            covered[end - n + 1:end + 1] = b"\x01" * n
        out = []
        n = len(text)
        confusions, likely = self.confusions, self._likely(settings.max_context_logp)
        for m in _OPEN.finditer(covered):
            i = m.start()
            ch = text[i]
            if ch not in confusions:  # also skips everything that is not Han
                continue
            prev = text[i - 1] if i and "\u4e00" <= text[i - 1] <= "\u9fff" else ""
            nxt = text[i + 1] if i + 1 < n and "\u4e00" <= text[i + 1] <= "\u9fff" else ""
            if (not prev and not nxt) or prev + ch in likely or ch + nxt in likely:
                continue  # no neighbour, or a likely pair with one: not suspect
            left = self._bigram(prev, ch) if prev else 0.0
            right = self._bigram(ch, nxt) if nxt else 0.0
            found = self._best(text, i, prev, nxt, left + right, settings)
            if found is not None:
                after, gain = found
                # Confidence grows with the margin over the thresholds, capped below the
                # lexicon-based fixes.
                conf = min(0.9, 0.7 + gain / 100)
                out.append(Finding(i, i + 1, ch, after, "confusion_char", round(conf, 2),
                                   suggest_only=not (prev and nxt)))
        return out

    def _best(self, text: str, i: int, prev: str, nxt: str, base_bigram: float,
              settings: ConfusionSettings) -> tuple[str, float] | None:
        # Candidates that make a word with a neighbour: set intersections, not a loop.
        cands = self.confusions[text[i]] & (self.follows.get(prev, _EMPTY) | self.precedes.get(nxt, _EMPTY))
        if not cands:
            return None
        lo, hi = i, i + 1  # the window: the run of Chinese around i, at most _WINDOW each side
        while lo > max(0, i - _WINDOW) and _is_han(text[lo - 1]):
            lo -= 1
        while hi < min(len(text), i + _WINDOW + 1) and _is_han(text[hi]):
            hi += 1
        window, at = text[lo:hi], i - lo
        base_words = None
        best = None
        for c in sorted(cands):  # sorted: the same choice on every run
            gain = (self._bigram(prev, c) if prev else 0.0) + (self._bigram(c, nxt) if nxt else 0.0) - base_bigram
            if gain < settings.min_bigram_gain:
                continue
            if base_words is None:
                base_words = self._segment(window)
            word_gain = self._segment(window[:at] + c + window[at + 1:]) - base_words
            if word_gain < settings.min_word_gain:
                continue
            if best is None or gain + word_gain > best[1]:
                best = (c, gain + word_gain)
        return best


_OPEN = re.compile(rb"\x00")
_EMPTY: frozenset[str] = frozenset()


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


@lru_cache(maxsize=1)
def scorer() -> ConfusionScorer:
    bigrams: dict[str, float] = {}
    with gzip.open(DATA / "char_bigrams.tsv.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            key, value = line.rstrip("\n").split("\t")
            bigrams[key] = float(value)
    confusions = {}
    for line in (DATA / "confusions.tsv").read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            ch, sound, shape = line.split("\t")
            confusions[ch] = sound + "".join(c for c in shape if c not in sound)
    known = [n for n in (DATA / "names.txt").read_text("utf-8").split("\n") if n]
    with gzip.open(DATA / "known_words.txt.gz", "rt", encoding="utf-8") as fh:
        known += fh.read().split()
    return ConfusionScorer(vocabulary(), bigrams, known, confusions)
