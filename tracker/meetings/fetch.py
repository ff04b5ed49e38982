"""The one place in Tracker that may use the network.

It runs only when the person types ``tracker meetings import`` with a web address: the command
says which host it is about to contact before it does, allows ``TIMEOUT`` seconds for the whole
download, and reads at most ``MAX_BYTES``. It follows a redirect only within that site, and
never from https to http. It sends no cookies and nothing from the journal: a plain GET with a
generic User-Agent (the site sees this computer's internet address, as with any web page).
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from tracker.errors import TrackerError

TIMEOUT = 30.0  # seconds
MAX_BYTES = 50 * 1024 * 1024
_CHUNK = 64 * 1024
USER_AGENT = "Tracker-meeting-list-import"


class FetchError(TrackerError):
    """The feed couldn't be downloaded; nothing was changed."""


def _site(host: str | None) -> str:
    return (host or "").lower().removeprefix("www.")


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only within the site the person named (www. or not), and never from
    https down to http: Tracker contacts only what the command said it would."""

    def __init__(self, host: str, secure: bool) -> None:
        super().__init__()
        self.host = host
        self.secure = secure

    def redirect_request(
        self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str
    ) -> Any:
        new = urlsplit(newurl)
        scheme = new.scheme.lower()
        if scheme not in ("http", "https") or (self.secure and scheme == "http"):
            raise FetchError(
                f"{self.host} sends Tracker on to an address that isn't https ({newurl}); "
                "nothing was changed."
            )
        if _site(new.hostname) != _site(self.host):
            raise FetchError(
                f"{self.host} sends Tracker on to another site, {new.hostname}. Tracker only "
                "contacts the site you name; if you trust that one, import from "
                f"{newurl} instead. Nothing was changed."
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def is_web_address(source: str) -> bool:
    return urlsplit(source.strip()).scheme.lower() in ("http", "https")


def host_of(url: str) -> str:
    parts = urlsplit(url.strip())
    return parts.hostname or url


def fetch(
    url: str,
    *,
    timeout: float = TIMEOUT,
    max_bytes: int = MAX_BYTES,
    open_url: Callable[..., Any] | None = None,
) -> bytes:
    """The body at ``url`` (http or https only). Raises :class:`FetchError` with one sentence."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise FetchError(
            f"source: {url!r} isn't a web address Tracker can read; "
            "use one starting with https://, or a file on this computer."
        )
    request = urllib.request.Request(
        url.strip(), headers={"User-Agent": USER_AGENT, "Accept": "application/json"}
    )
    host = parts.hostname
    if open_url is None:
        secure = parts.scheme.lower() == "https"
        open_url = urllib.request.build_opener(_Redirects(host, secure)).open
    deadline = time.monotonic() + timeout  # for the whole download, not each read
    try:
        with open_url(request, timeout=timeout) as response:
            final = urlsplit(response.geturl() or url)
            if final.scheme.lower() not in ("http", "https"):  # pragma: no cover - urllib refuses
                raise FetchError(f"{host} sent Tracker somewhere it won't follow; nothing changed.")
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise FetchError(_too_big(host, max_bytes))
            body = bytearray()
            # read1 returns what has arrived, so the deadline is checked as bytes trickle in.
            read = getattr(response, "read1", response.read)
            while chunk := read(_CHUNK):
                body += chunk
                if len(body) > max_bytes:
                    raise FetchError(_too_big(host, max_bytes))
                if time.monotonic() > deadline:
                    raise FetchError(_slow(host, timeout))
            return bytes(body)
    except urllib.error.HTTPError as error:
        raise FetchError(
            f"{host} answered {error.code} {error.reason}; nothing was changed. "
            "Check the address, or try again later."
        ) from None
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, TimeoutError):
            raise FetchError(_slow(host, timeout)) from None
        raise FetchError(
            f"Couldn't reach {host} ({reason}); nothing was changed. "
            "Check the address and your connection."
        ) from None
    except TimeoutError:
        raise FetchError(_slow(host, timeout)) from None
    except OSError as error:
        raise FetchError(f"Couldn't read from {host} ({error}); nothing was changed.") from None


def _too_big(host: str, limit: int) -> str:
    return (
        f"The feed from {host} is bigger than {limit // (1024 * 1024)} MB, more than any meeting "
        "list should be; nothing was changed."
    )


def _slow(host: str, timeout: float) -> str:
    return f"{host} didn't answer within {timeout:g} seconds; nothing was changed. Try again later."
