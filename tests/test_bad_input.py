"""Bad input: each kind is refused with a clear message and changes nothing, or is stored and
shown exactly as typed (issue 4, "Bad input").

Dates (ambiguous, huge, NUL bytes, the future, independence from today), JSON imports (NaN,
duplicate keys, lone surrogates, deep nesting, huge integers, a byte-order mark, truncation;
all or nothing), and text (a 50 MB note; emoji, right-to-left and combining text round-trip;
markup and terminal control sequences are shown inertly on every main screen).
The real app in a pseudo-terminal is tested in tests/test_pty.py.
"""

from __future__ import annotations

import json
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from dateutil.parser import parse as dateutil_parse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pilot import LARGE, TODAY, press, settle, text_of
from rich.text import Text
from textual.widgets import DataTable, Static

from tracker.cli import cli
from tracker.clock import Clock
from tracker.domain.catalogue import load_catalogue
from tracker.domain.dates import MONTH_ABBRS, MONTH_NAMES, parse_date
from tracker.domain.models import (
    NOTE_MAX,
    AttendanceFields,
    ContactFields,
    ExcusedWeekFields,
    FitFields,
    GroupFields,
    PersonFields,
    ServiceFields,
)
from tracker.errors import AmbiguousDate, InvalidField
from tracker.screens.textlines import TextLines
from tracker.store import Store
from tracker.store.transfer import (
    ImportRefused,
    check_export,
    export_journal,
    export_json_text,
    import_journal,
    read_export_file,
)

# --- helpers ------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the real data folder; fix today for the CLI; no debug tracebacks."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("TRACKER_TODAY", TODAY.isoformat())
    monkeypatch.delenv("TRACKER_DB", raising=False)
    monkeypatch.delenv("TRACKER_DEBUG", raising=False)
    monkeypatch.delenv("TRACKER_PASSPHRASE", raising=False)


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def refused(result: Result, *needles: str) -> str:
    """Exit code 2 and one plain line on stderr holding every needle; no traceback."""
    assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("tracker: ")
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in result.stderr, (needle, result.stderr)
    return result.stderr


def open_store(path: Path | str) -> Store:
    return Store.open(path, clock=Clock.fixed(TODAY))


def fill(store: Store) -> None:
    """A little of everything, in every table an export holds."""
    na = store.add_group(GroupFields(name="NA Downtown", notes="Friendly crowd")).id
    smart = store.add_group(GroupFields(name="SMART Online", format="online")).id
    store.log_attendance(
        AttendanceFields(group_id=na, date=TODAY - timedelta(days=2), note="Good night")
    )
    store.log_attendance(
        AttendanceFields(group_id=smart, date=TODAY - timedelta(days=1), attended=False)
    )
    sam = store.add_person(PersonFields(alias="Sam", role="sponsor"))
    store.log_contact(ContactFields(person_id=sam.id, date=TODAY, note="Called after work"))
    store.add_service(ServiceFields(date=TODAY, group_id=na, minutes=45, note="Made coffee"))
    store.add_rating(
        FitFields(
            group_id=na,
            date=TODAY,
            welcome=4,
            relevance=4,
            format_comfort=3,
            practical=5,
            would_return=5,
            note="Felt at home",
        )
    )
    store.set_weekly_goal(2)
    store.excuse_week(ExcusedWeekFields(week=TODAY - timedelta(weeks=3), reason="illness"))
    store.dismiss_suggestion(load_catalogue()[0].slug)


def dump(path: Path) -> list[str]:
    """Everything the journal file holds, row by row (ids and timestamps included)."""
    store = open_store(path)
    try:
        return list(store.db.conn.iterdump())
    finally:
        store.close()


@pytest.fixture
def journal(tmp_path: Path) -> Path:
    path = tmp_path / "journal.db"
    store = open_store(path)
    fill(store)
    store.close()
    return path


@pytest.fixture
def export_text(journal: Path) -> str:
    store = open_store(journal)
    try:
        return export_json_text(store)
    finally:
        store.close()


# === Dates ======================================================================================


@pytest.mark.parametrize(
    ("text", "candidates"),
    [
        ("03/04/05", ["5 April 2003", "4 March 2005", "3 April 2005"]),
        ("3/4/2026", ["4 March 2026", "3 April 2026"]),
        ("04.03.2026", ["4 March 2026", "3 April 2026"]),
        ("5-6-07", ["7 June 2005", "6 May 2007", "5 June 2007"]),
    ],
)
def test_ambiguous_numeric_dates_are_asked_back(text: str, candidates: list[str]) -> None:
    with pytest.raises(AmbiguousDate) as caught:
        parse_date(text, today=TODAY, field="met_on")
    assert caught.value.field == "met_on"
    assert caught.value.candidates == candidates
    message = str(caught.value)
    assert message.startswith(f"met_on: {text!r} could mean ")
    assert all(candidate in message for candidate in candidates)


def test_dateutil_itself_overflows_on_huge_numbers() -> None:
    """The hazard the next test guards against: dateutil lets OverflowError escape."""
    with pytest.raises(OverflowError):
        dateutil_parse("99999999999999999999")


@pytest.mark.parametrize(
    "text",
    [
        "99999999999999999999",
        "1e400",
        "31/12/999999999",
        "12/31/99999999999999999999",
        "99999999999999999999 days ago",
        "999999 years ago",
        "20 Nov 99999",
        "99999-01-01",
        "9" * 5000,
        "1/1/" + "9" * 400,
        "-99999999999999999999",
    ],
)
def test_a_huge_number_is_a_clear_invalid_field(text: str) -> None:
    with pytest.raises(InvalidField) as caught:
        parse_date(text, today=TODAY, field="met_on", allow_future=True)
    assert type(caught.value) is InvalidField
    assert caught.value.field == "met_on"
    message = str(caught.value)
    assert message.startswith("met_on: ")
    assert len(message) < 250  # a 5,000-digit number isn't echoed back whole


@pytest.mark.parametrize(
    "text",
    [
        "\x002026-11-20",
        "2026-11-20\x00",
        "2026-11\x00-20",
        "to\x00day",
        "today\x00",
        "20 Nov\x00",
        "\x00",
        "\x1c2026-11-20",  # Python counts \x1c-\x1f as white space; still refused
        "\x1b[31m2026-11-20",
        "2026-11-20\x9b",
    ],
)
def test_a_nul_byte_or_other_control_character_is_refused(text: str) -> None:
    with pytest.raises(InvalidField) as caught:
        parse_date(text, today=TODAY, field="--date")
    assert caught.value.field == "--date"
    assert str(caught.value) == (
        "--date: contains a control character (such as a NUL byte or an escape code); "
        "please remove it."
    )


def test_a_day_beyond_the_calendar_is_refused_not_an_overflow() -> None:
    last = date.max
    with pytest.raises(InvalidField):
        parse_date("tomorrow", today=last, allow_future=True)
    with pytest.raises(InvalidField):
        parse_date("next mon", today=last, allow_future=True)
    with pytest.raises(InvalidField):
        parse_date("yesterday", today=date.min)


def test_log_refuses_a_far_future_date_and_writes_nothing(journal: Path) -> None:
    before = dump(journal)
    message = refused(
        run("--db", str(journal), "log", "NA Downtown", "--date", "2099-01-01"),
        "--date",
        "2099-01-01 is in the future",
    )
    assert "Journal entries are for things that have happened" in message
    assert dump(journal) == before


def test_the_store_refuses_future_attendance(journal: Path) -> None:
    store = open_store(journal)
    before = list(store.db.conn.iterdump())
    group = store.list_groups()[0]
    with pytest.raises(InvalidField) as caught:
        store.log_attendance(AttendanceFields(group_id=group.id, date=date(2099, 1, 1)))
    assert caught.value.field == "date"
    assert "in the future" in str(caught.value)
    assert list(store.db.conn.iterdump()) == before
    store.close()


@pytest.mark.parametrize("table", ["attendance", "contacts", "service", "fit_ratings"])
def test_an_import_refuses_rows_dated_far_in_the_future(
    tmp_path: Path, export_text: str, table: str
) -> None:
    data = json.loads(export_text)
    data[table][-1]["date"] = "2099-01-01"
    target = open_store(tmp_path / "target.db")
    with pytest.raises(ImportRefused) as caught:
        import_journal(target, data, source="future.json")
    assert str(caught.value).startswith("future.json was not imported: ")
    assert "2099-01-01 is in the future" in str(caught.value)
    assert target.is_empty()
    target.close()


def test_an_import_allows_one_day_ahead_for_time_zones(tmp_path: Path, export_text: str) -> None:
    data = json.loads(export_text)
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    data["attendance"][-1]["date"] = tomorrow
    target = open_store(tmp_path / "target.db")
    import_journal(target, data)
    assert tomorrow in [a.date.isoformat() for a in target.list_attendance()]
    data["attendance"][-1]["date"] = (TODAY + timedelta(days=2)).isoformat()
    with pytest.raises(ImportRefused, match="in the future"):
        import_journal(target, data, replace=True)
    target.close()


# --- parsing depends on today only for relative forms ---------------------------------------------

_ANY_DAY = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))


def _absolute_forms(d: date) -> list[str]:
    forms = [
        d.isoformat(),
        f"{d.year}/{d.month}/{d.day}",
        f"{d.day} {MONTH_NAMES[d.month - 1]} {d.year}",
        f"{MONTH_ABBRS[d.month - 1]} {d.day}, {d.year}",
        f"{d.day} of {MONTH_NAMES[d.month - 1]} {d.year}",
    ]
    if d.day > 12:  # only then is day/month/year unambiguous
        forms += [f"{d.day}/{d.month}/{d.year}", f"{d.month}/{d.day}/{d.year}"]
    return forms


@settings(max_examples=300, deadline=None)
@given(d=_ANY_DAY, first=_ANY_DAY, second=_ANY_DAY, allow_future=st.booleans())
def test_absolute_dates_do_not_depend_on_today(
    d: date, first: date, second: date, allow_future: bool
) -> None:
    if not allow_future:  # both todays must allow the date
        first, second = max(first, d), max(second, d)
    for text in _absolute_forms(d):
        got_first = parse_date(text, today=first, allow_future=allow_future)
        got_second = parse_date(text, today=second, allow_future=allow_future)
        assert got_first == got_second == d, text


@settings(max_examples=200, deadline=None)
@given(
    first=st.dates(min_value=date(1901, 1, 1), max_value=date(2200, 12, 31)),
    shift=st.integers(min_value=1, max_value=3000),
)
def test_relative_dates_move_with_today(first: date, shift: int) -> None:
    second = first + timedelta(days=shift)
    for text, moves_by_a_day in (
        ("yesterday", True),
        ("today", True),
        ("3 days ago", True),
        ("last tue", False),
        ("fri", False),
    ):
        got_first = parse_date(text, today=first)
        got_second = parse_date(text, today=second)
        if moves_by_a_day:
            assert got_second - got_first == timedelta(days=shift), text
        elif shift >= 7:
            assert got_second > got_first, text
        else:
            assert got_second >= got_first, text


_DATE_BITS = st.sampled_from(
    ["1", "12", "31", "2026", "99999999999999999999", "1e400", "0", "-", "/", ".", " ", ",",
     "Nov", "november", "th", "of", "ago", "days", "weeks", "last", "next", "tue", "today",
     "yesterday", "\x00", "\x1b", "\u202e", "٣", "２", "𝟘", "\ud800", "e", "+"]
)  # fmt: skip
_ARBITRARY = st.one_of(
    st.text(st.characters(exclude_categories=()), max_size=40),
    st.lists(_DATE_BITS, max_size=8).map("".join),
)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_ARBITRARY, today=_ANY_DAY, allow_future=st.booleans())
def test_parse_date_raises_nothing_but_invalid_field(
    text: str, today: date, allow_future: bool
) -> None:
    try:
        got = parse_date(text, today=today, field="when", allow_future=allow_future)
    except AmbiguousDate as error:
        assert error.field == "when" and len(error.candidates) > 1
        return
    except InvalidField as error:
        assert error.field == "when"
        assert str(error).startswith("when: ")
        return
    assert got >= date(1900, 1, 1)
    if not allow_future:
        assert got <= today


# === JSON import ================================================================================


def _write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _once(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


# Each turns a good export's text into a bad one, and names what the message must say.
BAD_FILES: dict[str, tuple[Any, tuple[str, ...]]] = {
    "nan": (lambda t: _once(t, '"minutes": 45', '"minutes": NaN'), ("holds NaN",)),
    "infinity": (lambda t: _once(t, '"welcome": 4', '"welcome": Infinity'), ("Infinity",)),
    "minus-infinity": (lambda t: _once(t, '"minutes": 45', '"minutes": -Infinity'), ("Infinity",)),
    "float-overflow": (lambda t: _once(t, '"minutes": 45', '"minutes": 1e400'), ("1e400",)),
    "duplicate-key": (
        # The same key twice, even with the same value: a hand edit gone wrong.
        lambda t: _once(t, '"version": 3,', '"version": 3, "version": 3,'),
        ('"version" twice',),
    ),
    "duplicate-key-in-a-row": (
        lambda t: _once(t, '"alias": "Sam",', '"alias": "Sam", "alias": "Someone else",'),
        ('"alias" twice',),
    ),
    "lone-high-surrogate": (
        lambda t: _once(t, '"Made coffee"', '"Made \\ud800coffee"'),
        ("broken character", "service/0/note"),
    ),
    "lone-low-surrogate": (
        lambda t: _once(t, '"Sam"', '"\\udc00Sam"'),
        ("broken character", "people/0/alias"),
    ),
    "surrogates-the-wrong-way-round": (
        lambda t: _once(t, '"Good night"', '"\\udc00\\ud800"'),
        ("broken character",),
    ),
    "surrogate-in-a-key": (
        lambda t: _once(t, '"settings": {', '"settings": {"\\ud800": 1, '),
        ("broken key",),
    ),
    "deep-nesting": (
        lambda t: _once(
            t, '"settings": {', '"settings": {"deep": ' + "[" * 100_000 + "]" * 100_000 + ", "
        ),
        ("nested too deeply",),
    ),
    "huge-integer": (
        lambda t: _once(t, '"minutes": 45', '"minutes": ' + "9" * 5000),
        ("more than", "digits"),
    ),
    "truncated": (lambda t: t[: len(t) // 2], ("not valid JSON", "line ", "column ", "cut short")),
    "truncated-at-the-end": (lambda t: t.rstrip()[:-1], ("line ", "cut short")),
    "empty": (lambda t: "", ("is empty",)),
    "not-utf8": (
        lambda t: _once(t, "Good night", "Good \udcff night").encode("utf-8", "surrogateescape"),
        ("not a text file",),
    ),
    "encoded-surrogate": (  # a surrogate written out as UTF-8 bytes, which UTF-8 forbids
        lambda t: _once(t, "Good night", "Good \ud800 night").encode("utf-8", "surrogatepass"),
        ("not a text file",),
    ),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_each_bad_json_file_is_refused_clearly_and_changes_nothing(
    tmp_path: Path, journal: Path, export_text: str, case: str
) -> None:
    change, needles = BAD_FILES[case]
    bad = _write(tmp_path, f"{case}.json", change(export_text))
    with pytest.raises(ImportRefused) as caught:
        check_export(read_export_file(bad), str(bad))
    assert str(bad) in str(caught.value)
    assert "\n" not in str(caught.value)

    before = dump(journal)
    refused(run("--db", str(journal), "import", str(bad), "--replace"), str(bad), *needles)
    assert dump(journal) == before

    fresh = tmp_path / "fresh.db"
    refused(run("--db", str(fresh), "import", str(bad)), str(bad))
    assert not fresh.exists()  # the file was refused before a journal was made


def test_truncated_file_names_line_and_column(tmp_path: Path, export_text: str) -> None:
    """Cut off just before a key: the message points at the end of what is there."""
    cut = export_text[: export_text.index('"people"')]
    bad = _write(tmp_path, "cut.json", cut)
    with pytest.raises(ImportRefused) as caught:
        read_export_file(bad)
    line = cut.count("\n") + 1
    column = len(cut) - cut.rindex("\n")
    assert f"(line {line}, column {column}: " in str(caught.value)


def test_a_json_error_in_the_middle_is_not_called_cut_short(tmp_path: Path) -> None:
    bad = _write(tmp_path, "mid.json", '{"format": "tracker-journal",, "version": 3}')
    with pytest.raises(ImportRefused) as caught:
        read_export_file(bad)
    assert "line 1, column 30" in str(caught.value)
    assert "cut short" not in str(caught.value)


def test_a_byte_order_mark_is_accepted(tmp_path: Path, export_text: str) -> None:
    with_bom = _write(tmp_path, "bom.json", b"\xef\xbb\xbf" + export_text.encode("utf-8"))
    target = tmp_path / "target.db"
    result = run("--db", str(target), "import", str(with_bom))
    assert result.exit_code == 0, result.output
    store = open_store(target)
    assert export_json_text(store) == export_text
    store.close()


def test_values_json_can_not_hold_are_refused_in_data_given_directly(
    tmp_path: Path, export_text: str
) -> None:
    """check_export guards import_journal even when the data didn't come from a file."""
    target = open_store(tmp_path / "t.db")
    for change, needle in (
        (lambda d: d["people"][0].update(alias="Sam\ud800"), "people/0/alias"),
        (lambda d: d["settings"].update(x=float("nan")), "settings/x"),
        (lambda d: d["settings"].update(x=float("-inf")), "settings/x"),
    ):
        data = json.loads(export_text)
        change(data)
        with pytest.raises(ImportRefused, match=needle):
            import_journal(target, data, source="given.json")
    deep: list[Any] = []
    for _ in range(5000):
        deep = [deep]
    data = json.loads(export_text)
    data["settings"]["deep"] = deep
    with pytest.raises(ImportRefused, match="nested too deeply"):
        import_journal(target, data)
    assert target.is_empty()
    assert target.settings() == {}
    target.close()


# --- all or nothing -----------------------------------------------------------------------------


def _break_last_feedback(data: dict[str, Any]) -> None:
    data["suggestion_feedback"][-1].update(status="snoozed", until=None)  # snoozed until when?


def _break_last_excused_week(data: dict[str, Any]) -> None:
    data["excused_weeks"][-1]["week"] = "2026-11-25"  # a Wednesday names no week


def _break_last_rating(data: dict[str, Any]) -> None:
    data["fit_ratings"][-1]["date"] = "2099-01-01"


def _break_last_service_note(data: dict[str, Any]) -> None:
    data["service"][-1]["note"] = "x" * (NOTE_MAX + 1)


@pytest.mark.parametrize(
    "breaker",
    [_break_last_feedback, _break_last_excused_week, _break_last_rating, _break_last_service_note],
)
@pytest.mark.parametrize("replace", [False, True])
def test_a_bad_last_row_leaves_the_journal_exactly_as_it_was(
    tmp_path: Path, journal: Path, export_text: str, breaker: Any, replace: bool
) -> None:
    data = json.loads(export_text)
    # Different content from the journal's, so that a partial import would show.
    for row in data["groups"]:
        row["notes"] = "Imported " + row["notes"]
    breaker(data)
    bad = _write(tmp_path, "bad.json", json.dumps(data, ensure_ascii=False))
    target = journal
    if not replace:
        target = tmp_path / "empty.db"
        open_store(target).close()
    before = dump(target)
    refused(
        run("--db", str(target), "import", str(bad), *(["--replace"] if replace else [])),
        str(bad),
        "was not imported",
    )
    assert dump(target) == before


# === Text ========================================================================================

FIFTY_MB = 50 * 1024 * 1024


def test_a_50_mb_note_is_refused_quickly_and_changes_nothing(journal: Path) -> None:
    huge = "a" * FIFTY_MB
    store = open_store(journal)
    before = list(store.db.conn.iterdump())
    group = store.list_groups()[0]
    for action in (
        lambda: store.log_attendance(AttendanceFields(group_id=group.id, date=TODAY, note=huge)),
        lambda: store.add_person(PersonFields(alias="Lee", notes=huge)),
        lambda: store.add_group(GroupFields(name="New", notes=huge)),
        lambda: store.add_group(GroupFields(name=huge)),
    ):
        started = time.perf_counter()
        with pytest.raises(InvalidField) as caught:
            action()
        elapsed = time.perf_counter() - started
        assert elapsed < 2.0, elapsed  # no scanning of 50 MB of text on the UI thread
        assert caught.value.field in ("note", "notes", "name")
        assert str(caught.value).startswith(f"{caught.value.field}: keep it to ")
    assert list(store.db.conn.iterdump()) == before
    store.close()


def test_a_50_mb_note_in_an_import_is_refused_naming_the_row(
    tmp_path: Path, journal: Path, export_text: str
) -> None:
    data = json.loads(export_text)
    data["attendance"][0]["note"] = "b" * FIFTY_MB
    bad = _write(tmp_path, "huge.json", json.dumps(data))
    before = dump(journal)
    started = time.perf_counter()
    message = refused(run("--db", str(journal), "import", str(bad), "--replace"), str(bad))
    assert time.perf_counter() - started < 30
    assert "attendance" in message and "note" in message
    assert len(message) < 500  # the note itself is not echoed
    assert dump(journal) == before


def test_a_50_mb_note_from_the_shell_is_refused(journal: Path) -> None:
    before = dump(journal)
    refused(
        run("--db", str(journal), "log", "NA", "--note", "c" * FIFTY_MB),
        "note: keep it to 4000 characters or fewer.",
    )
    assert dump(journal) == before


# --- every script round-trips exactly -----------------------------------------------------------

UNICODE = {
    "emoji": "🧘🏽‍♀️ 👨‍👩‍👧‍👦 🏳️‍🌈 ❤️‍🩹",
    "right_to_left": "שלום, מה שלומך? مرحبا بكم",
    "combining": "Zoe\u0308 cafe\u0301 n\u0303 Z\u0324\u0354\u0367\u0311",
    "cjk": "日本語のグループ 한국어",
    "zwj_and_zwnj": "क्‍ष می‌خواهم",
}
GROUP_NAME = "Grupo 🧘🏽‍♀️ שלום cafe\u0301"  # 80 characters or fewer
ALIAS = "Zoe\u0308 👨‍👩‍👧 مرحبا"  # 40 characters or fewer
NOTE = "\n".join(UNICODE.values())


def _unicode_journal(path: Path) -> Store:
    store = open_store(path)
    group = store.add_group(GroupFields(name=GROUP_NAME, notes=NOTE, location=UNICODE["cjk"]))
    store.log_attendance(
        AttendanceFields(group_id=group.id, date=TODAY - timedelta(days=1), note=NOTE)
    )
    person = store.add_person(PersonFields(alias=ALIAS, notes=NOTE))
    store.log_contact(ContactFields(person_id=person.id, date=TODAY, note=NOTE))
    store.add_service(ServiceFields(date=TODAY, group_id=group.id, note=NOTE))
    store.add_rating(
        FitFields(
            group_id=group.id,
            date=TODAY,
            welcome=5,
            relevance=5,
            format_comfort=5,
            practical=5,
            would_return=5,
            note=NOTE,
        )
    )
    return store


def _texts(store: Store) -> list[str]:
    (group,) = store.list_groups()
    (person,) = store.list_people()
    return [
        group.name,
        group.notes,
        group.location,
        person.alias,
        person.notes,
        *(a.note for a in store.list_attendance()),
        *(c.note for c in store.list_contacts()),
        *(s.note for s in store.list_service()),
        *(r.note for r in store.list_ratings()),
    ]


EXPECTED_TEXTS = [GROUP_NAME, NOTE, UNICODE["cjk"], ALIAS, NOTE, NOTE, NOTE, NOTE, NOTE]


def test_emoji_rtl_and_combining_text_round_trip_exactly(tmp_path: Path) -> None:
    store = _unicode_journal(tmp_path / "j.db")
    assert _texts(store) == EXPECTED_TEXTS
    assert "e\u0301" in _texts(store)[1]  # not normalised into é
    text = export_json_text(store)
    store.close()
    assert NOTE.replace("\n", "\\n") in text  # written as the characters, not \u escapes

    # Reopened from the file, and through export and import (CLI) into a new journal.
    reopened = open_store(tmp_path / "j.db")
    assert _texts(reopened) == EXPECTED_TEXTS
    reopened.close()
    out = tmp_path / "export.json"
    assert run("--db", str(tmp_path / "j.db"), "export", "--out", str(out)).exit_code == 0
    assert out.read_text(encoding="utf-8") == text
    result = run("--db", str(tmp_path / "copy.db"), "import", str(out))
    assert result.exit_code == 0, result.output
    copy = open_store(tmp_path / "copy.db")
    assert _texts(copy) == EXPECTED_TEXTS
    assert export_json_text(copy) == text
    copy.close()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    note=st.text(
        st.characters(exclude_categories=("Cs", "Cc", "Zl", "Zp"), include_characters="\n\t"),
        max_size=200,
    )
)
def test_any_printable_note_round_trips_through_store_and_export(note: str) -> None:
    expected = note.strip()
    source = open_store(":memory:")
    group = source.add_group(GroupFields(name="G", notes=note))
    source.log_attendance(AttendanceFields(group_id=group.id, date=TODAY, note=note))
    assert source.list_groups()[0].notes == expected
    data = json.loads(export_json_text(source))
    target = open_store(":memory:")
    import_journal(target, data)
    assert target.list_groups()[0].notes == expected
    assert target.list_attendance()[0].note == expected
    assert export_journal(target) == export_journal(source)
    source.close()
    target.close()


def _app(path: Path) -> Any:
    from tracker.app import create_app

    return create_app(db_path=path, today=TODAY)


def _cells(app: Any, selector: str = "#table") -> list[str]:
    table = app.screen.query_one(selector, DataTable)
    return [
        cell.plain if isinstance(cell, Text) else str(cell)
        for i in range(table.row_count)
        for cell in table.get_row_at(i)
    ]


async def test_unicode_text_shows_as_typed_in_the_app(tmp_path: Path) -> None:
    _unicode_journal(tmp_path / "j.db").close()
    app = _app(tmp_path / "j.db")
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        assert GROUP_NAME in text_of(app.screen.query_one("#groups", Static))
        assert ALIAS[:8] in text_of(app.screen.query_one("#people", Static))  # cut to fit
        for key in ("2", "3", "5", "6"):
            await press(pilot, key)
            detail = text_of(app.screen.query_one("#detail", Static))
            for line in UNICODE.values():
                assert line in detail, (key, line)
        await press(pilot, "2")
        assert GROUP_NAME in _cells(app)
        await press(pilot, "4")
        assert ALIAS in _cells(app)
        assert UNICODE["right_to_left"] in text_of(app.screen.query_one("#detail", Static))
        assert app.is_running


# --- markup and control sequences are inert ---------------------------------------------------

MARKUP = "[bold]b[/] [/] [link=https://x.example]x[/link] [@click=app.quit]quit[/]"
CONTROLS = "\x1b[31mEVIL \x1b]0;PWNED\x07 \x9b2J \x07bell \u202egnp.exe"
# How the controls look on screen: visible stand-ins (see tracker.domain.text.printable).
CONTROLS_SHOWN = "␛[31mEVIL ␛]0;PWNED␇ \\x9b2J ␇bell <U+202E>gnp.exe"
RAW = ("\x1b", "\x07", "\x9b", "\u202e")


def _hostile_journal(path: Path) -> None:
    """Markup typed in (it is allowed), then control characters written straight into the file,
    as a hand edit or an old bug could; the app must show both inertly."""
    store = open_store(path)
    group = store.add_group(GroupFields(name="[b]Group[/b] one", notes=MARKUP))
    person = store.add_person(PersonFields(alias="[i]Sam[/i]", notes=MARKUP))
    day = TODAY - timedelta(days=1)
    store.log_attendance(
        AttendanceFields(group_id=group.id, date=day, note=MARKUP, note_shared=True)
    )
    store.log_contact(ContactFields(person_id=person.id, date=day, note=MARKUP, note_shared=True))
    store.add_service(ServiceFields(date=day, group_id=group.id, note=MARKUP, note_shared=True))
    store.add_rating(
        FitFields(
            group_id=group.id,
            date=day,
            welcome=3,
            relevance=3,
            format_comfort=3,
            practical=3,
            would_return=3,
            note=MARKUP,
            note_shared=True,
        )
    )
    hostile = f"{MARKUP} {CONTROLS}"
    for table, column in (
        ("groups", "notes"),
        ("people", "notes"),
        ("attendance", "note"),
        ("contacts", "note"),
        ("service", "note"),
        ("fit_ratings", "note"),
    ):
        store.db.execute(f"UPDATE {table} SET {column} = ?", [hostile])
    store.db.execute("UPDATE groups SET name = ?", ["[b]Group[/b] \x1b[31mEVIL\u202e"])
    store.db.execute("UPDATE people SET alias = ?", ["[i]Sam[/i] \x1b]0;PWNED\x07"])
    store.db.conn.commit()
    store.close()


def _assert_inert(shown: str, where: str) -> None:
    for raw in RAW:
        assert raw not in shown, (where, raw)


async def test_markup_and_control_sequences_are_inert_on_every_main_screen(
    tmp_path: Path,
) -> None:
    path = tmp_path / "j.db"
    _hostile_journal(path)
    app = _app(path)
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        for selector in ("#groups", "#people", "#recent"):
            shown = text_of(app.screen.query_one(selector))
            _assert_inert(shown, selector)
        # Cut to fit their columns, but literal.
        assert "[b]Group[/b] ␛[31m" in text_of(app.screen.query_one("#groups", Static))
        assert "[i]Sam[/i" in text_of(app.screen.query_one("#people", Static))
        assert MARKUP in text_of(app.screen.query_one("#recent", TextLines))

        for key in ("2", "3", "4", "5", "6"):
            await press(pilot, key)
            detail = text_of(app.screen.query_one("#detail", Static))
            _assert_inert(detail, key)
            assert MARKUP in detail, key
            assert CONTROLS_SHOWN in detail, key
            cells = " ".join(_cells(app))
            _assert_inert(cells, key)
            assert "[b]Group[/b]" in cells or "[i]Sam[/i]" in cells, key

        await press(pilot, "0")
        review = text_of(app.screen.query_one("#review-text", Static))
        _assert_inert(review, "review")
        assert "[@click=app.quit]quit[/]" in review
        assert "␛]0;PWNED␇" in review
        assert app.is_running  # no markup quit the app or crashed it


async def test_imported_markup_is_stored_and_shown_as_typed(
    tmp_path: Path, export_text: str
) -> None:
    data = json.loads(export_text)
    data["groups"][0]["name"] = "[@click=app.quit]NA[/]"
    data["attendance"][0]["note"] = MARKUP + " \u202e"
    data["people"][0]["alias"] = "[link=https://x.example]Sam[/link]"
    path = tmp_path / "j.db"
    store = open_store(path)
    import_journal(store, data)
    assert store.list_groups()[0].name == "[@click=app.quit]NA[/]"
    store.close()
    app = _app(path)
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        assert "[@click=app.quit]NA[/]" in text_of(app.screen.query_one("#groups", Static))
        assert "[link=htt" in text_of(app.screen.query_one("#people", Static))  # cut to fit
        await press(pilot, "3")
        shown = " ".join(_cells(app)) + text_of(app.screen.query_one("#detail", Static))
        assert "[@click=app.quit]NA[/]" in shown
        assert MARKUP + " <U+202E>" in shown
        assert "\u202e" not in shown
        assert app.is_running


def test_imported_control_characters_are_refused_naming_the_field(
    tmp_path: Path, export_text: str
) -> None:
    data = json.loads(export_text)
    data["service"][0]["note"] = "fine \x1b]0;PWNED\x07"
    target = open_store(tmp_path / "t.db")
    with pytest.raises(ImportRefused) as caught:
        import_journal(target, data, source="evil.json")
    message = str(caught.value)
    assert "service entry 1" in message and "note: contains a control character" in message
    assert "\x1b" not in message  # the message itself is safe to print
    assert target.is_empty()
    target.close()
