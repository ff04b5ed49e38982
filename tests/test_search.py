"""Reading a search: words, phrases, prefixes, operators, inline filters and date ranges
(tracker/domain/search.py). Pure: no journal needed, except where a property checks that every
expression we build is one SQLite's FTS5 accepts."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.domain.search import (
    MARK_END,
    MARK_START,
    Found,
    build_query,
    marked_segments,
    match_spans,
    parse_query,
    parse_when,
    strip_marks,
)
from tracker.errors import InvalidField

TODAY = date(2026, 11, 27)  # a Friday


def q(text: str, **kw: object) -> str | None:
    return build_query(text, today=TODAY, **kw).match  # type: ignore[arg-type]


# --- words --------------------------------------------------------------------------------------


def test_words_must_all_be_there() -> None:
    query = parse_query("coffee  chair", today=TODAY)
    assert query.match == '("coffee" AND "chair")'
    assert query.words == ("coffee", "chair")
    assert query.text == "coffee chair"


def test_a_prefix_a_phrase_and_or() -> None:
    assert q("shar*") == '("shar"*)'
    assert q('"first time" sponsor') == '("first time" AND "sponsor")'
    assert q("call OR text walk") == '(("call" OR "text") AND "walk")'
    assert q("“curly quotes”") == '("curly quotes")'


def test_leaving_words_out() -> None:
    assert q("meeting -online") == '("meeting") NOT "online"'
    assert q("meeting NOT online") == '("meeting") NOT "online"'


def test_lower_case_operators_are_just_words() -> None:
    assert q("coffee and chair") == '("coffee" AND "and" AND "chair")'
    assert q('"OR"') == '("OR")'


def test_fts_syntax_typed_by_a_person_is_only_characters() -> None:
    # Each would be FTS5 syntax if passed through: a column filter, a group, NEAR, an anchor.
    assert q("note:secret") == '("note:secret")'
    assert q("(chair") == '("(chair")'
    assert q("NEAR(a b)") == '("NEAR(a" AND "b)")'
    assert q("^start") == '("^start")'
    assert q('say "he said ""hi"""') is not None


def test_words_without_letters_are_ignored() -> None:
    assert q("& coffee --") == '("coffee")'
    assert q("*") is None
    assert parse_query("  ", today=TODAY).is_empty


@pytest.mark.parametrize(
    ("typed", "hint"),
    [
        ('"first time', "quote is open"),
        ("coffee -", "'-' needs a word"),
        ("-", "'-' needs a word"),
        ("coffee AND", "AND needs a word on each side"),
        ("AND coffee", "AND needs a word on each side"),
        ("OR", "OR needs a word on each side"),
        ("coffee OR", "OR needs a word on each side"),
        ("coffee NOT", "NOT needs a word after it"),
        ("coffee NOT NOT tea", "NOT NOT"),
        ("-online", "only what to leave out"),
        ("coffee OR -tea", "OR NOT"),
        ("kind:", "needs something after the colon"),
        ("kind:banana", "isn't a kind of entry"),
    ],
)
def test_mistakes_get_a_message_that_says_how_to_fix_them(typed: str, hint: str) -> None:
    with pytest.raises(InvalidField) as caught:
        parse_query(typed, today=TODAY)
    assert hint in caught.value.message
    assert caught.value.field in ("query", "kind")
    assert caught.value.message.startswith(caught.value.field + ":")


def test_control_characters_and_huge_queries_are_refused_kindly() -> None:
    with pytest.raises(InvalidField, match="control character"):
        parse_query("coffee\x1b[31m", today=TODAY)
    with pytest.raises(InvalidField, match="under 500"):
        parse_query("word " * 200, today=TODAY)
    with pytest.raises(InvalidField, match="more than 32 words"):
        parse_query(" ".join(f"w{i}" for i in range(40)), today=TODAY)


# --- filters ------------------------------------------------------------------------------------


def test_inline_filters_are_taken_out_of_the_words() -> None:
    query = parse_query(
        'sponsor kind:contact,service group:"Thursday  SMART" person:sam since:march until:"last '
        'week"',
        today=TODAY,
    )
    assert query.match == '("sponsor")'
    assert query.kinds == {"contact", "service"}
    assert query.group == "Thursday SMART"
    assert query.person == "sam"
    assert query.since == date(2026, 3, 1)
    assert query.until == date(2026, 11, 22)  # Sunday of last week
    assert query.text == "sponsor"


def test_everyday_kind_names() -> None:
    query = parse_query("kind:meetings kind:fit", today=TODAY)
    assert query.kinds == {"rating"}  # the last one typed wins, like any repeated filter
    assert build_query("", today=TODAY, kinds=["Meeting", "people"]).kinds == {
        "attendance",
        "person",
    }


def test_options_win_over_inline_filters() -> None:
    query = build_query("group:na since:2025", today=TODAY, group="SMART", since="march")
    assert query.group == "SMART"
    assert query.since == date(2026, 3, 1)


def test_in_is_the_whole_period() -> None:
    query = parse_query("in:march", today=TODAY)
    assert (query.since, query.until) == (date(2026, 3, 1), date(2026, 3, 31))
    query = build_query("", today=TODAY, during="2025")
    assert (query.since, query.until) == (date(2025, 1, 1), date(2025, 12, 31))


def test_a_start_after_the_end_is_refused() -> None:
    with pytest.raises(InvalidField) as caught:
        parse_query("since:november until:march", today=TODAY)
    assert caught.value.field == "since"
    assert "after until" in caught.value.message


def test_what_a_query_allows() -> None:
    plain = parse_query("coffee", today=TODAY)
    assert all(plain.wants(k) for k in ("attendance", "contact", "group", "person"))
    dated = parse_query("coffee since:march", today=TODAY)
    assert dated.wants("attendance") and not dated.wants("group") and not dated.wants("person")
    person = parse_query("person:sam", today=TODAY)
    assert person.wants("contact") and person.wants("person") and not person.wants("attendance")
    group = parse_query("group:smart", today=TODAY)
    assert group.wants("attendance") and group.wants("rating") and not group.wants("contact")
    assert "contacts" in parse_query("kind:contact since:march", today=TODAY).describe()


# --- dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("march", date(2026, 3, 1), date(2026, 3, 31)),
        ("Dec", date(2025, 12, 1), date(2025, 12, 31)),  # the most recent December that began
        ("november", date(2026, 11, 1), TODAY),  # this month: ends today
        ("march 2024", date(2024, 3, 1), date(2024, 3, 31)),
        ("2025", date(2025, 1, 1), date(2025, 12, 31)),
        ("last 90 days", TODAY - timedelta(days=89), TODAY),
        ("past 7 days", TODAY - timedelta(days=6), TODAY),
        ("90d", TODAY - timedelta(days=89), TODAY),
        ("last 2 weeks", TODAY - timedelta(days=13), TODAY),
        ("6m", date(2026, 5, 28), TODAY),
        ("this week", date(2026, 11, 23), TODAY),
        ("this month", date(2026, 11, 1), TODAY),
        ("this year", date(2026, 1, 1), TODAY),
        ("last week", date(2026, 11, 16), date(2026, 11, 22)),
        ("last month", date(2026, 10, 1), date(2026, 10, 31)),
        ("last year", date(2025, 1, 1), date(2025, 12, 31)),
        ("yesterday", date(2026, 11, 26), date(2026, 11, 26)),
        ("3 weeks ago", date(2026, 11, 6), date(2026, 11, 6)),
        ("2026-03-05", date(2026, 3, 5), date(2026, 3, 5)),
        ("5 March", date(2026, 3, 5), date(2026, 3, 5)),
    ],
)
def test_periods_in_plain_words(text: str, start: date, end: date) -> None:
    assert parse_when(text, today=TODAY, field="since") == start
    assert parse_when(text, today=TODAY, field="until", end=True) == end


@pytest.mark.parametrize("text", ["banana", "", "0 days", "last 99999 years", "1850", "13/13/2026"])
def test_unreadable_periods_name_the_field(text: str) -> None:
    with pytest.raises(InvalidField) as caught:
        parse_when(text, today=TODAY, field="since")
    assert caught.value.field == "since"
    assert caught.value.message.startswith("since:")


@given(
    st.sampled_from(
        ["march", "last 90 days", "this year", "last week", "last month", "12m", "1y", "dec"]
    ),
    st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)),
)
def test_a_period_never_ends_before_it_starts_or_after_today(text: str, today: date) -> None:
    start = parse_when(text, today=today, field="since")
    end = parse_when(text, today=today, field="until", end=True)
    assert start <= end <= today


# --- properties ---------------------------------------------------------------------------------

_FTS = sqlite3.connect(":memory:")
_FTS.execute("CREATE VIRTUAL TABLE t USING fts5(note, tokenize='porter unicode61')")
_FTS.execute("INSERT INTO t(note) VALUES ('first time sharing at the meeting, coffee after')")

_typed = st.lists(
    st.sampled_from(
        [*'abc "-*():^+ \t“”', " OR ", " AND ", " NOT ", "NEAR", "kind:", "group:x", "-"]
    ),
    max_size=16,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(st.one_of(_typed, st.text(max_size=60)))
def test_any_typed_text_is_a_valid_search_or_a_friendly_message(typed: str) -> None:
    try:
        query = parse_query(typed, today=TODAY)
    except InvalidField as error:
        assert error.message.startswith(f"{error.field}:")
        return
    if query.match is not None:
        _FTS.execute("SELECT count(*) FROM t WHERE t MATCH ?", [query.match]).fetchone()


_marked = st.lists(
    st.tuples(st.text(alphabet=st.characters(blacklist_categories=["Cc", "Cs"])), st.booleans())
)


@given(_marked)
def test_marks_come_off_and_the_text_is_all_there(pieces: list[tuple[str, bool]]) -> None:
    text = "".join(f"{MARK_START}{p}{MARK_END}" if m else p for p, m in pieces)
    plain = "".join(p for p, _m in pieces)
    assert strip_marks(text) == plain
    assert "".join(p for p, _m in marked_segments(text)) == plain
    spans = match_spans(text)
    assert [plain[a:b] for a, b in spans] == [p for p, m in pieces if m and p]


def test_unbalanced_marks_lose_no_text() -> None:
    assert marked_segments(f"a{MARK_END}b{MARK_START}c") == [
        ("a", False),
        ("b", False),
        ("c", True),
    ]


def test_json_of_a_result_has_plain_text_and_where_the_matches_are() -> None:
    found = Found(
        "attendance",
        3,
        date(2026, 3, 5),
        "NA [bold]Downtown[/]",
        "went",
        f"my {MARK_START}first{MARK_END} time",
        f"…my {MARK_START}first{MARK_END}",
        -1.23456,
    )
    data = found.to_json()
    assert data["note"] == "my first time"
    assert data["about"] == "NA [bold]Downtown[/]"
    assert data["matches"] == {"about": [], "note": [[3, 8]], "snippet": [[4, 9]]}
    assert data["date"] == "2026-03-05" and data["rank"] == -1.2346


def test_what_was_typed_is_kept() -> None:
    # A word with a colon before a quoted phrase is the word and the phrase.
    assert q('note:"first time"') == '("note:" AND "first time")'
    # An underscore has no letters to look for.
    assert q("coffee _") == '("coffee")'
    # A phrase can be left out, and its last word can be a prefix.
    assert q('meeting -"first time"') == '("meeting") NOT "first time"'
    assert q('"first ti"*') == '("first ti"*)'
    assert parse_query("shar* walk", today=TODAY).words == ("shar*", "walk")


def test_methods_and_plain_descriptions() -> None:
    query = parse_query("method:calls,video kind:service,rating", today=TODAY)
    assert query.methods == {"call", "video"}
    assert not query.wants("attendance") and not query.wants("service")
    assert query.describe() == "service and fit ratings, calls or video"
    assert build_query("", today=TODAY, methods=["in-person"]).wants("contact")
    with pytest.raises(InvalidField) as caught:
        parse_query("method:fax", today=TODAY)
    assert caught.value.field == "method" and "call, text, in-person or video" in (
        caught.value.message
    )
