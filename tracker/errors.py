"""The errors Tracker raises on purpose, each with a message fit to show a person."""

from __future__ import annotations


class TrackerError(Exception):
    """Something the person can fix, explained in one plain sentence."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InvalidField(TrackerError):
    """A value typed into one field was not accepted.

    ``field`` is the name of the field (as the form or the CLI option calls it), so that the
    message can be shown beside it.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class AmbiguousDate(InvalidField):
    """A date such as 03/04/05 that could mean several days. We ask; we never guess."""

    def __init__(self, field: str, text: str, candidates: list[str]) -> None:
        options = (
            ", ".join(candidates[:-1]) + f" or {candidates[-1]}"
            if len(candidates) > 1
            else candidates[0]
        )
        super().__init__(
            field,
            f"{field}: {text!r} could mean {options}. "
            "Please type it as YYYY-MM-DD, or with the month as a word, like '4 Mar 2005'.",
        )
        self.text = text
        self.candidates = candidates


class NotFound(TrackerError):
    """A row that was asked for does not exist (any more)."""
