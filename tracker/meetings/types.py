"""Meeting type codes and the Meeting Guide schema, read from the copies in ``spec/``.

``types.json`` names each type code (O = Open, BE = Newcomer, ...) in several languages; a code
is named in the person's language where the file has that, and in English otherwise. A code the
file doesn't know (feeds invent their own, such as ``ONL``) is shown as the code itself.

``spec_validator()`` checks one meeting against the strict JSON Schema. Its ``$ref``s point at
the specification's web addresses; they are resolved from the three local schema files, never
over the network. jsonschema is slow to import, so it is imported only when first needed.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from importlib import resources
from typing import Any

SPEC_DIR = "spec"
TYPES_FILE = "types.json"
MEETING_SCHEMA = "meeting.schema.json"
SCHEMA_FILES = ("feed.schema.json", MEETING_SCHEMA, "meeting-type.schema.json")
ENGLISH = "en"


def _spec_text(name: str) -> str:
    return (resources.files("tracker.meetings") / SPEC_DIR / name).read_text(encoding="utf-8")


@functools.cache
def _types_table() -> dict[str, dict[str, str]]:
    """code -> {language: name}, as types.json has it."""
    table: dict[str, dict[str, str]] = json.loads(_spec_text(TYPES_FILE))
    return table


def environment_language(environ: Mapping[str, str]) -> str | None:
    """The person's language setting, as the C library reads it: LC_ALL, LC_MESSAGES, LANG."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if environ.get(name):
            return environ[name]
    return None


def base_language(language: str | None) -> str:
    """The two- or three-letter language of a locale name: "es_ES.UTF-8" -> "es", "pt-BR" ->
    "pt"; none, "C" or "POSIX" -> English."""
    if not language:
        return ENGLISH
    base = re.split(r"[_\-.@]", language.strip(), maxsplit=1)[0].lower()
    if not base or base in ("c", "posix"):
        return ENGLISH
    return base


@functools.cache
def _names(base: str) -> dict[str, str]:
    return {
        code: names.get(base) or names.get(ENGLISH) or code
        for code, names in _types_table().items()
    }


def type_names(language: str | None = None) -> dict[str, str]:
    """Every known type code with its name in ``language``, or in English for a code that has no
    name in that language."""
    return dict(_names(base_language(language)))


def type_name(code: str, language: str | None = None) -> str:
    """The name of one type code; a code types.json doesn't know is returned as it is."""
    return _names(base_language(language)).get(code, code)


@functools.cache
def spec_validator() -> Any:
    """A draft-07 validator for one meeting (meeting.schema.json), its ``$ref``s resolved from
    the local copies of the three schema files. Formats (uri, email) are not checked."""
    from jsonschema import Draft7Validator
    from referencing import Registry
    from referencing.jsonschema import DRAFT7

    schemas = {name: json.loads(_spec_text(name)) for name in SCHEMA_FILES}
    registry: Registry[Any] = Registry().with_resources(
        (schema["$id"], DRAFT7.create_resource(schema)) for schema in schemas.values()
    )
    return Draft7Validator(schemas[MEETING_SCHEMA], registry=registry)
