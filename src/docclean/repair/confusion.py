"""Single-character typos: a confusion-set scorer.

Most typos in typed Chinese are one character swapped for another that sounds
alike (the input method offered it) or looks alike. Finding them needs evidence
from context, and a false "fix" of correct text is worse than a missed typo, so
a character is replaced only when three independent signals agree:

1. It is suspect: both of its character bigrams are improbable (no pair with a
   neighbour seen with log P above ``max_context_logp``; one NumPy pass per
   paragraph), no known word of two to four characters covers it, and it is not
   part of a patterned four-character phrase (一事一议, 先行先试, 以商招商: a
   character repeated two places on marks the phrase as deliberate).
2. A candidate from its confusion set (same reading or similar shape,
   data/confusions.tsv) forms a word with a neighbour and raises the bigram
   log-probability of the pair by at least ``min_bigram_gain``.
3. The best word segmentation of the surrounding window (unigram word
   frequencies, data/vocabulary.tsv.gz) gains at least ``min_word_gain``, and the
   two gains together (both are log-likelihood ratios, in nats) reach
   ``min_total_gain``: each signal must agree, and together they must be strong.

A word covers a character only if it is common enough: its Zipf frequency (log10
of occurrences per billion words) is at least ``min_cover_zipf``, taken from the
frequency list (data/vocabulary.tsv.gz) or from a recent word list
(data/known_words.txt.gz, which knows 抗疫, newer than the frequency list). Large word
lists are full of segmentation debris (共作, 公作 and 家强 are "words" seen some 10-25 times per
billion), which would otherwise hide the very typos they record. Person names
(data/names.txt) always cover. Evidence from one side only (the character ends a run of
Chinese, as in 提效、 or 增智，) is too weak for a change in official writing,
which is full of new two-character coinages: such a finding is a flag carrying
the suggestion. The thresholds live in rules/repair.toml;
benchmarks/eval_repair.py measures them.
"""

from __future__ import annotations

import functools
import gzip
import math
import sys
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from docclean.repair.typos import _FUNCTION, DATA, Finding, vocabulary

_WINDOW = 3  # characters each side of the suspect in the segmentation window
_MAX_WORD = 4  # longest word the segmentation tries
_MAX_COVER = 4  # longest word that makes its characters "not suspect"


@dataclass(frozen=True)
class ConfusionSettings:
    min_bigram_gain: float = 7.0
    min_word_gain: float = 8.0
    max_context_logp: float = -10.0
    min_cover_zipf: float = 2.0
    min_total_gain: float = 20.0
    # The word-level stage (ConfusionScorer.find_words); word_min_gain 0 switches it off.
    word_min_gain: float = 0.0
    word_min_zipf: float = 3.5
    word_min_bigram_gain: float = 3.0
    word_min_seg_gain: float = 2.0
    word_min_long_zipf: float = 1.0
    word_min_gain_alone: float = 25.0
    word_min_edge_zipf: float = 2.0
    word_min_two_zipf: float = 4.0
    word_margin: float = 2.0
    # The document's own spelling (ConfusionScorer._echoes, from find); 0 switches it off.
    echo_min_count: float = 0.0


def _memo(method):
    """A method's results cached on its instance, by arguments: like ``lru_cache``, but
    pickled with the instance (docclean.repair.lexicons caches the built scorer, tables
    and all) and holding no instance alive from a cache on the class."""
    name = method.__name__

    @functools.wraps(method)
    def cached(self, *args):
        memo = self.__dict__.setdefault("_memos", {})
        key = (name, args)
        if key not in memo:
            memo[key] = method(self, *args)
        return memo[key]

    return cached


class ConfusionScorer:
    def __init__(self, vocab: dict[str, int], bigrams: dict[str, float], known: dict[str, float],
                 names: list[str], confusions: dict[str, str]):
        self.vocab = vocab
        self.log_total = math.log(sum(vocab.values()))
        self.unknown = math.log(0.5) - self.log_total  # a character no word list knows
        self.bigrams = bigrams
        self.default = bigrams.get("", -10.0)
        # Characters are interned: w[0] makes a new string object per word, and the ~400k
        # copies of the same few thousand characters held some 35 MB in every run.
        self.confusions = {sys.intern(ch): frozenset(map(sys.intern, cs)) for ch, cs in confusions.items()}
        # For each character, the characters that follow it / precede it in a two-character word.
        self.follows: dict[str, set[str]] = {}
        self.precedes: dict[str, set[str]] = {}
        for w in vocab:
            if len(w) == 2:
                a, b = sys.intern(w[0]), sys.intern(w[1])
                self.follows.setdefault(a, set()).add(b)
                self.precedes.setdefault(b, set()).add(a)
        self._zipf: dict[str, float] | None = self._zipf_table(known)
        self.names = frozenset(n for n in names if 2 <= len(n) <= _MAX_COVER)
        # Characters as small integers, so the first filter runs on whole paragraphs in NumPy.
        chars = sorted({k[0] for k in bigrams if k} | {k[1] for k in bigrams if len(k) == 2} | set(confusions))
        self.ids = np.zeros(0x10000, dtype=np.int32)  # 0: a character with no statistics
        for n, ch in enumerate(chars, start=1):
            if ord(ch) < 0x10000:
                self.ids[ord(ch)] = n
        self.confusable = np.zeros(len(chars) + 1, dtype=bool)
        self.confusable[[self.ids[ord(ch)] for ch in confusions if ord(ch) < 0x10000]] = True
        self._segments: dict[str, float] = {}  # _segment's memo
        self._kind: np.ndarray | None = None  # _char_kind(), for _scan
        self._last: tuple = (None,)  # the last paragraph's pair flags, shared by find and find_words
        self._codes: tuple = (None,)  # the last text's sorted pair codes, for _pair_counts

    def _zipf_table(self, known: dict[str, float]) -> dict[str, float]:
        """Zipf frequency of every word that may cover a character: the larger of the two lists'."""
        to_zipf = 9 - self.log_total / math.log(10)  # log10(f) + to_zipf = log10(f per billion)
        zipf = {w: math.log10(f) + to_zipf for w, f in self.vocab.items() if 2 <= len(w) <= _MAX_COVER}
        for w, z in known.items():
            if 2 <= len(w) <= _MAX_COVER and z > zipf.get(w, -1.0):
                zipf[w] = z
        return zipf

    @property
    def zipf(self) -> dict[str, float]:
        """The Zipf table; built again from the data files after ``release_zipf``."""
        if self._zipf is None:
            self._zipf = self._zipf_table(_known_words())
        return self._zipf

    def release_zipf(self) -> None:
        """Drop the Zipf table (some 30 MB in every worker). With the word-level stage off, only
        the tables built from it are used at run time (``_cover``, ``_pairs``, memoised):
        docclean.repair.lexicons drops it once they are built; anything else that asks for it
        builds it again."""
        self._zipf = None

    @_memo
    def _pairs(self, max_context_logp: float, word_min_zipf: float = 3.0, min_cover_zipf: float = 2.0,
               words: bool = True) -> np.ndarray:
        """Flags of each character pair ab, a dense uint8 matrix over the ~5k characters with
        statistics (29 MB, shared by forked workers):
        LIKELY   the pair was seen with log P(b | a) above the threshold;
        FIX_B    some character that sounds or looks like b makes a word after a;
        FIX_A    some character that sounds or looks like a makes a word before b;
        and the word-level stage's bits (``_add_word_bits``), so both stages share one
        lookup per paragraph.
        A character with no candidate that makes a word with either neighbour can never be
        fixed, so the NumPy pass drops it before any per-character Python work."""
        n = len(self.confusable)
        flags = np.zeros((n, n), dtype=np.uint8)
        pairs = [(self.ids[ord(k[0])], self.ids[ord(k[1])]) for k, v in self.bigrams.items()
                 if len(k) == 2 and v > max_context_logp and ord(k[0]) < 0x10000 and ord(k[1]) < 0x10000]
        if pairs:
            a, b = np.array(pairs, dtype=np.int32).T
            flags[a, b] |= _LIKELY
        # Row and column 0 stand for every character without statistics: never rule them out.
        flags[0, :] |= _FIX_A | _FIX_B
        flags[:, 0] |= _FIX_A | _FIX_B
        ids = lambda chars: self.ids[[ord(c) for c in chars if ord(c) < 0x10000]]  # noqa: E731
        before = {c: ids(s) for c, s in self.precedes.items()}
        after = {c: ids(s) for c, s in self.follows.items()}
        for ch, cands in self.confusions.items():
            if ord(ch) >= 0x10000:
                continue
            col = self.ids[ord(ch)]
            left = [before[c] for c in cands if c in before]
            right = [after[c] for c in cands if c in after]
            if left:
                flags[np.concatenate(left), col] |= _FIX_B
            if right:
                flags[col, np.concatenate(right)] |= _FIX_A
        self._add_word_bits(flags, word_min_zipf, min_cover_zipf, words)
        return flags

    @_memo
    def _cover(self, min_zipf: float) -> frozenset[str]:
        """The words that cover their characters, as one set: a single lookup per window."""
        return frozenset(w for w, z in self.zipf.items() if z >= min_zipf) | self.names

    def _scan(self, text: str, prot: bytearray, flags: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Whole-paragraph array work for both stages, one pass: the suspects of ``find``
        (confusable Chinese characters with a Chinese neighbour, in no likely pair with either
        neighbour and in no common two-character word, with a candidate that makes a word with
        a neighbour) and of ``find_words`` (swappable characters in no common two-character
        word, whose pair with a neighbour is no word while a candidate makes a frequent one).
        Unprotected only. The last paragraph's result is kept: ``find_words`` runs right
        after ``find`` on the same text."""
        last = self._last
        if last[0] is text and last[1] is prot and last[2] is flags:
            return last[3], last[4], last[5]
        if self._kind is None:
            self._kind = self._char_kind()
            self._ids_clipped = np.concatenate((self.ids, np.zeros(1, dtype=self.ids.dtype)))
        # Code points above the BMP clipped to 0x10000: no Han character, id 0.
        cp = np.minimum(np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32), 0x10000)
        han = _HAN_TABLE[cp]
        ids = self._ids_clipped[cp]
        hh = han[:-1] & han[1:]
        pair = flags[ids[:-1], ids[1:]] * hh  # 0 where either side is not Chinese
        # Each character's own kind and its two pairs, through two 256-entry tables (the
        # roles of pair 0 are 0: the first character has no left pair, the last no right).
        m = self._kind[ids]
        m[1:] |= _LEFT_ROLE[pair]
        m[:-1] |= _RIGHT_ROLE[pair]
        if prot:
            m[np.frombuffer(bytes(prot), dtype=np.uint8) != 0] = 0
        old = np.flatnonzero((m & _OLD_MASK) == _OLD_WANT)
        word = np.flatnonzero((m & _WORD_MASK) == _WORD_WANT)
        # Two neighbours, Chinese, swappable, neither in a common two-character word, the pair
        # no word at all: a whole word may have been typed wrong (淡味 for 单位).
        free = (m & (_R_COVER | _K_SWAPPABLE)) == _K_SWAPPABLE
        two = np.flatnonzero(free[:-1] & free[1:] & hh & ((pair & _W_WORD) == 0))
        self._last = (text, prot, flags, old, word, two)
        return old, word, two

    @staticmethod
    def _covered(text: str, i: int, cover: frozenset[str], shortest: int = 2) -> bool:
        """Is position i inside a known word of ``shortest``.._MAX_COVER characters? Short
        words first: most covered characters are found by the first lookups."""
        for length in range(shortest, _MAX_COVER + 1):
            for start in range(max(0, i - length + 1), min(i, len(text) - length) + 1):
                if text[start:start + length] in cover:
                    return True
        return False

    @staticmethod
    def _patterned(text: str, i: int) -> bool:
        """Is position i in four Chinese characters ABAC or ABCB (一事一议, 以商招商)?"""
        for s in range(max(0, i - 3), min(i, len(text) - 4) + 1):
            w = text[s:s + 4]
            if (w[0] == w[2] or w[1] == w[3]) and all(map(_is_han, w)):
                return True
        return False

    def _bigram(self, a: str, b: str) -> float:
        v = self.bigrams.get(a + b)
        return v if v is not None else self.bigrams.get(a, self.default)

    def _segment(self, s: str) -> float:
        """Log-probability of the best segmentation of ``s`` into vocabulary words (memoised:
        both stages segment the same windows)."""
        memo = self._segments
        v = memo.get(s)
        if v is None:
            if len(memo) > 65536:
                memo.clear()
            v = memo[s] = self._segment_uncached(s)
        return v

    def _segment_uncached(self, s: str) -> float:
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

    def find(self, text: str, prot: bytearray, settings: ConfusionSettings, doc: str | None = None) -> list[Finding]:
        """Single-character typos on the statistics of the web (``_best``) and, for a suspect
        they leave, on the document's own spelling (``_echoes``, counted in ``doc``, the
        whole document ``text`` is part of; by default ``text`` itself)."""
        if len(text) < 2:
            return []
        out = []
        echo = []  # suspects _best left, for _echoes
        cover = self._cover(settings.min_cover_zipf)
        flags = self._pairs(settings.max_context_logp, settings.word_min_zipf, settings.min_cover_zipf,
                            settings.word_min_gain > 0)
        for i in self._scan(text, prot, flags)[0].tolist():
            if text[i] in _PLACE or self._covered(text, i, cover) or self._patterned(text, i) \
                    or text[i - 1:i] == "以" and text[i + 1:i + 2] == "为":
                continue  # a place character names a place (通村达户); 以X为Y frames a chosen X (以计为首)
            ch = text[i]
            prev = text[i - 1] if i and _is_han(text[i - 1]) else ""
            nxt = text[i + 1] if i + 1 < len(text) and _is_han(text[i + 1]) else ""
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
            elif settings.echo_min_count > 0 and prev and nxt and ch not in _FUNCTION:
                echo.append(i)
        if echo:
            out += self._echoes(text, doc if doc is not None else text, echo, cover, settings.echo_min_count)
        return out

    def _best(self, text: str, i: int, prev: str, nxt: str, base_bigram: float,
              settings: ConfusionSettings) -> tuple[str, float] | None:
        # Candidates that make a word with a neighbour: set intersections, not a loop.
        same = self.confusions[text[i]]  # small; the partner sets can be large (的)
        cands = (same & self.follows.get(prev, _EMPTY)) | (same & self.precedes.get(nxt, _EMPTY))
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
            if word_gain < settings.min_word_gain or gain + word_gain < settings.min_total_gain:
                continue
            if best is None or gain + word_gain > best[1]:
                best = (c, gain + word_gain)
        return best

    def _echoes(self, text: str, doc: str, where: list[int], cover: frozenset[str], m: float) -> list[Finding]:
        """The document's own evidence: a suspect character whose sound- or shape-alike
        candidate makes a word the same text writes at least ``m`` times, where the text's
        own pair occurs less than half as often and less than ``m`` times (建设 five times in
        a report, 建社 once: the report's writer spells it 建设), counted in ``doc``, the whole
        document (``paragraph.repair_many`` joins its paragraphs): what the statistics of the
        web cannot decide, the author's own usage does. Function characters (和, 是) are grammar,
        never candidates; a neighbour already in a word on its far side is not borrowed
        (会议|是 is no 议题)."""
        suspects = []
        for i in where:
            a, prev, nxt = text[i], text[i - 1], text[i + 1]
            left = prev if text[i - 2:i] not in cover else ""
            right = nxt if text[i + 1:i + 3] not in cover else ""
            same = self.confusions[a] - _FUNCTION
            cands = (same & self.follows.get(left, _EMPTY)) | (same & self.precedes.get(right, _EMPTY))
            if cands:
                suspects.append((i, a, left, right, cands))
        if not suspects:
            return []
        # Every candidate word of every suspect counted at once: one sort of the text's pair
        # codes, two binary searches for all the questions.
        words = [[(c, w) for c in sorted(cands) for w in (prev + c, c + nxt) if len(w) == 2 and w in cover]
                 for i, a, prev, nxt, cands in suspects]
        count = self._pair_counts(doc, [w for ws in words for _, w in ws])
        out = []
        for (i, a, prev, nxt, cands), ws in zip(suspects, words):
            if not ws or max(count[w] for _, w in ws) < m:
                continue
            by_cand: dict[str, list[str]] = {}
            for c, w in ws:
                by_cand.setdefault(c, []).append(w)
            # The few that reach m recounted as words: an occurrence whose character a
            # neighbouring word takes is none (要强 in 要强化 is 要|强化).
            n = {c: max(self._word_count(doc, w, cover) for w in cw) for c, cw in by_cand.items()}
            ranked = sorted(n.items(), key=lambda kv: (-kv[1], kv[0]))
            best, runner = ranked[0], ranked[1][1] if len(ranked) > 1 else 0
            if best[1] < m or best[1] == runner:
                continue
            here = max(self._pair_counts(doc, [x for x in (prev + a, a + nxt) if len(x) == 2]).values())
            if here < m and 2 * here < best[1]:
                out.append(Finding(i, i + 1, a, best[0], "confusion_echo", 0.85))
        return out

    @staticmethod
    def _word_count(text: str, w: str, cover: frozenset[str]) -> int:
        """Occurrences of the two-character word ``w`` in ``text`` where neither character
        makes a word with the character beyond it."""
        n, at = 0, text.find(w)
        while at >= 0:
            if (at == 0 or text[at - 1:at + 1] not in cover) and text[at + 1:at + 3] not in cover:
                n += 1
            at = text.find(w, at + 1)
        return n

    def _pair_counts(self, text: str, pairs: list[str]) -> dict[str, int]:
        """How often each two-character string of ``pairs`` occurs in ``text``: one sort of
        the text's pair codes, then two binary searches over all of them (not ``str.count``,
        a pass over the whole document for every question). The sort is kept for the next
        question about the same text."""
        if self._codes[0] is not text:
            cp = np.minimum(np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32), 0x10000).astype(np.int64)
            self._codes = (text, np.sort(cp[:-1] * 0x10001 + cp[1:]))
        codes = self._codes[1]
        keys = np.array([min(ord(p[0]), 0x10000) * 0x10001 + min(ord(p[1]), 0x10000) for p in pairs], dtype=np.int64)
        n = np.searchsorted(codes, keys, "right") - np.searchsorted(codes, keys, "left")
        return dict(zip(pairs, n.tolist()))

    # ------------------------------------------------------------------ word level

    @_memo
    def _word_candidates(self) -> dict[str, frozenset[str]]:
        """Character -> the characters that sound or look like it: the confusion sets, the
        same reading with tone (data/homophones.tsv) and a shared component in the same place
        (data/shapes.tsv), as the set-phrase matcher relates them. Function characters and
        numerals are never candidates."""
        from docclean.repair.typos import _FUNCTION, _NUMERALS, set_phrases
        sp = set_phrases()
        by_reading: dict[str, set[str]] = {}
        for ch, r in sp.reading.items():
            by_reading.setdefault(r, set()).add(ch)
        by_part: dict[tuple[int, str], set[str]] = {}
        for ch, decs in sp.shapes.items():
            for d in decs:
                by_part.setdefault((0, d[0]), set()).add(ch)
                by_part.setdefault((1, d[1]), set()).add(ch)
        chars = set(self.confusions) | set(sp.reading) | set(sp.shapes)
        out = {}
        for a in chars:
            cs = set(self.confusions.get(a, ()))
            r = sp.reading.get(a)
            if r is not None:
                cs |= by_reading[r]
            for x in sp.shapes.get(a, ()):
                cs |= {c for c in by_part.get((0, x[0]), ()) | by_part.get((1, x[1]), ()) if sp.related(a, c)}
            cs -= _FUNCTION | _NUMERALS | {a}
            if cs:
                out[a] = frozenset(cs)
        return out

    def _add_word_bits(self, flags: np.ndarray, min_zipf: float, min_cover_zipf: float, fixes: bool) -> None:
        """The word-level stage's bits of each character pair ab, in the matrix of ``_pairs``:
        W_WORD ab is a two-character word of the lists (any frequency); W_COVER it is one at
        ``min_cover_zipf`` or more; W_FIX_B some candidate c of b makes a word ac of Zipf
        ``min_zipf`` or more; W_FIX_A some candidate of a makes a word cb so.
        The character stage uses W_COVER too; the W_FIX bits only the word-level stage, and
        they are most of the table's cost (seconds, in every run that repairs): ``fixes``
        False, with that stage off, leaves them out."""
        ident = lambda ch: self.ids[ord(ch)] if ord(ch) < 0x10000 else 0  # noqa: E731
        word_a, word_b, cov_a, cov_b = [], [], [], []
        before: dict[str, list[int]] = {}  # c -> ids of a with ac frequent
        after: dict[str, list[int]] = {}  # c -> ids of b with cb frequent
        for w, z in self.zipf.items():
            if len(w) != 2 or not (_is_han(w[0]) and _is_han(w[1])):
                continue
            a, b = ident(w[0]), ident(w[1])
            if a and b:  # exact only where both characters have an id (0 stands for many)
                word_a.append(a)
                word_b.append(b)
                if z >= min_cover_zipf:
                    cov_a.append(a)
                    cov_b.append(b)
            if z >= min_zipf:
                before.setdefault(w[1], []).append(a)
                after.setdefault(w[0], []).append(b)
        flags[np.array(word_a, dtype=np.int32), np.array(word_b, dtype=np.int32)] |= _W_WORD
        flags[np.array(cov_a, dtype=np.int32), np.array(cov_b, dtype=np.int32)] |= _W_COVER
        if not fixes:
            return
        flags[0, :] |= _W_FIX_A | _W_FIX_B  # characters without an id: never ruled out
        flags[:, 0] |= _W_FIX_A | _W_FIX_B
        for ch, cands in self._word_candidates().items():
            col = ident(ch)
            if not col:
                continue
            left = [before[c] for c in cands if c in before]
            right = [after[c] for c in cands if c in after]
            if left:
                flags[np.array(sorted(set().union(*left)), dtype=np.int32), col] |= _W_FIX_B
            if right:
                flags[col, np.array(sorted(set().union(*right)), dtype=np.int32)] |= _W_FIX_A

    @_memo
    def _char_kind(self) -> np.ndarray:
        """By character id: K_CONFUSABLE (``find`` may replace it) and K_SWAPPABLE (no
        function character or numeral: ``find_words`` may replace it)."""
        from docclean.repair.typos import _FUNCTION, _NUMERALS
        kind = np.where(self.confusable, _K_CONFUSABLE, 0).astype(np.uint8)
        kind |= _K_SWAPPABLE
        kind[[self.ids[ord(c)] for c in _FUNCTION | _NUMERALS if self.ids[ord(c)]]] &= ~np.uint8(_K_SWAPPABLE)
        return kind

    @_memo
    def _frequent_pairs(self, min_zipf: float) -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
        """For each character, the characters after it / before it in a two-character word
        of Zipf ``min_zipf`` or more."""
        follows: dict[str, set[str]] = {}
        precedes: dict[str, set[str]] = {}
        for w, z in self.zipf.items():
            if len(w) == 2 and z >= min_zipf:
                a, b = sys.intern(w[0]), sys.intern(w[1])  # (as in __init__)
                follows.setdefault(a, set()).add(b)
                precedes.setdefault(b, set()).add(a)
        return ({k: frozenset(v) for k, v in follows.items()}, {k: frozenset(v) for k, v in precedes.items()})

    def _long_word(self, text: str, i: int, c: str) -> float:
        """The highest Zipf frequency of a word of 3-4 characters through position i once
        text[i] is c (-9: none)."""
        best = -9.0
        t = text[max(0, i - 3):i] + c + text[i + 1:i + 4]
        at = min(i, 3)
        for length in (3, 4):
            for s in range(max(0, at - length + 1), min(at, len(t) - length) + 1):
                z = self.zipf.get(t[s:s + length])
                if z is not None and z > best:
                    best = z
        return best

    def find_words(self, text: str, prot: bytearray, settings: ConfusionSettings) -> list[Finding]:
        """Word-level evidence: a character between two Chinese neighbours that makes a
        word with neither (数局, 染道, 持旭: typos make non-words) is replaced by one that
        sounds or looks alike when that makes a frequent word with a neighbour (数据, 渠道,
        持续), the text's pair on that side is no word of the lists at all, the character
        bigrams gain ``word_min_bigram_gain``, and the segmentation of the window gains
        ``word_min_gain`` and beats the next candidate by ``word_margin``."""
        if settings.word_min_gain <= 0 or len(text) < 2:
            return []
        flags = self._pairs(settings.max_context_logp, settings.word_min_zipf, settings.min_cover_zipf,
                            settings.word_min_gain > 0)
        _, where, two = self._scan(text, prot, flags)
        if not len(where) and not len(two):
            return []
        cover = self._cover(settings.min_cover_zipf)
        names = self.names
        cand_of = self._word_candidates()
        follows, precedes = self._frequent_pairs(settings.word_min_zipf)
        traditional = _traditional()
        zipf = self.zipf
        out = []
        min_bg, alone = settings.word_min_bigram_gain, settings.word_min_gain_alone
        n = len(text)
        for i in where.tolist():
            a = text[i]
            prev = text[i - 1] if i and "\u4e00" <= text[i - 1] <= "\u9fff" else ""
            nxt = text[i + 1] if i + 1 < n and "\u4e00" <= text[i + 1] <= "\u9fff" else ""
            # The cheap tests that rule a place out first, before any candidate is scored.
            if prev + a in names or a + nxt in names:
                continue
            if nxt in _PLACE or (nxt and i + 2 < n and text[i + 2] in _PLACE):
                continue  # a place name (海曙区, 姜曹村): rare names are no typos
            if prev in _PATTERN_HEAD and nxt == "必":
                continue  # 有X必Y, 凡X必Y, 逢X必Y: a deliberate pattern (有仓必到, 凡进必审)
            same = cand_of.get(a, _EMPTY)  # set intersections, not a loop over the (large) sets
            cands = (same & follows.get(prev, _EMPTY)) | (same & precedes.get(nxt, _EMPTY))
            if not cands:
                continue
            if self._covered(text, i, cover, 3) or self._patterned(text, i):
                continue  # (two-character words: the pair flags said so already, names aside)
            # The cheap evidence first, for every candidate; the rest only for survivors.
            base_l = self._bigram(prev, a) if prev else 0.0
            base_r = self._bigram(a, nxt) if nxt else 0.0
            both = bool(prev and nxt)
            min_long = settings.word_min_long_zipf if both else settings.word_min_edge_zipf
            kept = []
            for c in sorted(cands - traditional):  # sorted: the same choice on every run
                zl = zipf.get(prev + c, -9.0) if prev else -9.0
                zr = zipf.get(c + nxt, -9.0) if nxt else -9.0
                if (prev + a if zl >= zr else a + nxt) in zipf:
                    continue  # the text's pair on that side is a word (反拐, 双创): a coinage
                bg = (self._bigram(prev, c) - base_l if prev else 0.0) + (self._bigram(c, nxt) - base_r if nxt else 0.0)
                if bg < min_bg:
                    continue
                # A longer word through the fix (大数据, 党总支, 规划纲要) confirms it; without
                # one the evidence must be much stronger (coinages: 投贷联动, 产供储销): the two
                # gains reach word_min_gain_alone, the bigrams alone half of it. One neighbour
                # only (政府引到，): the longer word is required, and more common.
                long = self._long_word(text, i, c) >= min_long
                if long or (both and 2 * bg >= alone):
                    kept.append((c, bg, long))
            if not kept:
                continue
            lo, hi = i, i + 1
            while lo > max(0, i - _WINDOW) and _is_han(text[lo - 1]):
                lo -= 1
            while hi < min(n, i + _WINDOW + 1) and _is_han(text[hi]):
                hi += 1
            window, at = text[lo:hi], i - lo
            base = self._segment(window)
            scored = []
            for c, bg, long in kept:
                seg = self._segment(window[:at] + c + window[at + 1:]) - base
                if seg < settings.word_min_seg_gain or bg + seg < settings.word_min_gain:
                    continue
                if long or bg + seg >= alone:
                    scored.append((bg + seg, c))
            if not scored:
                continue
            scored.sort(key=lambda g: -g[0])
            gain, c = scored[0]
            if len(scored) > 1 and gain - scored[1][0] < settings.word_margin:
                continue
            out.append(Finding(i, i + 1, a, c, "confusion_word", round(min(0.9, 0.7 + gain / 100), 2)))
        if len(two):  # a one-character fix is the simpler reading: no pair across one
            single = {f.start for f in out}
            out += self._find_two(text, [i for i in two.tolist() if i not in single and i + 1 not in single],
                                  cover, settings)
        return out

    def _find_two(self, text: str, spans: list[int], cover: frozenset[str],
                  settings: ConfusionSettings) -> list[Finding]:
        """A two-character non-word whose characters are both free (in no common word)
        replaced as a whole by the one word of Zipf ``word_min_two_zipf`` or more that
        sounds like it, each character the same reading but for the tone, both characters
        different (淡味 -> 单位, 乖买 -> 拐卖: a whole word mistyped in a pinyin input
        method), when a word of 3-4 characters runs through it (有关单位, 拐卖人口)."""
        toneless, by_sound = self._sound_index(settings.word_min_two_zipf)
        zipf = self.zipf
        out: list[Finding] = []
        taken = -1
        for i in spans:
            if i <= taken:
                continue
            x, y = text[i], text[i + 1]
            sx, sy = toneless.get(x), toneless.get(y)
            words = by_sound.get((sx, sy)) if sx and sy else None
            if not words or x + y in zipf or self._covered(text, i, cover, 3) or self._covered(text, i + 1, cover, 3):
                continue
            found = []
            for w in words:
                if w[0] == x or w[1] == y:
                    continue
                t = text[max(0, i - 3):i] + w + text[i + 2:i + 5]
                at = min(i, 3)
                if any(zipf.get(t[k:k + n], -9.0) >= settings.word_min_long_zipf
                       for n in (3, 4) for k in range(max(0, at + 2 - n), min(at, len(t) - n) + 1)):
                    found.append(w)
            if len(found) == 1:
                out.append(Finding(i, i + 2, x + y, found[0], "confusion_word_pair", 0.8))
                taken = i + 1
        return out

    @_memo
    def _sound_index(self, min_zipf: float) -> tuple[dict[str, str], dict[tuple[str, str], tuple[str, ...]]]:
        """Each character's reading without its tone (data/homophones.tsv), and the
        two-character words of Zipf ``min_zipf`` or more by the readings of their characters
        (function characters, numerals and traditional forms left out): one lookup finds the
        words a pair sounds like."""
        from docclean.repair.typos import _FUNCTION, _NUMERALS, set_phrases
        toneless = {ch: _toneless(r) for ch, r in set_phrases().reading.items()}
        skip = _FUNCTION | _NUMERALS | _traditional()
        index: dict[tuple[str, str], list[str]] = {}
        for w, z in self.zipf.items():
            if len(w) == 2 and z >= min_zipf and w[0] in toneless and w[1] in toneless \
                    and w[0] not in skip and w[1] not in skip:
                index.setdefault((toneless[w[0]], toneless[w[1]]), []).append(w)
        return toneless, {k: tuple(sorted(v)) for k, v in index.items()}


_EMPTY: frozenset[str] = frozenset()
_LIKELY, _FIX_B, _FIX_A = 1, 2, 4  # bits of ConfusionScorer._pairs
_W_WORD, _W_COVER, _W_FIX_B, _W_FIX_A = 8, 16, 32, 64  # the word-level stage's bits of ConfusionScorer._pairs
_HAN_TABLE = np.zeros(0x10001, dtype=bool)  # by code point, 0x10000 for any above the BMP
_HAN_TABLE[0x4E00:0xA000] = True
# ConfusionScorer._scan: a character's code is the role of its left pair, of its right pair
# and its own kind, OR-ed. The left pair (i-1, i) can fix i through FIX_B, the right pair
# through FIX_A.
_R_LIKELY, _R_FIX, _R_COVER, _R_WORD_FIX, _K_CONFUSABLE, _K_SWAPPABLE = 1, 2, 4, 8, 16, 32


def _role_table(fix: int, word_fix: int) -> np.ndarray:
    v = np.arange(256)
    role = np.where(v & _LIKELY, _R_LIKELY, 0) | np.where(v & fix, _R_FIX, 0) | np.where(v & _W_COVER, _R_COVER, 0) \
        | np.where(((v & word_fix) != 0) & ((v & _W_WORD) == 0), _R_WORD_FIX, 0)
    return role.astype(np.uint8)


_LEFT_ROLE, _RIGHT_ROLE = _role_table(_FIX_B, _W_FIX_B), _role_table(_FIX_A, _W_FIX_A)
_OLD_MASK, _OLD_WANT = _R_LIKELY | _R_FIX | _R_COVER | _K_CONFUSABLE, _R_FIX | _K_CONFUSABLE
_WORD_MASK, _WORD_WANT = _R_COVER | _R_WORD_FIX | _K_SWAPPABLE, _R_WORD_FIX | _K_SWAPPABLE
# Place-name suffixes: a character just before one is part of a name, never a typo.
_PLACE = frozenset("省市县区乡镇村州旗盟街路湖")
_PATTERN_HEAD = frozenset("有凡逢每遇")


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _toneless(reading: str) -> str:
    """A pinyin reading without its tone mark (yī -> yi, lǜ -> lü)."""
    return unicodedata.normalize("NFC", "".join(c for c in unicodedata.normalize("NFD", reading)
                                                if c not in "\u0300\u0301\u0304\u030c"))


@lru_cache(maxsize=1)
def _traditional() -> frozenset[str]:
    from docclean.repair.typos import set_phrases
    return set_phrases().traditional


def confusion_sets() -> dict[str, tuple[str, str]]:
    """Character -> (same-reading characters, similar-shape characters)."""
    sets = {}
    for line in (DATA / "confusions.tsv").read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            ch, sound, shape = line.split("\t")
            sets[ch] = (sound, shape)
    return sets


@lru_cache(maxsize=1)
def scorer() -> ConfusionScorer:
    from docclean.repair import lexicons

    return lexicons.take(("scorer",)) or _build_scorer()


def _build_scorer() -> ConfusionScorer:
    bigrams: dict[str, float] = {}
    with gzip.open(DATA / "char_bigrams.tsv.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            key, value = line.rstrip("\n").split("\t")
            bigrams[key] = float(value)
    confusions = {ch: sound + "".join(c for c in shape if c not in sound)
                  for ch, (sound, shape) in confusion_sets().items()}
    names = [n for n in (DATA / "names.txt").read_text("utf-8").split("\n") if n]
    return ConfusionScorer(vocabulary(), bigrams, _known_words(), names, confusions)


def _known_words() -> dict[str, float]:
    known: dict[str, float] = {}
    with gzip.open(DATA / "known_words.txt.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            word, zipf = line.split("\t")
            known[word] = float(zipf)
    return known
