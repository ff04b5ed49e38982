"""Tracker: a private, local-first journal of community support in recovery.

Importing this package is cheap on purpose: quick shell commands such as
``tracker log`` must start fast, so nothing here pulls in Textual or plotext.
"""

__version__ = "0.1.0"
