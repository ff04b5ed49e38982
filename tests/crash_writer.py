"""The writer process of the crash test (tests/test_crash.py): ``python tests/crash_writer.py DB``.

With ``--wait`` it waits for a line on standard input before opening the journal, and for
another before writing: the test starts the next writer early, lets it open the journal while
the test opens it too, and only lets it write once the checks are done.

It opens the journal at DB through ``Store.open`` (encrypted when $TRACKER_PASSPHRASE is set) and
writes entries until it is killed. Entry ``i`` is five rows written in ONE transaction: a group
"Crash group i", a meeting at it with the note "entry i", a person "Crash person i", a contact
with them and a fit rating of the group, both noted "entry i". Only after that transaction has
committed does it print ``committed i`` (and flush), so every line the parent reads names an
entry that must be in the journal whatever happens next.

Numbering carries on from the entries already in the journal, so one journal serves many runs.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

from tracker.clock import Clock
from tracker.domain.models import (
    AttendanceFields,
    ContactFields,
    FitFields,
    GroupFields,
    PersonFields,
)
from tracker.store import Store

TODAY = date(2026, 11, 26)
GROUP = "Crash group {}"
PERSON = "Crash person {}"
NOTE = "entry {}"
# How many rows one entry writes, and the tables they go to.
ENTRY_TABLES = ("groups", "attendance", "people", "contacts", "fit_ratings")


def write_entry(store: Store, i: int) -> None:
    """Entry ``i``: five rows, all or none (the add_* calls nest as savepoints)."""
    with store.atomic():
        group = store.add_group(GroupFields(name=GROUP.format(i), notes=NOTE.format(i)))
        store.log_attendance(AttendanceFields(group_id=group.id, date=TODAY, note=NOTE.format(i)))
        person = store.add_person(PersonFields(alias=PERSON.format(i), notes=NOTE.format(i)))
        store.log_contact(ContactFields(person_id=person.id, date=TODAY, note=NOTE.format(i)))
        store.add_rating(
            FitFields(
                group_id=group.id,
                date=TODAY,
                welcome=1 + i % 5,
                relevance=1 + (i + 1) % 5,
                format_comfort=1 + (i + 2) % 5,
                practical=1 + (i + 3) % 5,
                would_return=1 + (i + 4) % 5,
                note=NOTE.format(i),
            )
        )


def next_number(store: Store) -> int:
    row = store.db.execute(
        "SELECT max(CAST(substr(name, length('Crash group ') + 1) AS INTEGER)) FROM groups "
        "WHERE name LIKE 'Crash group %'"
    ).fetchone()
    return 0 if row[0] is None else int(row[0]) + 1


def main(argv: list[str]) -> int:
    args = argv[1:]
    wait = "--wait" in args
    args = [a for a in args if a != "--wait"]
    if len(args) != 1:
        print("usage: crash_writer.py [--wait] DB", file=sys.stderr)
        return 2
    if wait:  # started ahead of time, the imports done: open the journal when told
        sys.stdin.readline()
    passphrase = os.environ.get("TRACKER_PASSPHRASE") or None
    store = Store.open(Path(args[0]), clock=Clock.fixed(TODAY), passphrase=passphrase)
    print("opened", flush=True)
    if wait:  # and write when told
        sys.stdin.readline()
    i = next_number(store)
    while True:
        write_entry(store, i)
        # Reached only once the transaction has committed.
        sys.stdout.write(f"committed {i}\n")
        sys.stdout.flush()
        i += 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
