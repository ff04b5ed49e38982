"""The help screen: every key, and how the numbers on the dashboard are worked out."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

HELP = [
    (
        "Anywhere",
        [
            ("1 … 7", "Home, Groups, Meetings, People, Service, Fit, Compare"),
            ("8 9 0", "Progress (charts), Suggestions (groups to try), Review"),
            ("t", "the timeline: everything in date order, with milestones"),
            ("b", "the meeting directory: imported meeting lists, offline"),
            ("/", "search the journal (in a field, / just types a /)"),
            ("ctrl+p", "the command palette: every action by name"),
            ("ctrl+t", "switch between the light and dark theme"),
            ("ctrl+l", "hide the screen at once, even in a form (see Privacy)"),
            ("?", "this help"),
            ("Esc", "back to Home (or close a form)"),
            ("ctrl+q", "quit; everything is already saved"),
        ],
    ),
    (
        "Home",
        [
            ("l", "log the highlighted meeting, or open the short form"),
            ("a", "log any other meeting"),
            ("w", "set your weekly goal"),
            ("s", "settings: your profile, goal, privacy and the engagement thresholds"),
            ("x", "excuse a week (illness, travel, other)"),
            ("i", "suggestions: groups you might try, and why"),
            ("g p f", "Groups, People, Fit"),
            ("m c", "Meetings, Compare"),
        ],
    ),
    (
        "Review",
        [
            ("p c", "the last 30 days, 90 days, this year; or your own dates"),
            ("e", "export it as Markdown or a printable page (only what the screen shows)"),
            ("m", "mentor view: the review alone, read-only; Esc leaves"),
        ],
    ),
    (
        "Search and Timeline",
        [
            ("coffee chair", "entries with both words; meeting also finds meetings"),
            ('"first time"', "a phrase;  shar* words that start with it;  call OR text"),
            ("-online", "leave out entries with a word (or NOT online)"),
            ("kind:contact", "only one kind: meeting, contact, service, fit, group, person"),
            ("group: person:", "one group or person, by name or its start; person:sponsor"),
            ("method:", "how a contact was made: call, text, in-person, video"),
            ("since: until:", 'dates in plain words: since:march, until:"last week", in:2025'),
            ("↓ Tab Enter", "from the search box to the results; Enter opens the entry"),
            ("Timeline: f", "filter with the same words; Enter opens the highlighted entry"),
        ],
    ),
    (
        "Meeting directory",
        [
            ("f", "filter by words; Tab moves to day, time, way and type"),
            ("a", "add the highlighted meeting to your groups, with its schedule"),
            ("c", "copy its link (or phone number, or address)"),
            ("x", "clear the filters"),
            ("Import", "from the shell: tracker meetings import FILE-OR-ADDRESS"),
        ],
    ),
    (
        "Lists",
        [
            ("a", "add"),
            ("Enter or e", "edit the highlighted entry"),
            ("d", "delete it (you are always asked first)"),
            ("Groups: n", "add a group by hand (a picks from the catalogue)"),
            ("Groups: l r", "log a meeting of the group, rate how it fits"),
            ("People: c", "log a call, text or coffee; Tab moves to the contacts list"),
        ],
    ),
    (
        "Forms",
        [
            ("Tab", "next field"),
            ("Enter or ctrl+s", "save"),
            ("Esc", "cancel; nothing is written"),
            ("Dates", "today, yesterday, tue, last tue, 3 days ago, 20 Nov, 2026-11-20"),
            ("Meets", "Tuesdays 7pm, every other Saturday 10:00, first Monday of the month 18:30"),
        ],
    ),
    (
        "Privacy",
        [
            ("ctrl+l", "a plain page at once; Esc or ctrl+l again comes back to where you were"),
            ("", "an encrypted journal locks instead: its passphrase brings it back"),
            ("Discreet mode", "a title bar with only the date (s on Home, or tracker --discreet)"),
            ("Lock by itself", "an encrypted journal can lock after a few quiet minutes (s)"),
        ],
    ),
]

NUMBERS = (
    "This week counts the meetings you went to from Monday to today, against your weekly goal "
    "(w changes it). The bars show the last 12 weeks, one bar per week, full height at twice "
    "your goal. A missed week is just a week: nothing resets and nothing is lost.\n"
    "Strength (0–100%) grows with each week you meet your goal and eases down gently in a "
    "week you don't, like a habit: one quiet week never wipes it out, and an excused week "
    "leaves it as it was. The README explains the formula.\n"
    "People shows how many days since you last logged a contact with each sponsor, mentor or "
    "coach; it turns yellow after a week.\n"
    "Fit ratings are 1–5 on five dimensions; a rating's overall score is the mean of the five."
)


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Close"),
        Binding("question_mark", "dismiss", "Close", show=False),
        Binding("q", "dismiss", "Close", show=False),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="help"):
            yield Static(Text("Keys and numbers", style="bold"))
            with VerticalScroll():
                for section, keys in HELP:
                    yield Static(Text(f"\n{section}", style="bold underline"))
                    # A grid, so a long line wraps under its own column, not under the keys.
                    grid = Table.grid(padding=(0, 1))
                    grid.add_column(width=17, no_wrap=True, style="bold cyan")
                    grid.add_column(ratio=1)
                    for key, what in keys:
                        grid.add_row(Text(f"  {key}"), Text(what))
                    yield Static(grid)
                text = Text()
                text.append("\nHow the numbers work\n", style="bold underline")
                text.append(NUMBERS)
                text.append(
                    "\n\nYour journal stays in one file on this computer. Nothing is sent "
                    "anywhere.",
                    style="dim",
                )
                yield Static(text)
            yield Static(Text("Esc closes", style="dim"))

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)
