"""Plain domain rules: vocabularies, dates, schedules, the catalogue, weekly summaries.

Nothing in this package imports Textual, Rich or plotext, so it is fast to import and easy to
test without a terminal.
"""
