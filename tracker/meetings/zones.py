"""Time zones: which names are real IANA zones, and which one this machine is in.

Feeds, the directory, "Add to my groups" and the calendar export all check zone names here, so
a name is either a zone everywhere or nowhere ("America" is a folder, "localtime" a link, and
"CET-1CEST,M3.5.0" a rule: none of them is a zone name).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from pathlib import Path
from zoneinfo import ZoneInfo

# What an IANA zone name looks like: "UTC", "Europe/London", "America/Argentina/Buenos_Aires",
# "Etc/GMT+5". Anything else (a path, a POSIX rule such as "CET-1CEST,M3.5.0") is not one.
_ZONE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*")
# Files in a zoneinfo folder that are not zones, and folders that hold variants of the zones.
_NOT_ZONES = frozenset({"localtime", "posixrules", "Factory"})
_VARIANT_FOLDERS = ("posix/", "right/")


def local_timezone_name(
    environ: Mapping[str, str],
    localtime: Path = Path("/etc/localtime"),
    timezone_file: Path = Path("/etc/timezone"),
) -> str | None:
    """The IANA name of this machine's time zone, or ``None`` when it can't be told.

    In order: ``$TZ`` (``Europe/London``, ``:Europe/London`` or a path into a zoneinfo folder;
    another path, such as ``:/etc/localtime``, is read as the link below);
    then where the ``localtime`` symlink points (``/usr/share/zoneinfo/Europe/London``); then
    the text of ``timezone_file`` (Debian's ``/etc/timezone``). When ``$TZ`` is set to
    something else, such as a POSIX rule (``CET-1CEST,M3.5.0,M10.5.0/3``), it decides the local
    time but has no name, so the answer is ``None`` (floating times are then right).
    Reads only the two paths given.
    """
    tz = environ.get("TZ", "").strip().removeprefix(":")
    if tz:
        named = _zone_key(tz)
        if named is not None or not tz.startswith("/"):
            return named
        localtime = Path(tz)  # TZ=:/etc/localtime: that file (or link) is the local zone
    try:
        target = localtime.readlink()
    except (OSError, ValueError):
        target = None
    if target is not None:
        found = _zone_key(str(target))
        if found is None:  # a chain of links, e.g. through /etc/alternatives
            try:
                found = _zone_key(str(localtime.resolve(strict=True)))
            except (OSError, RuntimeError):
                found = None
        if found is not None:
            return found
    try:
        text = timezone_file.read_text(encoding="utf-8", errors="replace")
    except (OSError, ValueError):
        return None
    lines = text.strip().splitlines()
    return _zone_key(lines[0].strip()) if lines else None


@functools.lru_cache(maxsize=512)
def named_zone(name: str) -> ZoneInfo | None:
    """The IANA time zone called ``name``, or None: not a zone name, or not on this machine."""
    if not _ZONE_NAME.fullmatch(name) or name in _NOT_ZONES or len(name) > 100:
        return None
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError, OSError, UnicodeError):  # ZoneInfoNotFoundError is a KeyError
        return None


def _zone_key(text: str) -> str | None:
    """The zone name in ``text``: a name, or a path that runs through a zoneinfo folder."""
    name = text.rsplit("zoneinfo/", 1)[-1] if "zoneinfo/" in text else text
    for folder in _VARIANT_FOLDERS:
        name = name.removeprefix(folder)
    return name if named_zone(name) is not None else None


def local_zone(environ: Mapping[str, str]) -> ZoneInfo | None:
    """This machine's time zone (see :func:`local_timezone_name`), or None when unknown."""
    name = local_timezone_name(environ)
    return named_zone(name) if name else None
