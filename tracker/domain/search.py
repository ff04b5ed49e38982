"""Reading what a person types into a search, without a crash and without surprises.

A search is words, plus optional filters typed inline or given as CLI options::

    sponsor "first time" shar*  kind:contact  person:sam  since:march  until:"last week"

* **Words** must all be in an entry (``coffee chair`` finds notes with both). ``shar*`` is a
  prefix (shared, sharing). ``"first time"`` is a phrase. ``OR`` between two words finds either
  (``call OR text``). ``-word`` or ``NOT word`` leaves out entries with that word. Matching
  ignores case and accents, and a word finds its other forms (``meeting`` finds ``meetings``).
* **Filters**: ``kind:`` one of :data:`KINDS` or their everyday names (``meeting``, ``fit``,
  ``people``; several with commas), ``group:`` and ``person:`` (a name or the start of one, in
  quotes if it has spaces; ``person:`` also takes a role, ``person:sponsor``), ``method:`` (how
  a contact was made: ``call``, ``text``, ``in-person``, ``video``), ``since:``, ``until:`` and
  ``in:`` (a period, as :func:`parse_when` reads it: ``since:march``, ``since:"last 90 days"``,
  ``in:2025``).

We never hand what was typed to SQLite as it is. :func:`parse_query` builds the FTS5 expression
itself, quoting every word, so nothing a person types is FTS5 syntax: a stray ``*``, ``(``, ``:``
or ``^`` is just a character. Mistakes that leave the meaning unclear (an open quote, a lone
``-``, ``AND`` with nothing after it) raise :class:`~tracker.errors.InvalidField` for the field
``query`` with a message that says how to fix them.

Matches come back from the store with the matched words between :data:`MARK_START` and
:data:`MARK_END`, two control characters that a journal's text can never hold (the models refuse
them). :func:`marked_segments` splits such text into plain pieces, so a screen or the CLI styles
the matches itself and the text stays literal.

Pure functions: ``today`` is always passed in.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from tracker.domain.dates import EARLIEST, MONTH_WORDS, parse_date
from tracker.domain.review import long_date
from tracker.errors import InvalidField

__all__ = [
    "KINDS",
    "KIND_LABELS",
    "MARK_END",
    "MARK_START",
    "SearchQuery",
    "build_query",
    "marked_segments",
    "match_spans",
    "parse_kinds",
    "parse_methods",
    "parse_query",
    "parse_when",
    "strip_marks",
]

#: The kinds of entry, in the order results of equal rank are listed.
KINDS = ("attendance", "contact", "service", "rating", "group", "person")
#: How each kind is named on screen.
KIND_LABELS = {
    "attendance": "Meeting",
    "contact": "Contact",
    "service": "Service",
    "rating": "Fit rating",
    "group": "Group",
    "person": "Person",
    "milestone": "Milestone",
}
_KIND_WORDS = {
    "attendance": "attendance",
    "meeting": "attendance",
    "meetings": "attendance",
    "contact": "contact",
    "contacts": "contact",
    "service": "service",
    "rating": "rating",
    "ratings": "rating",
    "fit": "rating",
    "group": "group",
    "groups": "group",
    "person": "person",
    "people": "person",
}

#: Around each matched word in text from the store. Journal text never holds either.
MARK_START = "\x02"
MARK_END = "\x03"

_FILTERS = ("kind", "group", "person", "method", "since", "until", "in")
_LONGEST_QUERY = 500
_MOST_WORDS = 32
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# A word FTS5 would index: anything holding a letter or a digit. "&" or "--" would be nothing.
_HAS_WORD = re.compile(r"[^\W_]")
_FILTER_TOKEN = re.compile(r"(?P<key>[A-Za-z]+):(?P<value>.*)", re.DOTALL)


@dataclass(frozen=True)
class SearchQuery:
    """A search, read and checked. ``match`` is the FTS5 expression, None when no words."""

    text: str = ""  # the words part, as typed (filters taken out)
    match: str | None = None
    words: tuple[str, ...] = ()  # the words and phrases looked for (not the left-out ones)
    kinds: frozenset[str] = field(default_factory=frozenset)  # empty: every kind
    group: str | None = None
    person: str | None = None
    methods: frozenset[str] = field(default_factory=frozenset)  # contacts: call, text...
    since: date | None = None
    until: date | None = None

    @property
    def has_filters(self) -> bool:
        return bool(
            self.kinds or self.group or self.person or self.methods or self.since or self.until
        )

    @property
    def is_empty(self) -> bool:
        """Nothing to look for: no words and no filters."""
        return self.match is None and not self.has_filters

    @property
    def dated(self) -> bool:
        """A date filter is set: groups and people, which have no date, are left out."""
        return self.since is not None or self.until is not None

    def wants(self, kind: str) -> bool:
        """Entries of ``kind`` can match (the kind, date, group and person filters allow it)."""
        if self.kinds and kind not in self.kinds:
            return False
        if kind in ("group", "person") and self.dated:
            return False
        if self.person is not None and kind not in ("contact", "person"):
            return False
        if self.methods and kind != "contact":
            return False
        return not (self.group is not None and kind in ("contact", "person"))

    def describe(self) -> str:
        """The filters in words, for a heading: ``contacts with "sam", since Sun 1 Mar 2026``."""
        parts = []
        if self.kinds:
            labels = [_PLURALS[k] for k in KINDS if k in self.kinds]
            parts.append(" and ".join(labels))
        if self.methods:
            methods = [_METHOD_WORDS[m] for m in sorted(self.methods)]
            parts.append(" or ".join(methods))
        if self.group:
            parts.append(f"at {self.group!r}")
        if self.person:
            parts.append(f"with {self.person!r}")
        if self.since and self.until:
            parts.append(f"from {long_date(self.since)} to {long_date(self.until)}")
        elif self.since:
            parts.append(f"since {long_date(self.since)}")
        elif self.until:
            parts.append(f"until {long_date(self.until)}")
        return ", ".join(parts)


# --- the query --------------------------------------------------------------------------------


def parse_query(text: str, *, today: date) -> SearchQuery:
    """Read a search box: words and inline filters (see the module notes)."""
    return build_query(text, today=today)


def build_query(
    text: str,
    *,
    today: date,
    kinds: Iterable[str] = (),
    group: str | None = None,
    person: str | None = None,
    methods: Iterable[str] = (),
    since: str | None = None,
    until: str | None = None,
    during: str | None = None,
) -> SearchQuery:
    """Read ``text`` (words and inline filters) and the filters given separately (CLI options).

    A filter given both ways must agree with itself only in the sense that the option wins over
    the inline one. Raises :class:`InvalidField` naming ``query`` or the filter.
    """
    if not isinstance(text, str):
        raise InvalidField("query", "query: should be text.")
    if len(text) > _LONGEST_QUERY:
        raise InvalidField(
            "query",
            f"query: is {len(text)} characters long; please keep it under {_LONGEST_QUERY}.",
        )
    if _CONTROL.search(text):
        raise InvalidField("query", "query: contains a control character; please type it again.")
    tokens = _tokens(text)
    inline: dict[str, str] = {}
    words: list[_Token] = []
    for token in tokens:
        if not token.quoted and (m := _FILTER_TOKEN.fullmatch(token.text)):
            key = m["key"].lower()
            if key in _FILTERS:
                value = m["value"]
                if token.value is not None:
                    value = token.value
                if not value.strip():
                    raise InvalidField(
                        key, f"{key}: needs something after the colon, as in {_EXAMPLES[key]}."
                    )
                inline[key] = value
                continue
            if token.value is not None:  # note:"first time": a word, then the phrase
                key_word = token.text
                words.append(_Token(key_word, key_word))
                words.append(_Token(token.value, f'"{token.value}"', quoted=True))
                continue
        words.append(token)
    kind_set = parse_kinds(_names(inline.get("kind", ""), *kinds))
    group = _name_filter("group", group if group is not None else inline.get("group"))
    person = _name_filter("person", person if person is not None else inline.get("person"))
    method_set = parse_methods(_names(inline.get("method", ""), *methods))
    during = during if during is not None else inline.get("in")
    since = since if since is not None else inline.get("since")
    until = until if until is not None else inline.get("until")
    start = end = None
    if during is not None and during.strip():
        start = parse_when(during, today=today, field="in")
        end = parse_when(during, today=today, field="in", end=True)
    if since is not None and since.strip():
        start = parse_when(since, today=today, field="since")
    if until is not None and until.strip():
        end = parse_when(until, today=today, field="until", end=True)
    if start is not None and end is not None and start > end:
        raise InvalidField(
            "since",
            f"since: {long_date(start)} is after until ({long_date(end)}); please swap them "
            "or widen the range.",
        )
    match, looked_for = _expression(words)
    return SearchQuery(
        text=" ".join(t.source for t in words),
        match=match,
        words=looked_for,
        kinds=kind_set,
        group=group,
        person=person,
        methods=method_set,
        since=start,
        until=end,
    )


_EXAMPLES = {
    "method": "method:call",
    "kind": "kind:contact",
    "group": 'group:"Thursday SMART"',
    "person": "person:sam",
    "since": "since:march",
    "until": 'until:"last week"',
    "in": "in:2025",
}


def parse_kinds(values: Iterable[str]) -> frozenset[str]:
    """Kind names (``meeting``, ``contacts``, ``fit``...) as :data:`KINDS` codes."""
    found = set()
    for value in values:
        word = value.strip().lower()
        if not word:
            continue
        if word not in _KIND_WORDS:
            raise InvalidField(
                "kind",
                f"kind: {value.strip()!r} isn't a kind of entry. Try attendance (or meeting), "
                "contact, service, rating (or fit), group or person.",
            )
        found.add(_KIND_WORDS[word])
    return frozenset(found)


_PLURALS = {
    "attendance": "meetings",
    "contact": "contacts",
    "service": "service",
    "rating": "fit ratings",
    "group": "groups",
    "person": "people",
}
# How a contact was made (the store's codes, vocab.CONTACT_METHODS), and the words for them.
_METHODS = {
    "call": "call",
    "calls": "call",
    "phone": "call",
    "text": "text",
    "texts": "text",
    "in-person": "in-person",
    "inperson": "in-person",
    "person": "in-person",
    "video": "video",
}
_METHOD_WORDS = {"call": "calls", "text": "texts", "in-person": "in person", "video": "video"}


def parse_methods(values: Iterable[str]) -> frozenset[str]:
    """Contact methods (``call``, ``texts``, ``in-person``, ``video``) as the store's codes."""
    found = set()
    for value in values:
        word = value.strip().lower()
        if not word:
            continue
        if word not in _METHODS:
            raise InvalidField(
                "method",
                f"method: {value.strip()!r} isn't a way of keeping in touch. Try call, text, "
                "in-person or video.",
            )
        found.add(_METHODS[word])
    return frozenset(found)


def _names(*texts: str) -> list[str]:
    """The names in ``texts``, each of which may hold several, between commas or spaces."""
    return [part for text in texts for part in re.split(r"[,\s]+", text) if part]


def _name_filter(field_name: str, value: str | None) -> str | None:
    if value is None:
        return None
    name = " ".join(value.split())
    if not name:
        return None
    if len(name) > 80:
        raise InvalidField(
            field_name, f"{field_name}: is too long to be a name (over 80 characters)."
        )
    return name


# --- words ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Token:
    text: str  # the token with any quotes taken off a filter's value kept in ``value``
    source: str  # as typed
    quoted: bool = False  # a "phrase"
    value: str | None = None  # a filter's quoted value: kind:"..."
    minus: bool = False  # -"a phrase": leave it out
    prefix: bool = False  # "a phra"*: the phrase's last word is a prefix


def _tokens(text: str) -> list[_Token]:
    """Split on white space, keeping "quoted phrases" and key:"quoted values" whole."""
    tokens: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        start = i
        if text[i] in _QUOTES:
            phrase, i = _phrase(text, i)
            tokens.append(phrase)
            continue
        while i < n and not text[i].isspace() and text[i] not in _QUOTES:
            i += 1
        word = text[start:i]
        if i < n and text[i] in _QUOTES and word.endswith(":"):
            close = _closing_quote(text, i + 1)
            if close < 0:
                raise _open_quote()
            tokens.append(_Token(word, text[start : close + 1], value=text[i + 1 : close]))
            i = close + 1
            continue
        if i < n and text[i] in _QUOTES:
            # A quote right after a word starts a phrase too; after "-" or NOT it is left out.
            phrase, i = _phrase(text, i)
            if word == "-":
                tokens.append(replace(phrase, source="-" + phrase.source, minus=True))
            else:
                tokens.extend([_Token(word, word), phrase])
            continue
        tokens.append(_Token(word, word))
    return tokens


_QUOTES = '"“”'


def _phrase(text: str, i: int) -> tuple[_Token, int]:
    """The phrase whose opening quote is at ``i``, and where the text goes on after it."""
    close = _closing_quote(text, i + 1)
    if close < 0:
        raise _open_quote()
    end = close + 1
    prefix = end < len(text) and text[end] == "*"
    if prefix:
        end += 1
    return _Token(text[i + 1 : close], text[i:end], quoted=True, prefix=prefix), end


def _closing_quote(text: str, start: int) -> int:
    for j in range(start, len(text)):
        if text[j] in '"“”':
            return j
    return -1


def _open_quote() -> InvalidField:
    return InvalidField(
        "query",
        'query: a quote is open. Close it to search for a phrase, as in "first time", or take '
        "it out.",
    )


def _fts_string(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _expression(tokens: list[_Token]) -> tuple[str | None, tuple[str, ...]]:
    """The FTS5 expression for the words, and the words and phrases looked for."""
    groups: list[list[str]] = []  # ANDed groups of ORed terms
    left_out: list[str] = []
    looked_for: list[str] = []
    joining = False  # the last token was OR: the next term joins the last group
    negate = False  # the last token was NOT
    anding = False  # the last token was AND
    last_operator = ""
    for token in tokens:
        word = token.text
        if not token.quoted and word in ("AND", "OR", "NOT"):
            if word == "NOT":
                if negate:
                    raise _operator_error("NOT", "NOT NOT")
                negate = True
            elif word == "OR":
                if not groups or joining or negate:
                    raise _operator_error("OR", word)
                joining = True
            elif not groups or joining or negate or anding:  # AND
                raise _operator_error("AND", word)
            else:
                anding = True
            last_operator = word
            continue
        minus = token.minus
        if not token.quoted and word.startswith("-"):
            word = word[1:]
            minus = True
            if not word:
                raise InvalidField(
                    "query",
                    "query: a '-' needs a word right after it, as in -coffee (which leaves out "
                    "entries that mention coffee).",
                )
        prefix = token.prefix
        if not token.quoted and word.endswith("*"):
            word = word.rstrip("*")
            prefix = True
        if not _HAS_WORD.search(word):
            if negate or joining:
                raise InvalidField(
                    "query",
                    f"query: {token.source!r} has no letters or digits to look for after "
                    f"{last_operator}.",
                )
            continue  # "&", "--" or a lone "*": nothing to look for
        term = _fts_string(" ".join(word.split())) + ("*" if prefix else "")
        if minus or negate:
            if joining:
                raise _operator_error("OR", "OR NOT")
            left_out.append(term)
            negate = False
        elif joining:
            groups[-1].append(term)
            looked_for.append(word + ("*" if prefix else ""))
            joining = False
        else:
            groups.append([term])
            looked_for.append(word + ("*" if prefix else ""))
        last_operator = ""
        anding = False
        if len(groups) + len(left_out) > _MOST_WORDS:
            raise InvalidField(
                "query", f"query: has more than {_MOST_WORDS} words; please use fewer."
            )
    if joining or negate or anding:
        raise _operator_error(last_operator, last_operator)
    if not groups:
        if left_out:
            raise InvalidField(
                "query",
                "query: says only what to leave out. Add a word to look for too, as in "
                "meeting -online.",
            )
        return None, ()
    positive = " AND ".join(
        group[0] if len(group) == 1 else "(" + " OR ".join(group) + ")" for group in groups
    )
    expression = f"({positive})" + "".join(f" NOT {term}" for term in left_out)
    return expression, tuple(looked_for)


def _operator_error(operator: str, shown: str) -> InvalidField:
    if operator == "NOT":
        how = "NOT needs a word after it, as in meeting NOT online (or write -online)"
    else:
        how = (
            f"{operator} needs a word on each side, as in "
            f"{'call OR text' if operator == 'OR' else 'coffee AND chair'}"
        )
    return InvalidField(
        "query",
        f"query: {shown!r} is out of place: {how}. To search for the word itself, write it in "
        f'lower case or in quotes ("{operator.lower()}").',
    )


# --- dates ------------------------------------------------------------------------------------

_LAST_N = re.compile(
    r"(?:(?:the )?(?:last|past) )?(?P<n>\d{1,5}) ?(?P<unit>d|w|m|y|days?|weeks?|months?|years?)"
)
_MONTH_YEAR = re.compile(r"(?P<month>[a-z]+)(?: (?P<year>\d{4}))?")
_YEAR = re.compile(r"\d{4}")
_UNITS = {"d": "days", "w": "weeks", "m": "months", "y": "years"}


def parse_when(text: str, *, today: date, field: str, end: bool = False) -> date:
    """The first day (or with ``end``, the last day) of the period ``text`` names.

    Reads the plain words every date field reads (:func:`~tracker.domain.dates.parse_date`:
    ``yesterday``, ``3 weeks ago``, ``20 Nov``, ``2026-03-05``...) and, for ranges:

    * ``last 90 days``, ``past 2 weeks``, ``90 days``, ``90d``, ``6m``, ``1y``: the period
      ending today (``last 7 days`` is today and the six days before). As an end: today.
    * ``this week`` / ``this month`` / ``this year``: from its first day; as an end, today.
    * ``last week`` / ``last month`` / ``last year``: the whole previous one.
    * a month, ``march`` or ``march 2025``: without a year, the most recent March that has
      begun. An end is the month's last day (or today, for the current month).
    * a year, ``2025``.

    An end never goes past today. Raises :class:`InvalidField` naming ``field``.
    """
    shown = " ".join(str(text).split())
    low = shown.lower()
    if not low:
        raise InvalidField(
            field, f"{field}: is empty; try 'march', 'last 90 days' or '2026-03-01'."
        )
    if len(low) > 60 or _CONTROL.search(low):
        return parse_date(shown, today=today, field=field)  # its own clear message
    first_last = _period(low, today=today, field=field)
    if first_last is None:
        day = parse_date(shown, today=today, field=field, allow_future=True)
        return day
    first, last = first_last
    if first < EARLIEST:
        raise InvalidField(field, f"{field}: {shown!r} reaches back before 1900.")
    return min(last, today) if end else first


def _period(low: str, *, today: date, field: str) -> tuple[date, date] | None:
    if m := _LAST_N.fullmatch(low):
        n = int(m["n"])
        unit = _UNITS.get(m["unit"], m["unit"].rstrip("s") + "s")
        if n < 1:
            raise InvalidField(field, f"{field}: {low!r} should count at least one {unit[:-1]}.")
        try:
            if unit == "days":
                first = today - timedelta(days=n - 1)
            else:
                back = relativedelta(
                    years=n if unit == "years" else 0,
                    months=n if unit == "months" else 0,
                    weeks=n if unit == "weeks" else 0,
                )
                first = today - back + timedelta(days=1)
        except (OverflowError, ValueError):
            raise InvalidField(field, f"{field}: {low!r} reaches back before 1900.") from None
        return first, today
    if low in ("this week", "week"):
        return today - timedelta(days=today.weekday()), today
    if low in ("this month", "month"):
        return today.replace(day=1), today
    if low in ("this year", "year"):
        return date(today.year, 1, 1), today
    if low == "last week":
        monday = today - timedelta(days=today.weekday() + 7)
        return monday, monday + timedelta(days=6)
    if low == "last month":
        first = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
        return first, _month_end(first)
    if low == "last year":
        return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
    if _YEAR.fullmatch(low):
        year = int(low)
        if year < EARLIEST.year or year > 9999:
            raise InvalidField(field, f"{field}: {low} is not a year we can search.")
        return date(year, 1, 1), date(year, 12, 31)
    if m := _MONTH_YEAR.fullmatch(low):
        month = MONTH_WORDS.get(m["month"])
        if month is None:
            return None
        if m["year"]:
            year = int(m["year"])
            if year < EARLIEST.year:
                raise InvalidField(field, f"{field}: {low!r} is before 1900.")
        else:
            year = today.year if month <= today.month else today.year - 1
        first = date(year, month, 1)
        return first, _month_end(first)
    return None


def _month_end(first: date) -> date:
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


# --- highlighted text ---------------------------------------------------------------------------


def marked_segments(text: str) -> list[tuple[str, bool]]:
    """Text from the store as ``(piece, matched)`` pairs, markers taken out.

    Unbalanced markers can't come from the store, but if they did the text would still all be
    there: an unmatched end is dropped and an open match runs to the end.
    """
    segments: list[tuple[str, bool]] = []
    matched = False
    piece: list[str] = []
    for char in text:
        if char in (MARK_START, MARK_END):
            if piece:
                segments.append(("".join(piece), matched))
                piece = []
            matched = char == MARK_START
            continue
        piece.append(char)
    if piece:
        segments.append(("".join(piece), matched))
    return segments


def strip_marks(text: str) -> str:
    """Text from the store without its markers."""
    return text.replace(MARK_START, "").replace(MARK_END, "")


def match_spans(text: str) -> list[tuple[int, int]]:
    """Where the matches are in :func:`strip_marks` text: ``[start, end)`` offsets."""
    spans: list[tuple[int, int]] = []
    offset = 0
    for piece, matched in marked_segments(text):
        if matched:
            spans.append((offset, offset + len(piece)))
        offset += len(piece)
    return spans


# --- what a search finds ----------------------------------------------------------------------


@dataclass(frozen=True)
class Found:
    """One entry a search or the timeline found.

    ``about`` is the group's name (meetings, ratings, groups), the person's alias (contacts,
    people) or the kind of service; ``detail`` a few words more ("missed", "Call", "45 min").
    ``about``, ``note`` and ``snippet`` may hold match markers (see :func:`marked_segments`);
    ``snippet`` is the part of the note around the matches, or its start.
    """

    kind: str  # one of KINDS, or "milestone" (timeline only)
    id: int
    day: date | None
    about: str
    detail: str = ""
    note: str = ""
    snippet: str = ""
    rank: float = 0.0

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]

    def to_json(self) -> dict[str, object]:
        """Plain data for ``--json``: text without markers, and where the matches are."""
        return {
            "kind": self.kind,
            "id": self.id,
            "date": self.day.isoformat() if self.day else None,
            "about": strip_marks(self.about),
            "detail": self.detail,
            "note": strip_marks(self.note),
            "snippet": strip_marks(self.snippet),
            "matches": {
                "about": [list(span) for span in match_spans(self.about)],
                "note": [list(span) for span in match_spans(self.note)],
                "snippet": [list(span) for span in match_spans(self.snippet)],
            },
            "rank": round(self.rank, 4),
        }


@dataclass(frozen=True)
class Results:
    """A page of results, best first, and how many entries matched in all."""

    found: tuple[Found, ...]
    total: int
