"""Finding the group a person means when they type part of its name, as in ``tracker log smart``.

Rules, tried in order; the first rule that matches anything decides:
1. the whole name, ignoring case ("na downtown");
2. a prefix of the name ("na d", "smart");
3. a prefix of any one word in the name ("downtown", "down").

If the deciding rule matches exactly one group, that is the answer. If it matches several, the
answer is ambiguous and the candidates are returned so the person can be more specific. A query
that matches nothing returns no candidates.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar


class Named(Protocol):
    @property
    def name(self) -> str: ...


N = TypeVar("N", bound=Named)


@dataclass(frozen=True)
class Match(Generic[N]):
    """The result of matching: ``found`` when unique, else the candidates (maybe none)."""

    found: N | None
    candidates: tuple[N, ...]


def _words(name: str) -> list[str]:
    return [w for w in re.split(r"[\s\-_/(),.&:]+", name.casefold()) if w]


def match_by_name(query: str, items: Sequence[N]) -> Match[N]:
    needle = " ".join(query.casefold().split())
    if not needle:
        return Match(None, tuple(items))
    rules = (
        lambda item: " ".join(item.name.casefold().split()) == needle,
        lambda item: " ".join(item.name.casefold().split()).startswith(needle),
        lambda item: any(word.startswith(needle) for word in _words(item.name)),
    )
    for rule in rules:
        hits = tuple(item for item in items if rule(item))
        if len(hits) == 1:
            return Match(hits[0], hits)
        if hits:
            return Match(None, hits)
    return Match(None, ())
