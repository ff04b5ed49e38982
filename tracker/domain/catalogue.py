"""The starter catalogue: the kinds of community support the guide names, and searching them.

The catalogue is a JSON file (``starter_catalogue.json``) shipped with the package. It is read-only
reference material: the journal suggests groups from it, it never writes to it.

Loading checks the file's shape by hand, because that is quick; ``validate_catalogue_data`` also
checks it against ``catalogue_schema.json`` with jsonschema, which is slow to import and so is
imported only there.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from tracker.domain.models import GroupFields
from tracker.domain.vocab import (
    APPROACH_TAGS,
    AUDIENCES,
    BARRIERS,
    FORMATS,
    PILLARS,
    check_code,
)
from tracker.errors import TrackerError

CATALOGUE_FILE = "starter_catalogue.json"
SCHEMA_FILE = "catalogue_schema.json"
PLACE = "{place}"

# Field name -> kind, in the order the file lists them. "text" is a non-empty string, "code" a
# code from the vocabulary named in _VOCABULARIES, "texts"/"codes" lists of those.
_FIELDS: dict[str, str] = {
    "slug": "text",
    "name": "text",
    "pillar": "code",
    "approaches": "codes",
    "audience": "code",
    "formats": "codes",
    "description": "text",
    "how_to_find": "texts",
    "search_phrases": "texts",
    "barriers": "codes",
    "website": "url",
}

_VOCABULARIES: dict[str, dict[str, str]] = {
    "pillar": PILLARS,
    "approaches": APPROACH_TAGS,
    "audience": AUDIENCES,
    "formats": FORMATS,
    "barriers": BARRIERS,
}

_SPACES = re.compile(r"\s+")


class CatalogueError(TrackerError):
    """The catalogue file is missing or not what it should be. The message names the file."""

    def __init__(self, message: str, path: Path | None = None) -> None:
        super().__init__(message)
        self.path = path


@dataclass(frozen=True)
class CatalogueEntry:
    """One kind of support from the guide, such as Narcotics Anonymous or sober hiking."""

    slug: str
    name: str
    pillar: str
    approaches: tuple[str, ...]
    audience: str
    formats: tuple[str, ...]
    description: str
    how_to_find: tuple[str, ...]
    search_phrases: tuple[str, ...]
    barriers: tuple[str, ...]
    website: str | None

    def group_fields(self, formats: Sequence[str] = ()) -> GroupFields:
        """A new group to try, prefilled from this entry. Its format is the first of the entry's
        formats that is in ``formats`` (the formats a person said are fine; empty means any)."""
        fitting = [f for f in self.formats if not formats or f in formats]
        return GroupFields(
            name=self.name,
            pillar=self.pillar,
            tags=tuple(self.approaches),
            format=(fitting or list(self.formats))[0],
            status="trying",
            catalogue_slug=self.slug,
        )

    def search_phrases_for(self, place: str) -> list[str]:
        """The search phrases with ``{place}`` filled in.

        With an empty place the placeholder is simply left out ("Narcotics Anonymous"), and
        phrases that become identical are given once.
        """
        where = _SPACES.sub(" ", place).strip()
        phrases: list[str] = []
        for phrase in self.search_phrases:
            filled = _SPACES.sub(" ", phrase.replace(PLACE, where)).strip()
            if filled and filled not in phrases:
                phrases.append(filled)
        return phrases


# The tracker package's folder. Found from this file rather than through importlib.resources,
# whose package readers (and zipfile) cost `tracker status` a few milliseconds; Tracker is
# installed as files, never run from a zip.
PACKAGE_DIR = Path(__file__).resolve().parent.parent


def catalogue_path() -> Path:
    """Where the starter catalogue is: inside the installed package, else at the repository root."""
    packaged = PACKAGE_DIR / CATALOGUE_FILE
    if packaged.is_file():
        return packaged
    # An editable or source checkout: the build copies this file into the package.
    return PACKAGE_DIR.parent / CATALOGUE_FILE


def load_catalogue(path: Path | None = None) -> list[CatalogueEntry]:
    """Read the catalogue (the shipped one unless ``path`` is given), or raise CatalogueError."""
    if path is None:
        return list(_load_shipped())
    return list(_load_file(Path(path)))


@functools.lru_cache(maxsize=1)
def _load_shipped() -> tuple[CatalogueEntry, ...]:
    return _load_file(catalogue_path())


def _load_file(path: Path) -> tuple[CatalogueEntry, ...]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CatalogueError(f"The starter catalogue {path} is missing.", path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogueError(
            f"The starter catalogue {path} could not be read: {exc}", path
        ) from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CatalogueError(
            f"The starter catalogue {path} is not valid JSON "
            f"(line {exc.lineno}, column {exc.colno}: {exc.msg}).",
            path,
        ) from None
    problems = _shape_problems(data) or _meaning_problems(data)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise CatalogueError(
            f"The starter catalogue {path} is not in the expected form: {problems[0]}{more}.",
            path,
        )
    assert isinstance(data, dict)
    return tuple(_entry(raw) for raw in data["entries"])


def _entry(raw: Mapping[str, object]) -> CatalogueEntry:
    def text(name: str) -> str:
        value = raw[name]
        assert isinstance(value, str)
        return value

    def texts(name: str) -> tuple[str, ...]:
        value = raw[name]
        assert isinstance(value, list)
        return tuple(str(item) for item in value)

    website = raw["website"]
    return CatalogueEntry(
        slug=text("slug"),
        name=text("name"),
        pillar=text("pillar"),
        approaches=texts("approaches"),
        audience=text("audience"),
        formats=texts("formats"),
        description=text("description"),
        how_to_find=texts("how_to_find"),
        search_phrases=texts("search_phrases"),
        barriers=texts("barriers"),
        website=website if isinstance(website, str) else None,
    )


def _where(index: int, raw: Mapping[str, object]) -> str:
    slug = raw.get("slug")
    return f"entry {index + 1} ({slug})" if isinstance(slug, str) and slug else f"entry {index + 1}"


def _is_text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _shape_problems(data: object) -> list[str]:
    """A quick check of the structure, without jsonschema: each field exists, of the right type."""
    if not isinstance(data, dict):
        return ["the top level should be an object with 'version', 'source' and 'entries'"]
    problems: list[str] = []
    if data.get("version") != 1:
        problems.append(f"'version' should be 1 (got {data.get('version')!r})")
    entries = data.get("entries")
    if not isinstance(entries, list) or not entries:
        problems.append("'entries' should be a non-empty list")
        return problems
    for index, raw in enumerate(entries):
        if not isinstance(raw, dict):
            problems.append(f"entry {index + 1} should be an object")
            continue
        where = _where(index, raw)
        for name, kind in _FIELDS.items():
            if name not in raw:
                problems.append(f"{where} has no '{name}'")
                continue
            value = raw[name]
            if kind in ("text", "code") and not _is_text(value):
                problems.append(f"{where}: '{name}' should be a non-empty string")
            elif kind in ("texts", "codes") and not (
                isinstance(value, list) and all(_is_text(item) for item in value)
            ):
                problems.append(f"{where}: '{name}' should be a list of non-empty strings")
            elif kind == "url" and not (
                value is None or (isinstance(value, str) and value.startswith("https://"))
            ):
                problems.append(f"{where}: 'website' should be an https:// address or null")
        problems.extend(
            f"{where} has an unexpected field '{name}'" for name in raw if name not in _FIELDS
        )
        if isinstance(raw.get("formats"), list) and not raw["formats"]:
            problems.append(f"{where}: 'formats' should name at least one format")
    return problems


def _meaning_problems(data: object) -> list[str]:
    """Codes unknown to the vocabularies, and repeated slugs. Tolerates any shape of ``data``."""
    entries = data.get("entries") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        return []
    problems: list[str] = []
    seen: set[str] = set()
    for index, raw in enumerate(entries):
        if not isinstance(raw, dict):
            continue
        where = _where(index, raw)
        slug = raw.get("slug")
        if isinstance(slug, str):
            if slug in seen:
                problems.append(f"{where}: the slug {slug!r} is used more than once")
            seen.add(slug)
        for name, vocabulary in _VOCABULARIES.items():
            value = raw.get(name)
            values: Iterable[object] = value if isinstance(value, list) else [value]
            for code in values:
                if isinstance(code, str) and code not in vocabulary:
                    choices = ", ".join(vocabulary)
                    problems.append(
                        f"{where}: {name} {code!r} is not a known code (one of: {choices})"
                    )
    return problems


@functools.lru_cache(maxsize=1)
def _schema() -> dict[str, object]:
    text = (resources.files("tracker.domain") / SCHEMA_FILE).read_text(encoding="utf-8")
    schema = json.loads(text)
    assert isinstance(schema, dict)
    return schema


def validate_catalogue_data(data: object) -> list[str]:
    """Every problem with catalogue data: schema errors, unknown codes, repeated slugs.

    An empty list means the data is valid.
    """
    # Slow to import, so only checking pays for it. The ignore is for checkouts without the
    # types-jsonschema stubs; "unused-ignore" keeps mypy quiet where they are installed.
    import jsonschema

    validator = jsonschema.Draft202012Validator(_schema())
    problems = [
        f"{error.json_path}: {error.message}"
        for error in sorted(validator.iter_errors(data), key=lambda error: error.json_path)
    ]
    return problems + _meaning_problems(data)


def _normalise_filter(field: str, vocabulary: dict[str, str], value: str | None) -> str | None:
    return None if value is None else check_code(field, vocabulary, value)


def _haystack(entry: CatalogueEntry) -> str:
    parts = [entry.name, entry.slug, entry.pillar, PILLARS.get(entry.pillar, ""), entry.description]
    parts += [f"{code} {APPROACH_TAGS.get(code, '')}" for code in entry.approaches]
    parts += [f"{code} {FORMATS.get(code, '')}" for code in entry.formats]
    return "\n".join(parts).casefold()


def search_catalogue(
    entries: Sequence[CatalogueEntry],
    query: str = "",
    *,
    pillar: str | None = None,
    format: str | None = None,
    audience: str | None = None,
) -> list[CatalogueEntry]:
    """Entries matching every word of ``query`` and each filter given.

    Words match, case-insensitively, anywhere in the name, slug, pillar, approaches, formats or
    description. Entries whose name starts with the query come first, then those whose name
    contains every word, then the rest; each group in name order. Filters take a code or its
    label; the audience "recovery" or "family" also matches entries for both. An unknown filter
    value raises InvalidField.
    """
    pillar = _normalise_filter("pillar", PILLARS, pillar)
    format = _normalise_filter("format", FORMATS, format)
    audience = _normalise_filter("audience", AUDIENCES, audience)
    words = query.casefold().split()
    phrase = " ".join(words)

    def rank(entry: CatalogueEntry) -> tuple[int, str]:
        name = entry.name.casefold()
        if words and name.startswith(phrase):
            return (0, name)
        if words and all(word in name for word in words):
            return (1, name)
        return (2, name)

    found = []
    for entry in entries:
        if pillar is not None and entry.pillar != pillar:
            continue
        if format is not None and format not in entry.formats:
            continue
        if audience is not None and entry.audience not in (audience, "both"):
            continue
        haystack = _haystack(entry)
        if all(word in haystack for word in words):
            found.append(entry)
    return sorted(found, key=rank)


def get_entry(entries: Iterable[CatalogueEntry], slug: str) -> CatalogueEntry | None:
    """The entry with this slug, or None."""
    return next((entry for entry in entries if entry.slug == slug), None)
