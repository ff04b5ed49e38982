"""The one place Tracker asks what time it is.

Everything else receives a :class:`Clock` (or a ``today`` date), so tests, the demo generator
and benchmarks can fix time without patching anything.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time


@dataclass(frozen=True)
class Clock:
    """Tells the local date and time. ``now`` returns a timezone-aware datetime."""

    now: Callable[[], datetime]

    @classmethod
    def system(cls) -> Clock:
        return cls(lambda: datetime.now().astimezone())

    @classmethod
    def fixed(cls, moment: datetime | date) -> Clock:
        """A clock stopped at ``moment``; a bare date means noon on that day."""
        if not isinstance(moment, datetime):
            moment = datetime.combine(moment, time(12, 0))
        if moment.tzinfo is None:
            moment = moment.astimezone()
        frozen = moment
        return cls(lambda: frozen)

    def today(self) -> date:
        return self.now().date()

    def local_now(self) -> datetime:
        """Now as a naive local datetime, which is how meeting schedules are kept."""
        return self.now().replace(tzinfo=None)

    def timestamp(self) -> str:
        """Now in UTC, as stored in created_at/updated_at."""
        return self.now().astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
