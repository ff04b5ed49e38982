"""Full-text search and the timeline: the SQL behind ``tracker search`` and the Search and
Timeline screens.

Each journal area has an FTS5 index (migration m004, kept in step by triggers). A search asks
each index the areas the query allows, ranks everything found together by bm25, and then reads
the page it shows with FTS5's ``highlight()`` and ``snippet()`` putting
:data:`~tracker.domain.search.MARK_START` / ``MARK_END`` around the matches: only for that page,
so a common word in ten years of notes stays quick.

The timeline lists the dated entries (meetings, contacts, service, ratings) newest first, a page
at a time: each page starts after the last entry shown (a keyset cursor), so scrolling deep into
ten years costs the same as the first page.

The MATCH expression always comes from :func:`tracker.domain.search.parse_query`, which quotes
every word; anything SQLite still refuses is reported as a query the person can fix, never as a
crash.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from tracker.domain import vocab
from tracker.domain.matching import match_by_name
from tracker.domain.review import long_date
from tracker.domain.search import MARK_END, MARK_START, Found, Results, SearchQuery
from tracker.errors import InvalidField, TrackerError
from tracker.store import driver

if TYPE_CHECKING:
    from tracker.store.journal import Store

# How much of a note a result shows around the matches, in words.
SNIPPET_WORDS = 14
_FIT_MEAN = "(r.welcome + r.relevance + r.format_comfort + r.practical + r.would_return) / 5.0"


@dataclass(frozen=True)
class _Area:
    """How one kind of entry is read. ``x1``..``x3`` feed its ``detail``."""

    kind: str
    order: int  # ties on the same day are listed in this order (newest first)
    fts: str
    source: str  # FROM ... JOIN ..., with the entry's table as ``t``
    day: str
    about: str
    x1: str
    x2: str
    x3: str
    note: str
    note_column: int  # the note's column in the FTS table
    group_id: str | None = None
    person_id: str | None = None
    weights: str = ""  # bm25 column weights


_AREAS: dict[str, _Area] = {
    a.kind: a
    for a in (
        _Area(
            "attendance",
            0,
            "attendance_fts",
            "attendance t JOIN groups g ON g.id = t.group_id",
            "t.date",
            "g.name",
            "t.attended",
            "t.shared",
            "t.time",
            "t.note",
            0,
            group_id="t.group_id",
        ),
        _Area(
            "contact",
            1,
            "contacts_fts",
            "contacts t JOIN people p ON p.id = t.person_id",
            "t.date",
            "p.alias",
            "t.method",
            "p.role",
            "NULL",
            "t.note",
            0,
            person_id="t.person_id",
        ),
        _Area(
            "service",
            2,
            "service_fts",
            "service t LEFT JOIN groups g ON g.id = t.group_id",
            "t.date",
            "t.kind",
            "t.minutes",
            "g.name",
            "NULL",
            "t.note",
            0,
            group_id="t.group_id",
        ),
        _Area(
            "rating",
            3,
            "fit_ratings_fts",
            "fit_ratings t JOIN groups g ON g.id = t.group_id",
            "t.date",
            "g.name",
            _FIT_MEAN.replace("r.", "t."),
            "NULL",
            "NULL",
            "t.note",
            0,
            group_id="t.group_id",
        ),
        _Area(
            "group",
            4,
            "groups_fts",
            "groups t",
            "NULL",
            "t.name",
            "t.status",
            "(SELECT min(date) FROM attendance WHERE group_id = t.id AND attended = 1)",
            "(SELECT count(*) FROM attendance WHERE group_id = t.id AND attended = 1)",
            "t.notes",
            1,
            group_id="t.id",
            weights=", 4.0, 1.0",
        ),
        _Area(
            "person",
            5,
            "people_fts",
            "people t",
            "NULL",
            "t.alias",
            "t.role",
            "(SELECT max(date) FROM contacts WHERE person_id = t.id)",
            "(SELECT count(*) FROM contacts WHERE person_id = t.id)",
            "t.notes",
            1,
            person_id="t.id",
            weights=", 4.0, 1.0",
        ),
    )
}
DATED_KINDS = ("attendance", "contact", "service", "rating")


@dataclass(frozen=True)
class Cursor:
    """Where a timeline page ended: the next page starts after this entry."""

    day: str
    order: int
    id: int


def cursor_after(entry: Found) -> Cursor:
    """The cursor for the page after ``entry`` (a dated entry from :func:`timeline`)."""
    if entry.day is None or entry.kind not in _AREAS:
        raise ValueError("only dated journal entries can continue the timeline")
    return Cursor(entry.day.isoformat(), _AREAS[entry.kind].order, entry.id)


# --- filters ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Named:
    id: int
    name: str


def _ids(store: Store, query: SearchQuery) -> tuple[list[int] | None, list[int] | None]:
    """The groups and people the query's filters name (None: no filter)."""
    groups = people = None
    if query.group is not None:
        rows = store._rows("SELECT id, name FROM groups")
        groups = _matching("group", query.group, [_Named(r["id"], r["name"]) for r in rows])
    if query.person is not None:
        rows = store._rows("SELECT id, alias, role FROM people")
        role = _role(query.person)
        named = [_Named(r["id"], r["alias"]) for r in rows]
        if role is not None and not match_by_name(query.person, named).candidates:
            people = [r["id"] for r in rows if r["role"] == role]  # person:sponsor
        else:
            people = _matching("person", query.person, named)
    return groups, people


def _role(text: str) -> str | None:
    """The role ``text`` names (``sponsor``, ``mentors``, ``coach``), if it names one."""
    word = text.strip().lower().removesuffix("s")
    for code, label in vocab.ROLES.items():
        if word in (code, label.lower()) or (word == "coach" and code == "peer-coach"):
            return code
    return None


def _matching(field: str, text: str, items: Sequence[_Named]) -> list[int]:
    """Every group (or person) ``text`` could mean: the whole name, its start, a word's start."""
    found = match_by_name(text, items)
    if found.found is not None:
        return [found.found.id]
    if found.candidates:
        return [item.id for item in found.candidates]
    what = "group" if field == "group" else "person"
    raise InvalidField(
        field,
        f"{field}: there is no {what} called {text!r} in your journal. "
        + ("Check the name on the Groups screen." if field == "group" else "Check People."),
    )


def _where(
    area: _Area,
    query: SearchQuery,
    groups: list[int] | None,
    people: list[int] | None,
) -> tuple[list[str], list[Any]] | None:
    """The WHERE clauses for ``area``, or None when the query rules the area out."""
    if not query.wants(area.kind):
        return None
    clauses: list[str] = []
    params: list[Any] = []
    if query.since is not None:
        clauses.append(f"{area.day} >= ?")
        params.append(query.since.isoformat())
    if query.until is not None:
        clauses.append(f"{area.day} <= ?")
        params.append(query.until.isoformat())
    if groups is not None:
        if area.group_id is None:
            return None
        clauses.append(f"{area.group_id} IN ({', '.join('?' * len(groups))})")
        params.extend(groups)
    if people is not None:
        if area.person_id is None:
            return None
        clauses.append(f"{area.person_id} IN ({', '.join('?' * len(people))})")
        params.extend(people)
    if query.methods:
        if area.kind != "contact":
            return None
        clauses.append(f"t.method IN ({', '.join('?' * len(query.methods))})")
        params.extend(sorted(query.methods))
    return clauses, params


# --- search -------------------------------------------------------------------------------------


def search(store: Store, query: SearchQuery, *, limit: int = 50, offset: int = 0) -> Results:
    """The entries ``query`` finds, best match first (newest first with no words).

    One read snapshot: a write from another window between the counting, ranking and marking
    can't make the page and its total disagree."""
    if query.is_empty:
        return Results((), 0)
    with store.snapshot():
        return _search(store, query, limit=limit, offset=offset)


def _search(store: Store, query: SearchQuery, *, limit: int, offset: int) -> Results:
    if query.match is None:
        return _filtered(store, query, limit=limit, offset=offset)
    groups, people = _ids(store, query)
    parts: list[str] = []
    params: list[Any] = []
    for area in _AREAS.values():
        where = _where(area, query, groups, people)
        if where is None:
            continue
        clauses, values = where
        parts.append(
            f"SELECT '{area.kind}' AS kind, t.id AS id, bm25({area.fts}{area.weights}) AS rank, "
            f"{area.day} AS day FROM {area.source} JOIN {area.fts} ON {area.fts}.rowid = t.id "
            f"WHERE {area.fts} MATCH ?" + "".join(f" AND {c}" for c in clauses)
        )
        params.extend([query.match, *values])
    if not parts:
        return Results((), 0)
    union = " UNION ALL ".join(parts)
    with _friendly():
        # One pass: the window counts every match before LIMIT keeps the page.
        ranked = store._rows(
            f"SELECT kind, id, rank, count(*) OVER () AS total FROM ({union}) "
            "ORDER BY rank, day IS NULL, day DESC, kind, id DESC LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        total = ranked[0]["total"] if ranked else 0
        if not ranked and offset:
            total = store._scalar(f"SELECT count(*) FROM ({union})", params)
        by_kind: dict[str, list[int]] = {}
        for row in ranked:
            by_kind.setdefault(row["kind"], []).append(row["id"])
        details = {
            (kind, found.id): found
            for kind, ids in by_kind.items()
            for found in _marked(store, _AREAS[kind], query.match, ids)
        }
    hits = []
    for row in ranked:
        found = details.get((row["kind"], row["id"]))
        if found is not None:
            hits.append(_with_rank(found, row["rank"]))
    return Results(tuple(hits), int(total))


def _with_rank(found: Found, rank: float) -> Found:
    return Found(
        found.kind, found.id, found.day, found.about, found.detail, found.note, found.snippet, rank
    )


def _marked(store: Store, area: _Area, match: str, ids: list[int]) -> list[Found]:
    """The entries ``ids`` of ``area``, with the matches marked."""
    about = area.about
    if area.kind in ("group", "person"):
        about = f"highlight({area.fts}, 0, '{MARK_START}', '{MARK_END}')"
    rows = store._rows(
        f"SELECT t.id AS id, {area.day} AS day, {about} AS about, {area.x1} AS x1, "
        f"{area.x2} AS x2, {area.x3} AS x3, "
        f"highlight({area.fts}, {area.note_column}, '{MARK_START}', '{MARK_END}') AS note, "
        f"snippet({area.fts}, {area.note_column}, '{MARK_START}', '{MARK_END}', '…', "
        f"{SNIPPET_WORDS}) AS snippet "
        f"FROM {area.source} JOIN {area.fts} ON {area.fts}.rowid = t.id "
        f"WHERE {area.fts} MATCH ? AND {area.fts}.rowid IN ({', '.join('?' * len(ids))})",
        [match, *ids],
    )
    return [_found(area, row) for row in rows]


def _found(area: _Area, row: dict[str, Any]) -> Found:
    note = row["note"] or ""
    snippet = row.get("snippet")
    if snippet is None:
        snippet = _opening(note)
    return Found(
        kind=area.kind,
        id=row["id"],
        day=date.fromisoformat(row["day"]) if row["day"] else None,
        about=_about(area.kind, row["about"]),
        detail=_detail(area.kind, row["x1"], row["x2"], row["x3"]),
        note=note,
        snippet=snippet or "",
    )


def _opening(note: str) -> str:
    words = note.split()
    if len(words) <= SNIPPET_WORDS:
        return " ".join(words)
    return " ".join(words[:SNIPPET_WORDS]) + "…"


def _about(kind: str, about: str | None) -> str:
    if kind == "service":
        return vocab.label(vocab.SERVICE_KINDS, about or "other")
    return about or ""


def _detail(kind: str, x1: Any, x2: Any, x3: Any) -> str:
    """A few words more about an entry, from the area's ``x1``..``x3`` columns."""
    if kind == "attendance":
        words = ["went" if x1 else "missed"]
        if x2:
            words.append("shared")
        if x3:
            words.append(str(x3))
        return ", ".join(words)
    if kind == "contact":
        return f"{vocab.label(vocab.CONTACT_METHODS, x1)} · {vocab.label(vocab.ROLES, x2)}"
    if kind == "service":
        parts = []
        if x1:
            parts.append(f"{x1} min")
        if x2:
            parts.append(f"at {x2}")
        return ", ".join(parts)
    if kind == "rating":
        return f"fit {float(x1):.1f} of 5"
    if kind == "group":
        status = vocab.label(vocab.STATUSES, x1)
        if not x3:
            return f"{status} · not attended yet"
        meetings = "1 meeting" if x3 == 1 else f"{x3} meetings"
        return f"{status} · first went {_short(x2)} · {meetings}"
    if kind == "person":
        role = vocab.label(vocab.ROLES, x1)
        if not x3:
            return f"{role} · no contacts yet"
        contacts = "1 contact" if x3 == 1 else f"{x3} contacts"
        return f"{role} · last contact {_short(x2)} · {contacts}"
    return ""


def _short(iso: str | None) -> str:
    return long_date(date.fromisoformat(iso)) if iso else ""


# --- the timeline, and searches with filters but no words ----------------------------------------


def timeline(
    store: Store, query: SearchQuery, *, after: Cursor | None = None, limit: int = 100
) -> list[Found]:
    """Dated entries the query allows, newest first, starting after ``after``."""
    groups, people = _ids(store, query)
    union, params = _dated_union(query, groups, people, after)
    if not union:
        return []
    with store.snapshot(), _friendly():
        rows = store._rows(
            f"SELECT * FROM ({union}) ORDER BY day DESC, ord DESC, id DESC LIMIT ?",
            [*params, limit],
        )
        page = [_found(_AREAS[row["kind"]], row) for row in rows]
        if query.match is None:
            return page
        # Filtered by words: the page's notes with the matched words marked, as in search.
        by_kind: dict[str, list[int]] = {}
        for found in page:
            by_kind.setdefault(found.kind, []).append(found.id)
        marked = {
            (kind, found.id): found
            for kind, ids in by_kind.items()
            for found in _marked(store, _AREAS[kind], query.match, ids)
        }
    return [marked.get((found.kind, found.id), found) for found in page]


def _dated_union(
    query: SearchQuery,
    groups: list[int] | None,
    people: list[int] | None,
    after: Cursor | None,
) -> tuple[str, list[Any]]:
    parts: list[str] = []
    params: list[Any] = []
    for kind in DATED_KINDS:
        area = _AREAS[kind]
        where = _where(area, query, groups, people)
        if where is None:
            continue
        clauses, values = where
        if query.match is not None:
            clauses.append(f"t.id IN (SELECT rowid FROM {area.fts} WHERE {area.fts} MATCH ?)")
            values.append(query.match)
        if after is not None:
            clauses.append(f"({area.day}, {area.order}, t.id) < (?, ?, ?)")
            values.extend([after.day, after.order, after.id])
        parts.append(
            f"SELECT '{kind}' AS kind, t.id AS id, {area.day} AS day, {area.order} AS ord, "
            f"{area.about} AS about, {area.x1} AS x1, {area.x2} AS x2, {area.x3} AS x3, "
            f"{area.note} AS note FROM {area.source}"
            + (" WHERE " + " AND ".join(clauses) if clauses else "")
        )
        params.extend(values)
    return " UNION ALL ".join(parts), params


def _filtered(store: Store, query: SearchQuery, *, limit: int, offset: int) -> Results:
    """A search with filters and no words: groups and people named first, then newest first."""
    groups, people = _ids(store, query)
    undated: list[Found] = []
    for kind in ("group", "person"):
        area = _AREAS[kind]
        where = _where(area, query, groups, people)
        if where is None or (query.group is None and query.person is None and not query.kinds):
            continue
        clauses, values = where
        rows = store._rows(
            f"SELECT t.id AS id, NULL AS day, {area.about} AS about, {area.x1} AS x1, "
            f"{area.x2} AS x2, {area.x3} AS x3, {area.note} AS note FROM {area.source}"
            + (" WHERE " + " AND ".join(clauses) if clauses else "")
            + f" ORDER BY {area.about}",
            values,
        )
        undated.extend(_found(area, row) for row in rows)
    union, params = _dated_union(query, groups, people, None)
    dated_total = store._scalar(f"SELECT count(*) FROM ({union})", params) if union else 0
    page = undated[offset : offset + limit]
    rest = limit - len(page)
    if union and rest > 0:
        skip = max(0, offset - len(undated))
        rows = store._rows(
            f"SELECT * FROM ({union}) ORDER BY day DESC, ord DESC, id DESC LIMIT ? OFFSET ?",
            [*params, rest, skip],
        )
        page.extend(_found(_AREAS[row["kind"]], row) for row in rows)
    return Results(tuple(page), len(undated) + int(dated_total))


class _friendly:
    """Turn SQLite's refusal of a MATCH expression into a message about the query."""

    def __enter__(self) -> None:
        return None

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, _tb: Any
    ) -> Literal[False]:
        cause = error.__cause__ if isinstance(error, TrackerError) else error
        if isinstance(cause, driver.OperationalError) and "fts5" in str(cause).lower():
            raise InvalidField(
                "query",
                'query: couldn\'t read that search. Try plain words, "a phrase" in quotes, '
                "or word* for words that start with it.",
            ) from None
        return False
