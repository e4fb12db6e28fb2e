"""首报 (first report) rule: find earlier accepted items that carry the same content.

How an item is compared (figures from bench/duplicates.py on tests/factories/corpus.py):
1. `normalise` drops what does not change the content: character width (NFKC), traditional
   characters (folded to simplified), Chinese numerals in dates and figures (written in Arabic),
   whitespace, punctuation, stray sign-off fields (审核/撰稿/电话…) and the sending unit's own names.
2. Candidates come from an inverted index of character 5-grams, kept in numpy arrays (a long
   item is indexed under the one key in four its hash picks; a query looks up all its keys).
   Only the query's rarest keys are looked up (keys found in very many items are dropped
   altogether), so a check costs about the same at 100k and at 500k items; the few items sharing
   most of those keys are scored.
3. Scoring uses rapidfuzz: `content` is the LCS of the two sorted 3-gram sets over the new
   item's set — the share of the new item found in the earlier one: sentence order does not
   matter, a short added paragraph hurts little, a long summary quoting a short item is not it.
   `facts` is the share of the smaller side's dates and figures (numbers with 万/亿/%, never the
   measure word after them) found in the other side; a side that states none agrees with none.
   similarity = content × facts. Content alone cannot tell a resend from the same template
   reporting another event (the monthly meeting with other dates and figures: SPEC §4); on the
   labelled corpus content alone finds 57% of near-duplicates without flagging a hard negative,
   content × facts finds all of them.
4. Same wording but a date or a figure the other side does not state is never more than
   POSSIBLE_DUPLICATE: it is a corrected resend or the next routine meeting (two units' monthly
   meetings on one day differ only in their figures), and only a clerk can tell which.
"""

from __future__ import annotations

import ctypes
import io
from itertools import islice
import re
import threading
import time
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
import opencc
from rapidfuzz.distance import LCSseq
from sqlalchemy import delete, false, or_, select, text, update
from sqlalchemy.orm import Session, sessionmaker

from baosong.models.duplicates import DuplicateEntry, DuplicateSnapshot
from validators.findings import Finding, Severity
from validators.numerals import arabic_numerals

DEFAULT_WINDOW_DAYS = 365  # rolling: a resend does not respect New Year

DEFAULT_DUPLICATE_THRESHOLD = 0.50
DEFAULT_REVIEW_THRESHOLD = 0.40
KEY_SIZE = 5  # characters per candidate key
BATCH = 5_000  # items whose keys are computed together by add_many
RECENT_POSTINGS = 100_000  # postings of items added one by one before they are merged with the rest
SAMPLE_FROM = 64  # an item with more keys than this indexes one key in SAMPLE_EVERY (chosen by hash)
SAMPLE_EVERY = 4
MIN_CONTENT = 10  # characters after normalising; a shorter text says too little to be anyone's duplicate

SIGNOFF_LABELS = (
    "审核领导|审核人|审核|审签人|审签|签发人|签发|撰稿人|撰稿|供稿人|供稿|作者|执笔|拟稿人|"
    "手机号码|手机号|手机|联系电话|电话|联系方式|联系人"
)
SIGNOFF_LINE = re.compile(rf"^\s*[(（]?\s*(?:{SIGNOFF_LABELS})\s*[:：].*$", re.MULTILINE)
NUMERIC_DATE = re.compile(r"(?<!\d)(\d{4})[-./](\d{1,2})[-./](\d{1,2})(?!\d)")
LEADING_ZERO = re.compile(r"(?<!\d)0(\d)(?=[月日号])")
NOT_CONTENT = re.compile(r"[^\w.%]+|_+")
STRAY_SIGN = re.compile(r"(?<!\d)[.%]+|\.(?!\d)")  # keeps 45.6 and 98%
# A date is read without the character after the day and a figure without its measure word, so a
# typo there (12月3曰, 17.4亿圆) does not make another fact.
DATE_FACT = re.compile(r"(?:\d{4}年)?(\d{1,2})月(?:(\d{1,2})(?![\d.]))?")
YEAR = re.compile(r"\d{4}年")
NUMBER_FACT = re.compile(r"\d+(?:\.\d+)?[%万亿]?")
TO_SIMPLIFIED = opencc.OpenCC("t2s")


# --- comparing two texts ---------------------------------------------------------------------


def normalise(text: str, unit_names: Sequence[str] = ()) -> str:
    """The content of `text`: simplified characters, Arabic numerals, no sign-off lines, no unit
    names, no punctuation or whitespace."""
    text = TO_SIMPLIFIED.convert(unicodedata.normalize("NFKC", text))
    text = SIGNOFF_LINE.sub("", text)
    names = {TO_SIMPLIFIED.convert(unicodedata.normalize("NFKC", name)).strip() for name in unit_names}
    for name in sorted(filter(None, names), key=len, reverse=True):
        text = text.replace(name, "")
    text = arabic_numerals(NUMERIC_DATE.sub(lambda m: f"{m[1]}年{int(m[2])}月{int(m[3])}日", text))
    text = LEADING_ZERO.sub(r"\1", text)
    text = NOT_CONTENT.sub("", text.lower())
    return STRAY_SIGN.sub("", text) if "." in text or "%" in text else text


def shingles(normalised: str) -> list[int]:
    """The distinct character 3-grams, sorted, each packed into one int (three 21-bit code points)."""
    if not normalised:
        return []
    codes = _codes(normalised, 3)
    return np.unique((codes[:-2] << 42) | (codes[1:-1] << 21) | codes[2:]).tolist()


def index_keys(normalised: str) -> np.ndarray:
    """The distinct character 5-grams, hashed, sorted: rarer than 3-grams, so each lookup is short."""
    if not normalised:
        return np.empty(0, dtype=np.uint64)
    codes = _codes(normalised, KEY_SIZE)
    keys = np.zeros(len(codes) - KEY_SIZE + 1, dtype=np.uint64)
    for offset in range(KEY_SIZE):
        keys = keys * np.uint64(1_000_003) + codes[offset : len(codes) - KEY_SIZE + 1 + offset]
    return np.unique(keys)


def indexed_keys(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(key, position in `texts`) of every key the texts are indexed under, computed for all texts
    at once: all of a short item's keys, one in SAMPLE_EVERY of a longer one's (the same ones in
    every copy, so copies still meet; queries look up all their keys)."""
    padded = [text.ljust(KEY_SIZE) if text else "" for text in texts]
    codes = _codes("".join(padded), 0)
    owners = np.repeat(np.arange(len(texts), dtype=np.uint32), [len(text) for text in padded])
    count = len(codes) - KEY_SIZE + 1
    if count <= 0:
        return np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.uint32)
    keys = np.zeros(count, dtype=np.uint64)
    for offset in range(KEY_SIZE):
        keys = keys * np.uint64(1_000_003) + codes[offset : count + offset]
    inside = owners[:count] == owners[KEY_SIZE - 1 :]  # windows that do not span two texts
    keys, owners = keys[inside], owners[:count][inside]
    order = np.argsort(keys, kind="stable")  # stable: within a key, owners stay in order
    keys, owners = keys[order], owners[order]
    distinct = np.concatenate(([True], (keys[1:] != keys[:-1]) | (owners[1:] != owners[:-1])))
    keys, owners = keys[distinct], owners[distinct]
    per_text = np.bincount(owners, minlength=len(texts))
    keep = (per_text[owners] <= SAMPLE_FROM) | ((keys * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(62) == 0)
    return keys[keep], owners[keep]


def _codes(normalised: str, width: int) -> np.ndarray:
    padded = normalised.ljust(width)
    return np.frombuffer(padded.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)


@dataclass(frozen=True)
class Facts:
    """What an item states: dates (month and day, years left out) and figures with their measure word."""

    dates: Counter[str]
    figures: Counter[str]

    @property
    def all(self) -> Counter[str]:
        return self.dates + self.figures


def facts(normalised: str) -> Facts:
    dates: Counter[str] = Counter()
    for m in DATE_FACT.finditer(normalised):
        dates[f"{m[1]}月{m[2]}日" if m[2] else f"{m[1]}月"] += 1
    rest = YEAR.sub(" ", DATE_FACT.sub(" ", normalised))
    return Facts(dates, Counter(NUMBER_FACT.findall(rest)))


def content_similarity(query: list[int], candidate: list[int]) -> float:
    """Share of the query's 3-grams found in the candidate (rapidfuzz's LCS of two sorted lists is
    their intersection). Measured on the query, the new item: a long summary that quotes one
    short earlier item in full covers little of itself with it, a resend covers all of itself."""
    if not query or not candidate:
        return 0.0
    return LCSseq.similarity(query, candidate) / len(query)


def agreement(a: Counter[str], b: Counter[str]) -> float:
    """Share of the smaller side's facts found in the other; 1.0 when neither states any, 0.0
    when only one does (a side without facts cannot vouch for the same event)."""
    if not a and not b:
        return 1.0
    smaller = min(a.total(), b.total())
    if smaller == 0:
        return 0.0
    return (a & b).total() / smaller


@dataclass(frozen=True)
class Comparison:
    content: float  # shingle containment, 0–1
    facts: float  # agreement of dates and figures, 0–1
    facts_differ: bool  # the smaller side names a date, or a figure, that the other does not

    @property
    def similarity(self) -> float:
        return self.content * self.facts


def compare(query_grams: list[int], query_facts: Facts, candidate: str, *, floor: float = 0.0) -> Comparison:
    """Compare a query (its 3-grams and facts) with a candidate's normalised text.

    Facts are not read when the content alone stays under `floor` (the similarity cannot reach it)."""
    content = content_similarity(query_grams, shingles(candidate))
    if content < floor:
        return Comparison(content, 0.0, False)
    candidate_facts = facts(candidate)
    differ = min(
        agreement(query_facts.dates, candidate_facts.dates), agreement(query_facts.figures, candidate_facts.figures)
    ) < 1.0
    return Comparison(content, agreement(query_facts.all, candidate_facts.all), differ)


def compare_texts(query: str, candidate: str) -> Comparison:
    """Compare two normalised texts."""
    return compare(shingles(query), facts(query), candidate)


# --- the index ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndexedItem:
    """An accepted item as the index holds it; `normalised` comes from `normalise`."""

    item_id: int
    unit: str
    receipt: str | None
    date: date
    normalised: str

    @classmethod
    def from_text(
        cls,
        *,
        item_id: int,
        text: str,
        unit_name: str,
        receipt: str | None,
        accepted_on: date,
        unit_names: Sequence[str] = (),
    ) -> IndexedItem:
        return cls(item_id, unit_name, receipt, accepted_on, normalise(text, (unit_name, *unit_names)))


@dataclass(frozen=True)
class DuplicateMatch:
    item_id: int
    receipt: str | None
    unit: str
    date: date
    similarity: float
    duplicate: bool  # True at/above the duplicate threshold, False = possible duplicate


@dataclass(frozen=True)
class DuplicateConfig:
    """The `[duplicates]` section of an organisation's checks."""

    window: int = DEFAULT_WINDOW_DAYS  # days back from the day of the check
    duplicate_threshold: float = DEFAULT_DUPLICATE_THRESHOLD
    review_threshold: float = DEFAULT_REVIEW_THRESHOLD

    def __post_init__(self) -> None:
        if isinstance(self.window, bool) or not isinstance(self.window, int) or self.window <= 0:
            raise ValueError(f"[duplicates] window 应为正整数天数（如 365），现为 {self.window!r}")
        if not 0 < self.review_threshold <= self.duplicate_threshold <= 1:
            raise ValueError("[duplicates] 需满足 0 < review_threshold ≤ duplicate_threshold ≤ 1")

    @classmethod
    def from_mapping(cls, section: Mapping[str, Any]) -> DuplicateConfig:
        unknown = set(section) - {"window", "duplicate_threshold", "review_threshold"}
        if unknown:
            raise ValueError(f"[duplicates] 中有未知的设置项：{', '.join(sorted(unknown))}")
        return cls(**section)


def _return_freed_memory() -> None:
    """Hand the heap a bulk build freed back to the system: glibc keeps it otherwise, and a
    worker would carry the build's peak for good."""
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to do
        pass


class _Column:
    """A growable numpy array (one value per slot), grown by a quarter at a time."""

    def __init__(self, dtype: type) -> None:
        self._data = np.empty(0, dtype=dtype)
        self.size = 0

    def load(self, values: np.ndarray) -> None:
        self._data = values.astype(self._data.dtype, copy=False)
        self.size = len(values)

    @property
    def values(self) -> np.ndarray:
        return self._data[: self.size]

    def extend(self, values: np.ndarray) -> None:
        need = self.size + len(values)
        if need > len(self._data):
            grown = np.empty(max(need, len(self._data) * 5 // 4), dtype=self._data.dtype)
            grown[: self.size] = self.values
            self._data = grown
        self._data[self.size : need] = values
        self.size = need

    @property
    def nbytes(self) -> int:
        return self.values.nbytes


class _Postings:
    """(key, slot) pairs sorted by key, in two numpy arrays; `lookup` finds a key's run by bisection."""

    def __init__(self, keys: np.ndarray | None = None, slots: np.ndarray | None = None) -> None:
        self.keys = np.empty(0, dtype=np.uint64) if keys is None else keys
        self.slots = np.empty(0, dtype=np.uint32) if slots is None else slots

    def __len__(self) -> int:
        return len(self.keys)

    @classmethod
    def merged(cls, parts: Sequence[_Postings]) -> _Postings:
        keys = np.concatenate([p.keys for p in parts])
        order = np.argsort(keys, kind="stable")  # stable: slots stay ascending within a key
        slots = np.concatenate([p.slots for p in parts])[order]
        return cls(keys[order], slots)

    def inserted(self, other: _Postings) -> _Postings:
        """These postings with `other` (sorted, slots above ours) put in place: no full sort."""
        at = np.searchsorted(self.keys, other.keys, "right")
        return _Postings(np.insert(self.keys, at, other.keys), np.insert(self.slots, at, other.slots))

    def runs(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return np.searchsorted(self.keys, keys, "left"), np.searchsorted(self.keys, keys, "right")

    def without(self, keys: np.ndarray) -> _Postings:
        keep = ~np.isin(self.keys, keys)
        return _Postings(self.keys[keep], self.slots[keep])


class DuplicateIndex:
    """Inverted index over accepted items, held in numpy arrays, with the final rapidfuzz scoring.

    Per item (by slot): id, acceptance day, alive flag, and one record — unit, receipt and the
    normalised text — as UTF-16 in one shared buffer. Postings are (key, slot) pairs sorted by key:
    a large part built in bulk and a small part for items added since, merged when it grows.
    No Python object is kept per item or per key, so memory stays close to the arrays' own size."""

    def __init__(
        self,
        *,
        duplicate_threshold: float = DEFAULT_DUPLICATE_THRESHOLD,
        review_threshold: float = DEFAULT_REVIEW_THRESHOLD,
        window: int = DEFAULT_WINDOW_DAYS,
        probes: int = 32,
        candidates: int = 5,
        max_postings: int = 2000,
    ) -> None:
        self.config = DuplicateConfig(window, duplicate_threshold, review_threshold)
        self.probes = probes  # how many of the query's rarest keys are looked up
        self.candidates = candidates  # how many items are scored in full
        self.max_postings = max_postings  # a key in more items than this is never looked up
        self._ids = _Column(np.int64)
        self._days = _Column(np.int32)  # date.toordinal() of acceptance
        self._alive = _Column(np.bool_)
        self._starts = _Column(np.int64)  # where each slot's record starts in _records
        self._records = bytearray()  # "unit\x1freceipt\x1fnormalised" per slot, UTF-16-LE
        self._main = _Postings()
        self._recent = _Postings()  # items added one by one since the last merge
        self._common = np.empty(0, dtype=np.uint64)  # keys dropped for being in too many items, sorted

    def __len__(self) -> int:
        return int(np.count_nonzero(self._alive.values))

    def __contains__(self, item_id: int) -> bool:
        return bool(np.any((self._ids.values == item_id) & self._alive.values))

    @property
    def nbytes(self) -> int:
        """Size of the index's own arrays."""
        columns = self._ids.nbytes + self._days.nbytes + self._alive.nbytes + self._starts.nbytes
        postings = sum(p.keys.nbytes + p.slots.nbytes for p in (self._main, self._recent))
        return columns + len(self._records) + postings + self._common.nbytes

    def _arrays(self) -> dict[str, _Column]:
        return {"ids": self._ids, "days": self._days, "alive": self._alive, "starts": self._starts}

    def to_bytes(self) -> bytes:
        """The index's arrays in numpy's .npz form (no pickle), for DuplicateSnapshot."""
        buffer = io.BytesIO()
        np.savez(
            buffer,
            **{name: column.values for name, column in self._arrays().items()},
            records=np.frombuffer(self._records, dtype=np.uint8),
            main_keys=self._main.keys,
            main_slots=self._main.slots,
            recent_keys=self._recent.keys,
            recent_slots=self._recent.slots,
            common=self._common,
        )
        return buffer.getvalue()

    def load_bytes(self, data: bytes) -> None:
        """Take the contents of a snapshot made by `to_bytes` (replacing any held now)."""
        with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
            for name, column in self._arrays().items():
                column.load(arrays[name])
            self._records = bytearray(arrays["records"].tobytes())
            self._main = _Postings(arrays["main_keys"], arrays["main_slots"])
            self._recent = _Postings(arrays["recent_keys"], arrays["recent_slots"])
            self._common = arrays["common"]

    def add(self, entry: IndexedItem) -> None:
        """Index `entry`, replacing an earlier version of the same item."""
        self.add_many([entry])

    def add_many(self, entries: Iterable[IndexedItem]) -> None:
        """Index many entries; the postings are sorted once for all of them, not once per item."""
        remaining = iter(entries)
        parts = []
        while batch := list(islice(remaining, BATCH)):
            parts.append(self._add_batch(batch))
        rebuilt = bool(parts) and self._absorb(_Postings.merged(parts))
        del parts
        if rebuilt:
            _return_freed_memory()

    def _absorb(self, added: _Postings) -> bool:
        """Put new postings in the recent part, or merge everything when it grows; True if merged."""
        if len(added) + len(self._recent) <= max(RECENT_POSTINGS, len(self._main) // 8):
            self._recent = self._recent.inserted(added.without(self._common))
            return False
        self._main = self._trimmed(_Postings.merged([self._main, self._recent, added]))
        self._recent = _Postings()
        return True

    def _add_batch(self, batch: list[IndexedItem]) -> _Postings:
        ids = np.array([entry.item_id for entry in batch], dtype=np.int64)
        self._alive.values[np.isin(self._ids.values, ids)] = False  # earlier versions of these items
        first = self._ids.size
        starts = []
        for entry in batch:
            starts.append(len(self._records))
            self._records += f"{entry.unit}\x1f{entry.receipt or ''}\x1f{entry.normalised}".encode("utf-16-le")
        self._ids.extend(ids)
        self._days.extend(np.array([entry.date.toordinal() for entry in batch], dtype=np.int32))
        self._alive.extend(np.ones(len(batch), dtype=np.bool_))
        self._starts.extend(np.array(starts, dtype=np.int64))
        keys, owners = indexed_keys([entry.normalised for entry in batch])
        return _Postings(keys, owners + np.uint32(first))

    def _trimmed(self, postings: _Postings) -> _Postings:
        """Drop the keys found in more than max_postings items (and remember them)."""
        keys = postings.keys
        if not len(keys):
            return postings
        edges = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1], [True])))
        counts = np.diff(edges)
        common = keys[edges[:-1][counts > self.max_postings]]
        if not len(common):
            return postings
        self._common = np.union1d(self._common, common)
        return postings.without(common)

    def remove(self, item_id: int) -> None:
        self._alive.values[self._ids.values == item_id] = False  # its postings are skipped from now on

    def _record(self, slot: int) -> tuple[str, str | None, str]:
        end = int(self._starts.values[slot + 1]) if slot + 1 < self._starts.size else len(self._records)
        unit, receipt, normalised = self._records[int(self._starts.values[slot]) : end].decode("utf-16-le").split("\x1f", 2)
        return unit, receipt or None, normalised

    def find(
        self,
        text: str,
        *,
        unit_names: Sequence[str] = (),
        exclude_item_id: int | None = None,
        on: date | None = None,
    ) -> list[DuplicateMatch]:
        """Earlier items at or above the review threshold: duplicates first, the earliest (the
        首报) leading; then possible duplicates, most similar first.

        `on` is the day of the check (default today): the window counts back from it."""
        on = on or date.today()
        query = normalise(text, unit_names)
        if len(query) < MIN_CONTENT:
            return []
        grams = shingles(query)
        query_facts = facts(query)
        matches = []
        for slot in self._candidates(index_keys(query), on=on, exclude=exclude_item_id):
            unit, receipt, normalised = self._record(slot)
            comparison = compare(grams, query_facts, normalised, floor=self.config.review_threshold)
            score = comparison.similarity
            if score >= self.config.review_threshold:
                # Same wording with another date or figure: a corrected resend or the next routine
                # meeting; only a clerk can tell, so it is never more than a possible duplicate.
                duplicate = score >= self.config.duplicate_threshold and not comparison.facts_differ
                day = date.fromordinal(int(self._days.values[slot]))
                matches.append(DuplicateMatch(int(self._ids.values[slot]), receipt, unit, day, score, duplicate))
        return sorted(matches, key=_first_report_first)

    def _candidates(self, keys: np.ndarray, *, on: date, exclude: int | None) -> list[int]:
        """Slots of the items that share most of the query's rarest keys, within the window."""
        parts = [(postings, *postings.runs(keys)) for postings in (self._main, self._recent)]
        lengths = sum(ends - starts for _, starts, ends in parts)  # items per query key, both parts
        found = np.flatnonzero(lengths)
        if not len(found):
            return []
        rarest = found[np.argsort(lengths[found], kind="stable")[: self.probes]].tolist()
        pieces = [postings.slots[starts[k] : ends[k]] for postings, starts, ends in parts for k in rarest]
        slots, hits = np.unique(np.concatenate(pieces), return_counts=True)
        slots = slots[np.argsort(-hits, kind="stable")]
        since = (on - timedelta(days=self.config.window)).toordinal()
        keep = self._alive.values[slots] & (self._days.values[slots] >= since)
        if exclude is not None:
            keep &= self._ids.values[slots] != exclude
        return slots[keep][: self.candidates].tolist()


def _first_report_first(match: DuplicateMatch) -> tuple:
    if match.duplicate:
        return (0, match.date, match.item_id)
    return (1, -match.similarity, match.item_id)


# --- the index kept in the database ------------------------------------------------------------

# PostgreSQL hands out ids at insert and shows rows at commit, so a lower id can appear late:
# ids skipped over are awaited this long, up to this many below the newest.
GAP_PATIENCE_SECONDS = 300.0
MAX_GAPS = 1000
FIRST_REPORT_LOCK = 0x16_5EED  # PostgreSQL advisory lock key: one 首报 decision at a time


class DuplicateStore:
    """The index shared through the database by every worker.

    Accepting an item writes one row (`index_item`) in the accepting transaction; revoking writes
    a tombstone (`remove_item`). Each worker loads the rows once and, before every query, reads
    the rows with a higher id than it has seen, so all workers see every accepted item."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        *,
        duplicate_threshold: float = DEFAULT_DUPLICATE_THRESHOLD,
        review_threshold: float = DEFAULT_REVIEW_THRESHOLD,
        window: int = DEFAULT_WINDOW_DAYS,
    ) -> None:
        self._sessions = sessions
        self.index = DuplicateIndex(
            duplicate_threshold=duplicate_threshold, review_threshold=review_threshold, window=window
        )
        self._last_id = 0
        self._gaps: dict[int, float] = {}  # id -> when first missed
        self._lock = threading.Lock()
        self._load()

    @classmethod
    def from_config(cls, sessions: sessionmaker[Session], config: DuplicateConfig) -> DuplicateStore:
        return cls(
            sessions,
            duplicate_threshold=config.duplicate_threshold,
            review_threshold=config.review_threshold,
            window=config.window,
        )

    def _load(self) -> None:
        """From the newest snapshot and the entries written since, or from all entries in the window."""
        with self._sessions() as session:
            snapshot = session.scalars(select(DuplicateSnapshot).order_by(DuplicateSnapshot.id.desc()).limit(1)).first()
        if snapshot is not None:
            self.index.load_bytes(snapshot.arrays)
            self._last_id = snapshot.last_entry_id
            self._gaps = dict.fromkeys(snapshot.gaps, time.monotonic())
            self._refresh()
            return
        start = _window_start(self.index.config.window, date.today())
        with self._sessions() as session:
            self._last_id = session.scalar(select(DuplicateEntry.id).order_by(DuplicateEntry.id.desc()).limit(1)) or 0
            query = select(*_COLUMNS).where(
                DuplicateEntry.removed.is_(False),
                DuplicateEntry.accepted_on >= start,
                DuplicateEntry.id <= self._last_id,
            )
            self.index.add_many(_entry(row) for row in session.execute(query))

    def save_snapshot(self) -> None:
        """Save the index's arrays (the older snapshots go), so that the next worker to start and
        `baosong check` load them instead of building the index from every entry."""
        with self._lock:
            self._refresh()
            data, last_id, gaps = self.index.to_bytes(), self._last_id, sorted(self._gaps)
        with self._sessions() as session, session.begin():
            session.execute(delete(DuplicateSnapshot))
            session.add(DuplicateSnapshot(last_entry_id=last_id, gaps=gaps, arrays=data))

    def refresh(self) -> int:
        """Apply the rows other workers (and this one) committed since the last call."""
        with self._lock:
            return self._refresh()

    def _refresh(self) -> int:
        condition = DuplicateEntry.id > self._last_id
        if self._gaps:
            condition = or_(condition, DuplicateEntry.id.in_(list(self._gaps)))
        with self._sessions() as session:
            rows = session.execute(select(*_COLUMNS, DuplicateEntry.removed).where(condition).order_by(DuplicateEntry.id)).all()
        now = time.monotonic()
        for row in rows:
            self._gaps.pop(row.id, None)
            if row.id > self._last_id:
                self._gaps.update(dict.fromkeys(range(max(self._last_id + 1, row.id - MAX_GAPS), row.id), now))
                self._last_id = row.id
            if row.removed:
                self.index.remove(row.item_id)
            else:
                self.index.add(_entry(row))
        self._gaps = {gap: seen for gap, seen in self._gaps.items() if now - seen < GAP_PATIENCE_SECONDS}
        return len(rows)

    def find(
        self,
        text: str,
        *,
        unit_names: Sequence[str] = (),
        exclude_item_id: int | None = None,
        on: date | None = None,
    ) -> list[DuplicateMatch]:
        with self._lock:
            self._refresh()
            return self.index.find(text, unit_names=unit_names, exclude_item_id=exclude_item_id, on=on)

    @staticmethod
    def serialise(session: Session) -> None:
        """Hold the 首报 lock until `session` commits: whoever takes it next sees this transaction's
        acceptance. PostgreSQL: a transaction-level advisory lock; SQLite: the database's write lock,
        which the first write of a transaction takes (an update of no row is enough)."""
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": FIRST_REPORT_LOCK})
        else:
            session.execute(update(DuplicateEntry).where(false()).values(removed=True))

    @staticmethod
    def index_item(
        session: Session,
        *,
        item_id: int,
        text: str,
        unit_name: str,
        receipt: str | None,
        accepted_on: date,
        unit_names: Sequence[str] = (),
    ) -> None:
        """Record an accepted item; call inside the transaction that accepts it (under the 首报 lock)."""
        DuplicateStore.serialise(session)
        entry = IndexedItem.from_text(
            item_id=item_id, text=text, unit_name=unit_name, receipt=receipt, accepted_on=accepted_on, unit_names=unit_names
        )
        _replace_row(
            session,
            DuplicateEntry(
                item_id=item_id, unit_name=unit_name, receipt=receipt, accepted_on=accepted_on, normalised=entry.normalised
            ),
        )

    @staticmethod
    def remove_item(session: Session, item_id: int) -> None:
        """Take an item out of the index (acceptance revoked); other workers see a tombstone."""
        _replace_row(session, DuplicateEntry(item_id=item_id, removed=True))


_COLUMNS = (
    DuplicateEntry.id,
    DuplicateEntry.item_id,
    DuplicateEntry.unit_name,
    DuplicateEntry.receipt,
    DuplicateEntry.accepted_on,
    DuplicateEntry.normalised,
)


def _entry(row: Any) -> IndexedItem:
    return IndexedItem(row.item_id, row.unit_name, row.receipt, row.accepted_on, row.normalised)


def _replace_row(session: Session, row: DuplicateEntry) -> None:
    """One row per item: the newest state gets a new id, so every worker's refresh sees it."""
    session.execute(delete(DuplicateEntry).where(DuplicateEntry.item_id == row.item_id))
    session.add(row)
    session.flush()


def _window_start(window: int, today: date) -> date:
    return today - timedelta(days=window)


# --- findings -----------------------------------------------------------------------------------


def duplicate_findings(matches: Sequence[DuplicateMatch]) -> list[Finding]:
    """At most one finding: DUPLICATE naming the first (首报) of the duplicates, else
    POSSIBLE_DUPLICATE naming the most similar item."""
    duplicates = [m for m in matches if m.duplicate]
    if duplicates:
        first = min(duplicates, key=lambda m: (m.date, m.item_id))
        return [Finding("DUPLICATE", Severity.ERROR, _params(first), _params(first))]
    if matches:
        best = max(matches, key=lambda m: m.similarity)
        return [Finding("POSSIBLE_DUPLICATE", Severity.REVIEW, _params(best), _params(best))]
    return []


def _params(match: DuplicateMatch) -> dict[str, Any]:
    return {
        "item_id": match.item_id,
        "receipt": match.receipt,
        "unit": match.unit,
        "date": match.date.isoformat(),
        "similarity": round(match.similarity, 3),
    }
