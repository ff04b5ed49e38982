"""Writing a mentor review out: :func:`to_markdown` and :func:`to_html`.

Both are pure functions over a :class:`~tracker.domain.review.Review`: no clock, no store, no
files. Whoever calls decides where the text goes (and makes the file private to its owner).
"""

from __future__ import annotations

from tracker.report.html import to_html
from tracker.report.markdown import to_markdown

__all__ = ["to_html", "to_markdown"]
