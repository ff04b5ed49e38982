"""Demo data: a believable, warm journal of one to sixty years, for ``tracker demo``.

:func:`fill_demo` writes groups, attendance, people and contacts, service and find-your-fit
ratings into a new, empty journal, all in one transaction. The content depends only on the seed
and on ``today``: it draws from its own :class:`random.Random` and never reads the clock, so the
same seed and day give the same journal (only the row UUIDs and timestamps differ).

The story: someone starts at a home group, tries a few others (one of them is not for them),
finds a sponsor, a mentor and a peer recovery coach, takes on service, has holidays, colds and
one harder patch, and keeps going. Nothing is dated today or later, so today's meeting is left
for the person to log.

Two bigger sizes are for benchmarks: ``heavy`` (ten years of about seven meetings a week across
40 groups) and ``stress`` (fifty years, over 100,000 meetings). They tell the same kind of story
at scale (see "heavy and stress journals" below). Every size is written in bulk: rows are checked
in Python as the store checks them, then each table is filled with one statement.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from tracker.domain import vocab
from tracker.domain.models import (
    AttendanceFields,
    ContactFields,
    FitFields,
    GroupFields,
    PersonFields,
    ServiceFields,
)
from tracker.domain.profile import Profile
from tracker.domain.schedules import Schedule, parse_schedule
from tracker.errors import InvalidField, TrackerError
from tracker.store.journal import (
    Store,
    attendance_values,
    contact_values,
    group_values,
    person_values,
    rating_values,
    service_values,
)

YEARS_MIN = 1
YEARS_MAX = 60
WEEKLY_GOAL = 2
RECENT_DAYS = 21  # no quiet stretch in the last three weeks: the dashboard should look alive
LAPSE_DAYS = 21  # with ``lapse``: no meetings, contacts or service in the last three weeks

NOT_EMPTY_MESSAGE = (
    "This journal already has entries; the demo only fills a new, empty journal. "
    "Try: tracker --db demo.db demo"
)


@dataclass(frozen=True)
class DemoSummary:
    """How many rows of each kind the demo wrote, and its size (normal, heavy or stress)."""

    years: int
    groups: int
    attendance: int
    people: int
    contacts: int
    service: int
    fit_ratings: int
    size: str = "normal"


# Sam's journal: a person in recovery who likes 12-step and secular groups, for whom time and
# transport are what get in the way.
DEMO_PROFILE = Profile(
    journal_for="me",
    approaches=("12-step", "secular"),
    formats=("in-person", "online", "hybrid"),
    barriers=("transport", "time"),
    asked=True,
)

# --- the cast -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _GroupPlan:
    key: str
    name: str
    pillar: str
    tags: tuple[str, ...]
    format: str
    location: str
    schedule: str  # in words, read by parse_schedule from the group's first week
    status: str
    slug: str | None
    notes: str
    first_week: int  # weeks after the journal starts
    attend: float  # chance of going to a scheduled meeting in an ordinary week
    share: float  # chance of sharing at a meeting attended
    last_week: int | None = None  # stopped going after this many weeks (paused, not for me)
    visits: int | None = None  # only ever went this many times
    log_missed: float = 0.2  # chance a missed meeting is logged as missed
    fit_start: tuple[int, int, int, int, int] = (4, 4, 4, 4, 4)
    fit_end: tuple[int, int, int, int, int] = (4, 4, 4, 4, 4)
    fit_notes: tuple[str, ...] = ()
    notes_pool: tuple[str, ...] = ()
    share_pool: tuple[str, ...] = ()
    missed_pool: tuple[str, ...] = ()


_GROUPS: tuple[_GroupPlan, ...] = (
    _GroupPlan(
        key="na",
        name="NA Downtown",
        pillar="peer",
        tags=("12-step", "peer-led"),
        format="in-person",
        location="Community centre, room 2",
        schedule="Tuesdays 7pm",
        status="home-group",
        slug="narcotics-anonymous",
        notes="My home group. Coffee from 6:40; the side door is open if the front is locked.",
        first_week=0,
        attend=0.88,
        share=0.4,
        fit_start=(4, 4, 3, 4, 4),
        fit_end=(5, 5, 5, 4, 5),
        fit_notes=(
            "Nervous at first, but people remembered my name by week two.",
            "This room feels like mine now.",
            "Nobody has ever made me feel odd about my medication here.",
            "Feels like home. Big meeting some weeks, but I know where to sit.",
            "Still the meeting I'd miss most.",
        ),
        notes_pool=(
            "Keyring handed out; the room clapped for ages.",
            "Chair asked me to read the preamble.",
            "Speaker meeting; twenty years of recovery in one story. Hope.",
            "Grabbed the phone list; two new numbers.",
            "Stayed after to stack chairs and chat.",
        ),
        share_pool=(
            "Said out loud that I'm on medication. Nobody blinked.",
            "Shared about a year of Tuesdays in this room. Got a hug at the end.",
        ),
        missed_pool=("Double shift.", "Bus didn't come; walked halfway and turned back."),
    ),
    _GroupPlan(
        key="smart",
        name="SMART Online",
        pillar="online",
        tags=("secular", "peer-led"),
        format="online",
        location="Online (link in my email)",
        schedule="Thursdays 6pm",
        status="regular",
        slug="smart-recovery-online",
        notes="Cameras optional. The facilitator posts the worksheet in the chat.",
        first_week=3,
        attend=0.75,
        share=0.35,
        fit_start=(4, 4, 4, 5, 4),
        fit_end=(4, 4, 5, 5, 4),
        fit_notes=(
            "The tools are practical. Easy to join from home after work.",
            "Good balance to the 12-step side of things.",
            "I like that it's about tools rather than labels.",
        ),
        notes_pool=(
            "Worked through a cost-benefit analysis.",
            "ABC tool on the argument with my brother. Useful.",
            "Good breakout on urge surfing.",
            "Facilitator shared a new worksheet.",
            "Camera off tonight; still useful.",
        ),
        share_pool=(
            "Shared my plan for the works party. Got two good ideas back.",
            "Talked through the hierarchy of values exercise.",
        ),
        missed_pool=("Wi-Fi down all evening.",),
    ),
    _GroupPlan(
        key="mara",
        name="MARA Tuesday Morning",
        pillar="peer",
        tags=("medication-friendly", "peer-led"),
        format="hybrid",
        location="Library meeting room, or online",
        schedule="Tuesdays 10:30am",
        status="regular",
        slug="mara",
        notes="Medication-assisted recovery meeting. Alex told me about it.",
        first_week=8,
        attend=0.5,
        share=0.3,
        fit_start=(5, 5, 3, 3, 4),
        fit_end=(5, 5, 4, 3, 5),
        fit_notes=(
            "Nice not to have to explain my medication.",
            "Mornings are hard with work, but the room gets my path completely.",
            "Smaller than NA and very honest.",
        ),
        notes_pool=(
            "Nice not to have to explain anything about my dose.",
            "Dose change talk; good advice from people further along.",
            "Small group, very honest.",
            "Talked about pharmacy pick-up hassles. Everyone had a story.",
        ),
        share_pool=("Shared about tapering worries. Heard lots of different paths.",),
        missed_pool=("Couldn't get the morning off work.",),
    ),
    _GroupPlan(
        key="hike",
        name="Sober Hiking Club",
        pillar="holistic",
        tags=("fitness",),
        format="in-person",
        location="Meets at the country park car park, by the visitor centre",
        schedule="every other Saturday 10:00",
        status="regular",
        slug="sober-hiking",
        notes="Bring water and a snack. Routes are posted in the group chat on Thursdays.",
        first_week=16,
        attend=0.65,
        share=0.1,
        log_missed=0.3,
        fit_start=(5, 3, 4, 3, 4),
        fit_end=(5, 4, 5, 3, 5),
        fit_notes=(
            "Easy to talk while walking side by side.",
            "Not a meeting exactly, but I come home lighter.",
            "Getting there without a car is the only hard part.",
        ),
        notes_pool=(
            "Muddy trail, good company.",
            "Seven miles and a flask of tea.",
            "Talked with Priya the whole way up.",
            "Rain all morning; we laughed about it.",
            "Saw a heron by the reservoir.",
            "Legs ache. Head clear.",
        ),
        share_pool=("Circle at the top of the hill; said what I was grateful for.",),
        missed_pool=("Walk called off: storm warning.", "Too icy; stayed in."),
    ),
    _GroupPlan(
        key="yoga",
        name="Recovery Yoga",
        pillar="holistic",
        tags=("mindfulness", "fitness"),
        format="in-person",
        location="Studio above the library",
        schedule="Mondays 6:30pm",
        status="regular",
        slug="recovery-yoga",
        notes="Mats provided. Gentle class; the teacher is in recovery too.",
        first_week=40,
        attend=0.55,
        share=0.05,
        fit_start=(4, 3, 3, 4, 4),
        fit_end=(4, 4, 4, 4, 4),
        fit_notes=(
            "Calmer than I expected. Stillness is hard for me, which is maybe the point.",
            "The check-in circle at the start is short and kind.",
        ),
        notes_pool=(
            "Slow flow. Shoulders finally dropped.",
            "Breathing practice helped with the racing thoughts.",
            "Hard to stay still; did it anyway.",
            "Lovely quiet at the end.",
        ),
        share_pool=("Said a few words in the check-in circle.",),
        missed_pool=("Back twinged at work; rested it.",),
    ),
    _GroupPlan(
        key="family",
        name="Nar-Anon Family Group",
        pillar="family",
        tags=("12-step", "family"),
        format="in-person",
        location="Church hall, side entrance",
        schedule="first Wednesday of the month 7pm",
        status="paused",
        slug="nar-anon",
        notes="Went with Mum so she could meet other families. She goes on her own now.",
        first_week=4,
        last_week=32,
        attend=0.8,
        share=0.15,
        fit_start=(4, 3, 4, 3, 3),
        fit_end=(4, 3, 4, 3, 3),
        fit_notes=(
            "Really for Mum, not me, and that's right. Glad she has it.",
            "Hearing the family side was humbling.",
        ),
        notes_pool=(
            "Went with Mum; she talked to another parent for ages.",
            "Heard what it's like from the family side. Humbling.",
            "Mum cried on the way home, the good kind.",
        ),
        share_pool=("Said thank you to Mum in front of everyone. Wobbly voice.",),
    ),
    _GroupPlan(
        key="step",
        name="Saturday Step Study",
        pillar="peer",
        tags=("12-step",),
        format="in-person",
        location="Church hall, main room",
        schedule="Saturdays 9am",
        status="not-for-me",
        slug=None,
        notes="Tried it a few times early on. A few people were dismissive about medication.",
        first_week=1,
        visits=3,
        attend=0.7,
        share=0.0,
        log_missed=0.0,
        fit_start=(3, 1, 2, 3, 2),
        fit_end=(2, 1, 2, 3, 1),
        fit_notes=(
            "Lots of talk about 'real' recovery meaning no medication. Left feeling small.",
            "Friendly enough one to one, but not the place for me right now.",
        ),
        notes_pool=(
            "Very big room; hard to get a word in.",
            "Someone said medication 'doesn't count'. Kept quiet, felt awful.",
            "Friendly enough, but it didn't feel like my place.",
        ),
    ),
)

# Notes for any meeting: what people really write, short and warm.
_LISTEN_NOTES = (
    "Listened mostly; good to be in the room.",
    "New chair, kind welcome.",
    "Quiet meeting, only eight of us. Felt closer somehow.",
    "Newcomer there tonight; remembered my first time.",
    "Someone shared exactly what I'd been thinking all week.",
    "Topic was acceptance. Took notes.",
    "Just sat with it today. That was enough.",
    "Arrived late, stayed for a cuppa after.",
    "Good reading on honesty. Want to come back to it.",
    "Met someone who also works nights.",
    "Tired, but glad I went.",
    "Went straight from work. Worth it.",
    "Lots of laughter tonight.",
    "Busy room, bit overwhelming, but okay.",
    "Felt a bit flat; going anyway is the point.",
    "Nice to see familiar faces after the holidays.",
    "Topic: [step 3] and letting go. A big one.",
    "Someone brought cake for their birthday. Two years!",
    "Left feeling lighter than I arrived.",
    "Sat next to someone new and showed them the ropes.",
)
_SHARE_NOTES = (
    "Shared about work stress.",
    "Talked about the anniversary coming up.",
    "Shared for the first time in a while. Voice shook, but I did it.",
    "Shared about a hard conversation with Mum.",
    "Shared about sleep being rough lately.",
    "Shared a small win: a whole week of cooking proper dinners.",
    "Talked about the job interview. Got good tips afterwards.",
    "Shared about gratitude; surprised how much I had to say.",
    "Short share about cravings on payday. Several people said same.",
    "Felt [bold] brave [/] today; shared about the court date.",
    "Shared about being a dad again, slowly.",
    "Talked about the dentist. Silly thing to be scared of, but I was.",
)
_MISSED_NOTES = (
    "Work ran late.",
    "Too tired; rested instead and texted Sam.",
    "Little one was poorly.",
    "Migraine.",
    "Forgot it was on. Next week.",
    "Car wouldn't start.",
)
_ILL_NOTES = ("Down with a cold; stayed home.", "Flu. Read the daily reflection in bed.")
_AWAY_NOTES = ("Away visiting family.", "On holiday; found the daily reading online instead.")
_HARD_NOTES = (
    "Rough week. Didn't make it; texted Sam.",
    "Couldn't face the room. Going next week.",
    "Stayed in. Called Jo instead of sitting with it alone.",
)
_BACK_NOTE = "First meeting back after a hard few weeks. Nobody made me feel bad about it."


@dataclass(frozen=True)
class _PersonPlan:
    key: str
    alias: str
    role: str
    notes: str
    first_week: int
    every_weeks: int  # roughly how often they talk
    chance: float  # chance of a contact in each such period
    methods: tuple[tuple[str, int], ...]  # (method, weight)
    first_note: str
    notes_pool: tuple[str, ...]


_PEOPLE: tuple[_PersonPlan, ...] = (
    _PersonPlan(
        key="sam",
        alias="Sam",
        role="sponsor",
        notes="My sponsor, from NA Downtown. Best to call after 6pm.",
        first_week=6,
        every_weeks=1,
        chance=0.85,
        methods=(("call", 45), ("text", 30), ("in-person", 22), ("video", 3)),
        first_note="Asked Sam to be my sponsor. They said yes!",
        notes_pool=(
            "Talked through step work.",
            "Quick check-in before the meeting.",
            "Called on a hard evening. Felt steadier after.",
            "Coffee after the meeting; read through my step notes.",
            "Talked about boundaries with my brother.",
            "Sam shared their own early days. Helped.",
            "Sent a photo from the hike.",
            "Just a hello text; the reply made my day.",
            "Went over my [inventory] list together.",
            "Talked about the job offer.",
            "Checked in on Dad's birthday; a hard day.",
        ),
    ),
    _PersonPlan(
        key="jo",
        alias="Jo",
        role="mentor",
        notes="Mentor from the recovery café. Coffee most weeks.",
        first_week=2,
        every_weeks=2,
        chance=0.8,
        methods=(("in-person", 55), ("video", 20), ("call", 15), ("text", 10)),
        first_note="First coffee with Jo. Easy to talk to.",
        notes_pool=(
            "Coffee and a walk by the canal.",
            "Talked about going back to college.",
            "Budget planning; felt more in control.",
            "Jo helped me plan for the wedding weekend.",
            "Talked about routines and sleep.",
            "Chatted about doing more service.",
        ),
    ),
    _PersonPlan(
        key="alex",
        alias="Alex",
        role="peer-coach",
        notes="Peer recovery coach from the aftercare programme.",
        first_week=0,
        every_weeks=3,
        chance=0.75,
        methods=(("in-person", 40), ("call", 40), ("video", 20)),
        first_note="First session with Alex; made a plan for finding meetings.",
        notes_pool=(
            "Check-in about the housing paperwork.",
            "Went over the recovery plan.",
            "Alex told me about the MARA meeting.",
            "Talked about what to say at the job centre.",
            "Follow-up after the appointment.",
            "Practised what to say to the GP about my dose.",
        ),
    ),
)

# Service: (group key or None, kind, minutes low, minutes high, notes, weight).
_SERVICE: tuple[tuple[str | None, str, int, int, tuple[str, ...], int], ...] = (
    ("na", "set-up", 25, 45, ("Set out the chairs and the literature table.", ""), 5),
    ("na", "coffee", 20, 40, ("Made the tea and coffee. Ran out of milk, oops.", ""), 5),
    ("na", "greeter", 20, 35, ("Greeted at the door; two newcomers.", ""), 3),
    ("smart", "moderator", 60, 90, ("Moderated; smooth meeting.", ""), 3),
    ("hike", "other", 120, 240, ("Carried the first-aid kit and walked at the back.", ""), 2),
    (None, "other", 60, 180, ("Helped at the recovery month picnic.", "Put up posters."), 1),
)
_CHAIR_NOTES = ("Chaired for the first time. Nervous; it went fine.", "Chaired; kept time well.")


# --- building the plan --------------------------------------------------------------------------


@dataclass
class _Plan:
    attendance: list[tuple[str, AttendanceFields]] = field(default_factory=list)
    contacts: list[tuple[str, ContactFields]] = field(default_factory=list)
    service: list[tuple[str | None, ServiceFields]] = field(default_factory=list)
    ratings: list[tuple[str, FitFields]] = field(default_factory=list)


@dataclass(frozen=True)
class _Stretch:
    start: date
    end: date  # inclusive
    kind: str  # "ill", "away" or "hard"

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


class _Story:
    """Draws one journal from ``rng``; reads nothing else but ``today`` and ``years``."""

    def __init__(self, rng: random.Random, today: date, years: int, *, lapse: bool) -> None:
        self.rng = rng
        self.today = today
        self.years = years
        self.lapse = lapse
        self.start = today - timedelta(days=round(years * 365.25))
        # Nothing is logged for today; a journal that ends in a lapse goes quiet three weeks ago.
        self.last_day = today - timedelta(days=LAPSE_DAYS + 1 if lapse else 1)
        self.stretches = self._stretches()
        self.plan = _Plan()
        self.attended: dict[str, list[date]] = {}

    # helpers

    def week(self, n: int) -> date:
        return self.start + timedelta(weeks=n)

    def note(self, pool: Sequence[str], chance: float) -> str:
        return self.rng.choice(pool) if pool and self.rng.random() < chance else ""

    def stretch_on(self, day: date) -> _Stretch | None:
        return next((s for s in self.stretches if s.covers(day)), None)

    def _stretches(self) -> list[_Stretch]:
        """Holidays, colds and one harder patch, never in the first fortnight or recent weeks."""
        rng = self.rng
        stretches: list[_Stretch] = []
        earliest = self.start + timedelta(days=14)
        latest = self.today - timedelta(days=RECENT_DAYS)
        for year in range(self.years + 1):
            base = self.start + timedelta(days=365 * year)
            wanted = [("away", rng.randint(7, 14))]
            if rng.random() < 0.7:
                wanted.append(("ill", rng.randint(4, 10)))
            for kind, length in wanted:
                begin = base + timedelta(days=rng.randint(0, 364))
                stretches.append(_Stretch(begin, begin + timedelta(days=length - 1), kind))
        middle = self.start + (self.today - self.start) * 11 // 20
        hard_len = rng.randint(18, 26)
        stretches.append(_Stretch(middle, middle + timedelta(days=hard_len - 1), "hard"))
        kept = [s for s in stretches if s.start >= earliest and s.end < latest]
        hard = [s for s in kept if s.kind == "hard"]
        # A holiday or cold never overlaps the harder patch: one story at a time.
        return sorted(
            hard + [s for s in kept if s.kind != "hard" and not _overlaps(s, hard)],
            key=lambda s: s.start,
        )

    # groups and attendance

    def group_fields(self, group: _GroupPlan) -> GroupFields:
        first = self.week(group.first_week)
        schedule = parse_schedule(group.schedule, today=first)
        assert schedule is not None
        status = group.status
        if status == "regular" and (self.today - schedule.start).days < 16 * 7:
            status = "trying"
        return GroupFields(
            name=group.name,
            pillar=group.pillar,
            tags=group.tags,
            format=group.format,
            location=group.location,
            schedule=schedule.to_text(),
            status=status,
            catalogue_slug=group.slug,
            notes=group.notes,
        ).validated()

    def attendance_for(self, group: _GroupPlan, fields: GroupFields) -> None:
        assert fields.schedule is not None
        schedule = Schedule.from_text(fields.schedule)
        rng = self.rng
        after = dt.datetime.combine(schedule.start, dt.time.min)
        # Today's meeting stays unlogged (and in a lapse, the last three weeks' meetings).
        before = dt.datetime.combine(self.last_day + timedelta(days=1), dt.time.min)
        until = self.week(group.last_week) if group.last_week is not None else self.today
        recent = self.today - timedelta(days=14)
        went: list[date] = []
        coming_back = False
        for moment in schedule.occurrences(after, before):
            day = moment.date()
            if day > until or (group.visits is not None and len(went) >= group.visits):
                break
            stretch = self.stretch_on(day)
            attended = False
            note = ""
            if stretch is not None and stretch.kind == "hard":
                coming_back = True
                attended = rng.random() < (0.35 if group.key == "na" else 0.15)
                if not attended:
                    if rng.random() < 0.5:
                        self.add_attendance(group, moment, False, rng.choice(_HARD_NOTES))
                    continue
            elif stretch is not None:
                if rng.random() < 0.35:
                    pool = _ILL_NOTES if stretch.kind == "ill" else _AWAY_NOTES
                    self.add_attendance(group, moment, False, rng.choice(pool))
                continue
            else:
                chance = group.attend
                if group.key == "na":  # the home group becomes a habit
                    chance = min(0.95, chance + 0.07 * min(1.0, (day - self.start).days / 180))
                if group.key == "hike" and day.month in (12, 1, 2):
                    chance *= 0.5
                attended = rng.random() < chance or (day >= recent and group.key in ("na", "smart"))
            if not attended:
                if rng.random() < group.log_missed:
                    missed = group.missed_pool + _MISSED_NOTES
                    self.add_attendance(group, moment, False, self.note(missed, 0.7))
                continue
            shared = rng.random() < group.share
            if coming_back and group.key == "na" and stretch is None:
                note = _BACK_NOTE
                coming_back = False
            elif shared:
                note = self.note(group.share_pool + _SHARE_NOTES, 0.6)
            else:
                extra: tuple[str, ...] = _LISTEN_NOTES if group.key != "step" else ()
                note = self.note(group.notes_pool * 2 + extra, 0.45)
            self.add_attendance(group, moment, True, note, shared=shared)
            went.append(day)
        self.attended[group.key] = went

    def add_attendance(
        self,
        group: _GroupPlan,
        moment: dt.datetime,
        attended: bool,
        note: str,
        *,
        shared: bool = False,
    ) -> None:
        entry = AttendanceFields(
            group_id=1,  # replaced by the real id when written
            date=moment.date(),
            time=moment.time(),
            attended=attended,
            shared=shared and attended,
            note=note,
        )
        self.plan.attendance.append((group.key, entry))

    # find-your-fit ratings

    def ratings_for(self, group: _GroupPlan) -> None:
        went = self.attended.get(group.key, [])
        if len(went) < 2:
            return
        rng = self.rng
        first, last = went[0], went[-1]
        life = max(1, (last - first).days)
        # First impressions after the second visit, a second look a few visits later, then
        # every three or four months while still going.
        due = [went[1]]
        notes = list(group.fit_notes)
        for day in went[1:]:
            if day < due[-1]:
                continue
            progress = (day - first).days / life
            scores = []
            for low, high in zip(group.fit_start, group.fit_end, strict=True):
                value = round(low + (high - low) * progress)
                if group.status != "not-for-me" and rng.random() < 0.2:
                    value += rng.choice((-1, 1))
                scores.append(max(1, min(5, value)))
            note = notes.pop(0) if notes and (len(due) == 1 or rng.random() < 0.5) else ""
            welcome, relevance, comfort, practical, would_return = scores
            self.plan.ratings.append(
                (
                    group.key,
                    FitFields(
                        group_id=1,  # replaced by the real id when written
                        date=day,
                        welcome=welcome,
                        relevance=relevance,
                        format_comfort=comfort,
                        practical=practical,
                        would_return=would_return,
                        note=note,
                    ),
                )
            )
            if group.status == "not-for-me":
                gap = 1
            elif len(due) == 1:
                gap = 7 * rng.randint(3, 5)
            else:
                gap = rng.randint(85, 130)
            due.append(day + timedelta(days=gap))

    # people and contacts

    def contacts_for(self, person: _PersonPlan) -> None:
        rng = self.rng
        begin = self.week(person.first_week)
        # Two quiet weeks with each person, somewhere in the first half (a holiday of theirs).
        gap_start = self.start + (self.today - self.start) * rng.randint(20, 45) // 100
        gap_end = gap_start + timedelta(days=rng.randint(14, 18))
        methods = [m for m, _ in person.methods]
        weights = [w for _, w in person.methods]
        period = person.every_weeks * 7
        made: list[date] = []
        after_gap = False
        day = begin
        while day <= self.last_day:
            window = min(period, (self.last_day - day).days + 1)
            when = day + timedelta(days=rng.randrange(window))
            day += timedelta(days=period)
            if gap_start <= when <= gap_end:
                after_gap = True
                continue
            stretch = self.stretch_on(when)
            chance = person.chance
            if stretch is not None and stretch.kind == "away":
                chance *= 0.3
            elif stretch is not None and stretch.kind == "hard" and person.key == "sam":
                chance = 1.0  # a sponsor is who you call when it is hard
            if not made:
                chance = 1.0
            if rng.random() >= chance:
                continue
            method = rng.choices(methods, weights)[0]
            if not made:
                note = person.first_note
            elif after_gap:
                note = f"Back in touch with {person.alias} after a couple of weeks. Good catch-up."
            elif stretch is not None and stretch.kind == "hard":
                note = rng.choice(
                    ("Hard week. Talked it through; made a plan for tomorrow.", "Rang at 11pm.")
                )
            elif stretch is not None and stretch.kind == "ill":
                method = "text"
                note = self.note(("Texted from bed; glad of the check-in.",), 0.6)
            else:
                note = self.note(person.notes_pool, 0.35)
            after_gap = False
            made.append(when)
            entry = ContactFields(person_id=1, date=when, method=method, note=note)
            self.plan.contacts.append((person.key, entry))
        if self.lapse:
            return
        if person.key == "sam" and (not made or (self.today - max(made)).days > 6):
            when = self.today - timedelta(days=rng.randint(1, 4))
            if when >= begin:
                note = "Quick call; all good this week."
                self.plan.contacts.append(
                    (person.key, ContactFields(person_id=1, date=when, method="call", note=note))
                )

    # service

    def service(self) -> None:
        rng = self.rng
        month = self.start + timedelta(days=35)
        while month <= self.last_day:
            end = min(month + timedelta(days=29), self.last_day)
            for _ in range(rng.choice((1, 2, 2, 2, 3))):
                self.one_service(month, end)
            month += timedelta(days=30)

    def one_service(self, begin: date, end: date) -> None:
        rng = self.rng
        chaired = any(entry.kind == "chair" for _, entry in self.plan.service)
        options = list(_SERVICE)
        months_in = (begin - self.start).days / 30
        if months_in >= 9:
            options.append(("na", "chair", 75, 90, _CHAIR_NOTES if not chaired else ("",), 1))
        if months_in >= 18:
            options.append(("na", "secretary", 30, 60, ("Secretary jobs: rota and the float.",), 1))
        if months_in >= 12 and rng.random() < 0.05:
            options.append(("na", "speaker", 15, 25, ("Told my story at the speaker meeting.",), 3))
        weights = [option[-1] for option in options]
        key, kind, low, high, notes, _ = rng.choices(options, weights)[0]
        if key is None:
            days = [
                begin + timedelta(days=n)
                for n in range((end - begin).days + 1)
                if self.stretch_on(begin + timedelta(days=n)) is None
            ]
        else:
            days = [d for d in self.attended.get(key, []) if begin <= d <= end]
        if kind == "moderator" and key is not None:
            started = self.attended.get(key, [])
            if not started or (begin - started[0]).days < 90:
                return
        if not days:
            return
        day = rng.choice(days)
        if any(s.date == day and s.kind == kind for _, s in self.plan.service):
            return
        minutes = rng.randrange(low, high + 1, 5)
        note = self.note(notes, 0.5)
        entry = ServiceFields(date=day, kind=kind, group_id=1, minutes=minutes, note=note)
        self.plan.service.append((key, entry))


# --- heavy and stress journals ------------------------------------------------------------------
#
# For benchmarks: the same kind of story, much bigger. The person keeps a number of weekly
# meeting *habits* (a Tuesday-evening meeting, a Saturday-morning one...). Each habit is kept at
# one group for a year or several, then at another, so groups come and go over the years. On top
# of the habits come a few groups tried once or twice, and some that meet every other week or
# once a month. The home group is the one habit that never changes. Holidays, colds and a harder
# patch now and then make the quieter spells; support people are in touch about weekly.


@dataclass(frozen=True)
class _Size:
    """How big a heavy or stress journal is; per-year figures scale with ``years``."""

    name: str
    years: int  # the default number of years
    groups: int
    habits: int  # weekly meetings kept up at once
    people: int  # people in touch at once, each about weekly
    people_total: int  # everyone in the journal, past and present
    service_per_year: int
    ratings_per_year: int
    weekly_goal: int


_SIZES = {
    "heavy": _Size(
        name="heavy",
        years=10,
        groups=40,
        habits=8,
        people=3,
        people_total=3,
        service_per_year=50,
        ratings_per_year=30,
        weekly_goal=5,
    ),
    "stress": _Size(
        name="stress",
        years=50,
        groups=200,
        habits=50,
        people=18,
        people_total=40,
        service_per_year=280,
        ratings_per_year=170,
        weekly_goal=21,
    ),
}
SIZES = ("normal", *_SIZES)
DEFAULT_YEARS = {"normal": 2} | {name: size.years for name, size in _SIZES.items()}
RAMP_WEEKS = 12  # the habits build up over the first three months
TRYING_DAYS = 16 * 7  # a group first visited this recently is still "trying"


@dataclass(frozen=True)
class _Kind:
    """A kind of group the big journals draw from: its words, notes and catalogue link."""

    key: str
    pillar: str
    tags: tuple[str, ...]
    formats: tuple[str, ...]
    slug: str | None
    names: tuple[str, ...]  # templates with {place}, {day} ("Tuesday") and {part} ("Evening")
    about: tuple[str, ...]  # the group's own notes
    notes: tuple[str, ...]  # meeting notes
    shares: tuple[str, ...]  # notes for a meeting the person shared at
    fit_notes: tuple[str, ...]
    share: float  # chance of sharing at a meeting attended
    weight: int  # how often it is chosen for a weekly habit (0: never)
    service: tuple[str, ...]  # service done there, in person
    online_slug: str | None = None
    outdoors: bool = False  # meets in daylight (see _fits)


_NA, _SMART, _MARA, _HIKE, _YOGA, _FAMILY, _STEP = _GROUPS

_KINDS: tuple[_Kind, ...] = (
    _Kind(
        key="na",
        pillar="peer",
        tags=("12-step", "peer-led"),
        formats=("in-person", "in-person", "hybrid", "online"),
        slug="narcotics-anonymous",
        online_slug="online-na-meetings",
        names=("NA {place}", "{place} NA Just for Today", "NA {place} {day} {part}"),
        about=(
            _NA.notes,
            "Big friendly room. The phone list goes round at the break.",
            "Candlelit format on the last week of the month.",
        ),
        notes=(
            *_NA.notes_pool,
            "Read the Just for Today together.",
            "Someone celebrated ten years. The whole room stood up.",
            "Gave a newcomer my number and told them to use it.",
        ),
        shares=(*_NA.share_pool, "Shared about what the keyrings mean to me now."),
        fit_notes=_NA.fit_notes,
        share=0.4,
        weight=5,
        service=("set-up", "coffee", "greeter", "chair", "secretary", "speaker"),
    ),
    _Kind(
        key="smart",
        pillar="peer",
        tags=("secular", "peer-led"),
        formats=("online", "in-person", "hybrid"),
        slug="smart-recovery",
        online_slug="smart-recovery-online",
        names=("SMART Recovery {place}", "SMART {day} Tools Meeting", "SMART {place} Evening"),
        about=(
            _SMART.notes,
            "Small group around one table. The facilitator brings spare worksheets.",
        ),
        notes=(*_SMART.notes_pool, "Did the change plan worksheet again; it has changed a lot."),
        shares=_SMART.share_pool,
        fit_notes=_SMART.fit_notes,
        share=0.35,
        weight=3,
        service=("set-up", "greeter", "chair"),
    ),
    _Kind(
        key="mara",
        pillar="peer",
        tags=("medication-friendly", "peer-led"),
        formats=("hybrid", "in-person", "online"),
        slug="mara",
        names=("MARA {place}", "MARA {day} {part}", "Medication-Assisted Recovery {place}"),
        about=(_MARA.notes, "Everyone here understands medication as part of recovery."),
        notes=_MARA.notes_pool,
        shares=_MARA.share_pool,
        fit_notes=_MARA.fit_notes,
        share=0.3,
        weight=2,
        service=("set-up", "coffee", "greeter", "chair"),
    ),
    _Kind(
        key="step",
        pillar="peer",
        tags=("12-step",),
        formats=("in-person", "online"),
        slug=None,
        names=("{place} Step Study", "{day} Big Book Study", "{place} Twelve and Twelve"),
        about=("A slow read of the steps, a chapter a week. Medication is no issue here.",),
        notes=(
            "Worked on step four together. Heavy going, but in good company.",
            "Everyone read a paragraph aloud.",
            "Good questions tonight; wrote some down for my sponsor.",
            "Short chapter, long discussion.",
        ),
        shares=("Shared what step three looks like for me, in plain words.",),
        fit_notes=("Slow, careful reading. Good for me.", "The step work is starting to click."),
        share=0.3,
        weight=2,
        service=("set-up", "coffee", "chair", "secretary"),
    ),
    _Kind(
        key="cafe",
        pillar="peer",
        tags=("peer-led", "harm-reduction"),
        formats=("in-person",),
        slug="recovery-community-organisation",
        names=("Recovery Café {place}", "{place} Recovery Hub Drop-in", "{place} Peer Circle"),
        about=("Drop-in with soup, board games and people who get it.",),
        notes=(
            "Soup and a chat; felt like family.",
            "Helped a new face find the noticeboard.",
            "Quiz night. Our table came last and laughed the whole time.",
            "Someone brought their dog. Best evening of the month.",
        ),
        shares=("Told the circle about the new job. Lots of cheering.",),
        fit_notes=("Easy, warm and no pressure to talk.", "A place to just be, which I needed."),
        share=0.2,
        weight=2,
        service=("coffee", "greeter", "set-up", "other"),
    ),
    _Kind(
        key="hike",
        pillar="holistic",
        tags=("fitness",),
        formats=("in-person",),
        slug="sober-hiking",
        names=("Sober Hiking {place}", "{place} Recovery Walkers"),
        about=(_HIKE.notes,),
        notes=_HIKE.notes_pool,
        shares=_HIKE.share_pool,
        fit_notes=_HIKE.fit_notes,
        share=0.1,
        weight=1,
        service=("other",),
        outdoors=True,
    ),
    _Kind(
        key="run",
        pillar="holistic",
        tags=("fitness",),
        formats=("in-person",),
        slug="recovery-running-club",
        names=("{place} Recovery Running Club", "{place} Recovery Runners"),
        about=("All paces welcome; nobody is left at the back on their own.",),
        notes=(
            "Slow 5k, lots of chat.",
            "New personal best. Told the whole group.",
            "Ran in the rain and loved it.",
            "Walked half of it and nobody minded.",
        ),
        shares=("Said a few words at the stretch about why I run now.",),
        fit_notes=("Good for my head and my sleep.", "Friendly at any pace."),
        share=0.1,
        weight=1,
        service=("other",),
        outdoors=True,
    ),
    _Kind(
        key="yoga",
        pillar="holistic",
        tags=("mindfulness", "fitness"),
        formats=("in-person", "online"),
        slug="recovery-yoga",
        names=("Recovery Yoga {place}", "{day} Recovery Yoga"),
        about=(_YOGA.notes,),
        notes=_YOGA.notes_pool,
        shares=_YOGA.share_pool,
        fit_notes=_YOGA.fit_notes,
        share=0.05,
        weight=1,
        service=("set-up", "greeter"),
    ),
    _Kind(
        key="meditation",
        pillar="holistic",
        tags=("mindfulness",),
        formats=("in-person", "online"),
        slug="mindfulness-meditation-groups",
        names=("{place} Meditation Circle", "{day} Mindfulness in Recovery"),
        about=("Twenty minutes sitting, then tea and a short reading.",),
        notes=(
            "Twenty minutes of quiet. Mind wandered; came back; that's the practice.",
            "Body scan. Noticed how tight my jaw was.",
            "Lovely reading about kindness to yourself.",
        ),
        shares=("Talked about using the breathing at work.",),
        fit_notes=("Calming. I sleep better on these nights.",),
        share=0.1,
        weight=1,
        service=("set-up", "greeter"),
    ),
    _Kind(
        key="art",
        pillar="holistic",
        tags=("creative",),
        formats=("in-person", "online"),
        slug="art-for-recovery",
        names=("Art for Recovery {place}", "{place} Recovery Writing Group"),
        about=("Materials provided. No talent needed, they say, and they mean it.",),
        notes=(
            "Painted the view from my window. Not bad!",
            "Wrote a letter to myself from a year ago.",
            "Collage night; glue everywhere; good laughs.",
        ),
        shares=("Read my short piece out loud. Hands shaking, heart full.",),
        fit_notes=("A different way to say things.", "Nice to make something with my hands."),
        share=0.2,
        weight=1,
        service=("set-up", "other"),
    ),
    _Kind(
        key="faith",
        pillar="holistic",
        tags=("faith-based",),
        formats=("in-person",),
        slug="faith-based-recovery",
        names=("{place} Faith in Recovery", "{place} Hope Fellowship"),
        about=("Church hall, side door. Everyone welcome, whatever they believe.",),
        notes=(
            "Quiet prayer at the start; felt held.",
            "Talked about hope and starting again.",
            "Shared supper afterwards.",
        ),
        shares=("Shared about forgiveness, for others and for me.",),
        fit_notes=("Gentle and welcoming; nobody pushes.",),
        share=0.2,
        weight=1,
        service=("set-up", "coffee", "greeter"),
    ),
    _Kind(
        key="family",
        pillar="family",
        tags=("12-step", "family"),
        formats=("in-person", "online"),
        slug="nar-anon",
        names=("Nar-Anon {place}", "{place} Family & Friends"),
        about=(_FAMILY.notes,),
        notes=_FAMILY.notes_pool,
        shares=_FAMILY.share_pool,
        fit_notes=_FAMILY.fit_notes,
        share=0.15,
        weight=0,
        service=("set-up", "coffee"),
    ),
    _Kind(
        key="alumni",
        pillar="professional",
        tags=("professional-led",),
        formats=("in-person", "hybrid"),
        slug="treatment-centre-alumni",
        names=("{place} Alumni Evening", "{place} Aftercare Group"),
        about=("Run by the treatment centre's alumni team. Staff are kind and down to earth.",),
        notes=(
            "Caught up with people from my time in treatment.",
            "Talk on planning for the holidays.",
            "Nice to see how far everyone has come.",
        ),
        shares=("Told the newer alumni what the first year was like for me.",),
        fit_notes=("Like coming back to where it started, in a good way.",),
        share=0.2,
        weight=0,
        service=("set-up", "greeter", "speaker"),
    ),
    _Kind(
        key="telehealth",
        pillar="online",
        tags=("professional-led", "medication-friendly"),
        formats=("online",),
        slug="telehealth-support-groups",
        names=(
            "Telehealth Support Group ({day})",
            "{day} {part} Recovery Circle",
            "{place} Telehealth Circle",
        ),
        about=("Led by a counsellor. Cameras optional; the chat is moderated.",),
        notes=(
            "Joined from the car on my lunch break.",
            "Good session on sleep and cravings.",
            "Small group tonight, very honest.",
        ),
        shares=("Talked about juggling work and appointments.",),
        fit_notes=("Easy to fit around work.", "Kind facilitator; practical tips."),
        share=0.25,
        weight=1,
        service=("moderator",),
    ),
)
_KIND = {kind.key: kind for kind in _KINDS}
_HABIT_KINDS = tuple(kind for kind in _KINDS if kind.weight > 0)
_MONTHLY_KINDS = ("family", "alumni", "art", "faith")
_FORTNIGHTLY_KINDS = ("hike", "run", "cafe", "meditation")

_PLACES = (
    "Downtown",
    "Riverside",
    "Northgate",
    "Harbour",
    "Old Town",
    "Westfield",
    "Eastside",
    "Millbrook",
    "Parkside",
    "Canal Street",
    "Station Road",
    "Hillcrest",
    "Oakwood",
    "Southbank",
    "Market Square",
    "Greenway",
    "Elm Street",
    "Brookside",
    "Kingsway",
    "Fairview",
    "Meadowbank",
    "Castle Hill",
    "Long Lane",
    "Bridge End",
)
_LOCATIONS = (
    "{place} community centre, room 2",
    "Church hall, {place}",
    "{place} library meeting room",
    "Recovery hub, {place}",
    "Above the café on {place} high street",
)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_TIMES = ("07:30", "09:00", "10:30", "12:30", "14:00", "17:30", "18:30", "19:30", "20:30")
_EVENINGS = ("17:30", "18:30", "19:30", "20:30")
_ORDINALS = ("first", "second", "third", "fourth")
_Cell = tuple[int, str]  # a weekly meeting's weekday (Monday 0) and time


def _part_of_day(at: str) -> str:
    if at < "12:00":
        return "Morning"
    return "Lunchtime" if at < "14:00" else "Afternoon" if at < "17:00" else "Evening"


def _fits(kind: _Kind, cell: _Cell) -> bool:
    """Outdoor groups meet in daylight: early in the morning, or at the weekend before 17:30."""
    weekday, at = cell
    return not kind.outdoors or at <= "09:00" or (weekday >= 5 and at < "17:30")


# More of what people write after a meeting, for the big journals.
_MORE_NOTES = (
    *_LISTEN_NOTES,
    "Good to see everyone.",
    "Heard a share about patience that I needed today.",
    "Came in tense, left calm.",
    "Stayed for the washing-up and a chat.",
    "The reading was about gratitude. Made a list on the bus home.",
    "Someone asked how I was and really listened.",
    "Bit of a quiet one. Still glad I came.",
    "Birthday cake for someone's five years.",
    "New format tonight; took a while to settle, then good.",
    "Walked home with a couple of people from the group.",
    "Heard my own story in someone else's words.",
    "Gave directions to a newcomer who was lost in the car park.",
)
_MORE_MISSED = (
    *_MISSED_NOTES,
    "Overtime at work.",
    "Train cancelled.",
    "Needed a quiet night in; that's okay too.",
    "Parents' evening at school.",
    "Stayed with a friend who needed company.",
)
_TRY_NOTES = (
    "First visit. Sat near the door.",
    "Very big room; hard to get a word in.",
    "Friendly enough, but it didn't feel like my place.",
    "Long way to get there on the bus.",
    "Interesting, though not quite my path.",
)
_TRY_FIT_NOTES = (
    *_STEP.fit_notes,
    "Kind people, but the format isn't for me.",
    "Too far to get to without a car.",
    "Nice room; not my path right now. Glad I tried it.",
)
_FIT_MORE = (
    "Feels more like mine each month.",
    "Still glad this is part of my week.",
    "People know my name here now.",
    "Fits around work better than I expected.",
    "The group has changed a bit, still good.",
    "Honest, kind, and practical.",
)
_LAST_NOTES = (
    "Last time for a while; the new shift pattern clashes. Said my goodbyes.",
    "Moving on to a meeting nearer home. Will miss these faces.",
    "Taking a break from this one. Left on good terms.",
)

# People of the big journals: first names for aliases, and notes by role.
_ALIASES = (
    "Sam", "Jo", "Priya", "Alex", "Morgan", "Dee", "Kofi", "Lena", "Ravi", "Tess",
    "Omar", "Bea", "Finn", "Nadia", "Luca", "Maya", "Theo", "Ines", "Kai", "Rosa",
    "Ade", "Ellis", "Hana", "Jonah", "Mira", "Pat", "Quinn", "Sol", "Uma", "Wren",
    "Bex", "Cal", "Dara", "Esme", "Gus", "Ivy", "Jude", "Lou", "Nico", "Ola",
)  # fmt: skip
_ROLE_NOTES = {
    "sponsor": "My sponsor. Best to call after 6pm.",
    "mentor": "Mentor; coffee most weeks.",
    "peer-coach": "Peer recovery coach from the aftercare programme.",
    "friend": "Friend from the meetings. We text most weeks.",
    "therapist": "Counsellor. Weekly sessions, sometimes by video.",
    "other": "Old friend who knows the whole story and stuck around.",
}
_ROLE_FIRST = {
    "sponsor": "Asked {alias} to be my sponsor. They said yes!",
    "mentor": "First coffee with {alias}. Easy to talk to.",
    "peer-coach": "First session with {alias}; made a plan for the month.",
}
_ROLE_METHODS = {
    "sponsor": _PEOPLE[0].methods,
    "mentor": _PEOPLE[1].methods,
    "peer-coach": _PEOPLE[2].methods,
    "therapist": (("in-person", 60), ("video", 40)),
}
_NAMED = re.compile(r"\b(Sam|Jo|Alex)\b")  # notes that name someone in the normal journal
_SUPPORT_NOTES = (
    *(note for note in _PEOPLE[0].notes_pool + _PEOPLE[1].notes_pool if not _NAMED.search(note)),
    "Talked about the week; nothing big, just good to check in.",
    "Long walk and a long talk.",
    "Sent a voice note about a good day.",
)
_COACH_NOTES = tuple(note for note in _PEOPLE[2].notes_pool if not _NAMED.search(note))
_FRIEND_NOTES = (
    "Film night.",
    "Texted about the match.",
    "Lunch in town; talked about everything and nothing.",
    "Checked in on each other after a long week.",
)
_GOODBYE_NOTE = "Last regular catch-up with {alias}; life is taking us different ways. Grateful."

# Service: (kind, minutes low, minutes high, notes).
_SERVICE_KINDS: dict[str, tuple[int, int, tuple[str, ...]]] = {
    "set-up": (
        25,
        45,
        ("Set out the chairs and the literature table.", "Set up early; quiet room."),
    ),
    "coffee": (20, 40, ("Made the tea and coffee. Ran out of milk, oops.", "Tea urn duty.")),
    "greeter": (20, 35, ("Greeted at the door; two newcomers.", "Welcomed people in the rain.")),
    "moderator": (60, 90, ("Moderated; smooth meeting.", "Handled the chat and the breakouts.")),
    "secretary": (30, 60, ("Secretary jobs: rota and the float.", "Updated the phone list.")),
    "chair": (75, 90, ("Chaired; kept time well.", "Chaired. Nervous at first, then fine.")),
    "speaker": (15, 25, ("Told my story at the speaker meeting.", "Spoke at a newcomers' night.")),
    "other": (
        60,
        240,
        (
            "Helped at the recovery month picnic.",
            "Put up posters.",
            "Walked at the back with the first-aid kit.",
        ),
    ),
}
_CHAIR_AFTER_DAYS = 270
_SECRETARY_AFTER_DAYS = 540

FitScores = tuple[int, int, int, int, int]


@dataclass(frozen=True)
class _Tenure:
    """One group of a big journal and when the person went: from ``begin`` to ``end``."""

    key: str
    kind: _Kind
    fields: GroupFields
    schedule: Schedule
    begin: date
    end: date  # inclusive: the last day they might go
    attend: float
    fit_start: FitScores
    fit_end: FitScores
    visits: int | None = None  # only ever went this many times
    home: bool = False
    log_missed: float = 0.25


@dataclass(frozen=True)
class _Bond:
    """One person of a big journal and when they are in touch: from ``begin`` to ``end``."""

    key: str
    fields: PersonFields
    begin: date
    end: date  # inclusive
    chance: float  # chance of a contact in a week
    methods: tuple[tuple[str, int], ...]
    pool: tuple[str, ...]
    ended: bool


class _BigStory:
    """Draws a heavy or stress journal from ``rng``; reads nothing else but its arguments."""

    def __init__(
        self, rng: random.Random, today: date, years: int, size: _Size, *, lapse: bool
    ) -> None:
        self.rng = rng
        self.today = today
        self.years = years
        self.size = size
        self.lapse = lapse
        self.start = today - timedelta(days=round(years * 365.25))
        self.last_day = today - timedelta(days=LAPSE_DAYS + 1 if lapse else 1)
        self.stretches = self._stretches()
        self.stretch_on: dict[date, _Stretch] = {
            s.start + timedelta(days=n): s
            for s in self.stretches
            for n in range((s.end - s.start).days + 1)
        }
        self.plan = _Plan()
        self.tenures: list[_Tenure] = []
        self.bonds: list[_Bond] = []
        self.names: set[str] = set()
        self.went: dict[str, list[date]] = {}

    def build(self) -> tuple[dict[str, GroupFields], dict[str, PersonFields], _Plan]:
        self.plan_groups()
        for tenure in self.tenures:
            self.attendance_for(tenure)
        self.ratings()
        self.plan_people()
        for bond in self.bonds:
            self.contacts_for(bond)
        self.service()
        groups = {t.key: t.fields for t in self.tenures}
        people = {b.key: b.fields for b in self.bonds}
        return groups, people, self.plan

    # helpers

    def note(self, pool: Sequence[str], chance: float) -> str:
        return self.rng.choice(pool) if pool and self.rng.random() < chance else ""

    def _stretches(self) -> list[_Stretch]:
        """Holidays and colds every year and a harder patch every five years or so, never in
        the first fortnight or the last three weeks, and never two at once."""
        rng = self.rng
        earliest = self.start + timedelta(days=14)
        latest = self.today - timedelta(days=RECENT_DAYS)
        span = (self.today - self.start).days
        hard: list[_Stretch] = []
        patches = max(1, round(self.years / 5))
        for n in range(patches):
            middle = self.start + timedelta(days=span * (2 * n + 1) // (2 * patches))
            begin = middle + timedelta(days=rng.randint(-60, 60))
            hard.append(_Stretch(begin, begin + timedelta(days=rng.randint(18, 26) - 1), "hard"))
        others: list[_Stretch] = []
        for year in range(self.years + 1):
            base = self.start + timedelta(days=365 * year)
            wanted = [("away", rng.randint(7, 14))]
            if rng.random() < 0.7:
                wanted.append(("ill", rng.randint(4, 10)))
            for kind, length in wanted:
                begin = base + timedelta(days=rng.randint(0, 364))
                stretch = _Stretch(begin, begin + timedelta(days=length - 1), kind)
                if not _overlaps(stretch, hard + others):
                    others.append(stretch)
        return sorted(
            (s for s in hard + others if s.start >= earliest and s.end < latest),
            key=lambda s: s.start,
        )

    def unique_name(self, kind: _Kind, cell: _Cell) -> str:
        rng = self.rng
        weekday, at = cell
        words = {"day": _WEEKDAYS[weekday], "part": _part_of_day(at)}
        for _ in range(50):
            name = rng.choice(kind.names).format(place=rng.choice(_PLACES), **words)
            if name.casefold() not in self.names:
                break
        number = 2
        base = name
        while name.casefold() in self.names:  # every combination taken: number it
            name, number = f"{base} {number}", number + 1
        self.names.add(name.casefold())
        return name

    def fit_curve(self, status: str) -> tuple[FitScores, FitScores]:
        rng = self.rng
        if status == "home-group":
            return (4, 4, 3, 4, 4), (5, 5, 5, 4, 5)
        if status == "not-for-me":
            begin = [rng.randint(2, 3) for _ in range(4)] + [2]
            end = [max(1, v - rng.randint(0, 1)) for v in begin[:4]] + [1]
        else:
            begin = [rng.randint(3, 4) for _ in range(5)]
            change = (-1, 0, 0) if status == "paused" else (0, 1, 1)
            end = [max(1, min(5, v + rng.choice(change))) for v in begin]
        w, r, f, p, b = begin
        w2, r2, f2, p2, b2 = end
        return (w, r, f, p, b), (w2, r2, f2, p2, b2)

    # groups

    def add_tenure(
        self,
        kind: _Kind,
        schedule_text: str,
        cell: _Cell,
        begin: date,
        end: date,
        *,
        attend: float,
        visits: int | None = None,
        home: bool = False,
        log_missed: float = 0.25,
    ) -> None:
        rng = self.rng
        schedule = parse_schedule(schedule_text, today=begin)
        assert schedule is not None
        fmt = rng.choice(kind.formats)
        place = rng.choice(_PLACES)
        if fmt == "online":
            location = "Online (link in my email)"
        elif fmt == "hybrid":
            location = f"{place} library, or online"
        else:
            location = rng.choice(_LOCATIONS).format(place=place)
        if home:
            status = "home-group"
        elif visits is not None:
            status = "not-for-me"
        elif end < self.last_day:
            status = "paused"
        elif (self.today - schedule.start).days < TRYING_DAYS:
            status = "trying"
        else:
            status = "regular"
        slug = kind.online_slug if fmt == "online" and kind.online_slug else kind.slug
        fields = GroupFields(
            name=self.unique_name(kind, cell),
            pillar=kind.pillar,
            tags=kind.tags,
            format=fmt,
            location=location,
            schedule=schedule.to_text(),
            status=status,
            catalogue_slug=slug,
            notes=rng.choice(kind.about),
        ).validated()
        fit_start, fit_end = self.fit_curve(status)
        self.tenures.append(
            _Tenure(
                key=f"g{len(self.tenures) + 1}",
                kind=kind,
                fields=fields,
                schedule=schedule,
                begin=begin,
                end=end,
                attend=attend,
                fit_start=fit_start,
                fit_end=fit_end,
                visits=visits,
                home=home,
                log_missed=0.0 if visits is not None else log_missed,
            )
        )

    def plan_groups(self) -> None:
        rng, size = self.rng, self.size
        extras = size.groups // 5
        tryouts = extras // 2
        monthly = (extras - tryouts) // 2
        # Weekly habits: evenings and weekend days first, each at its own day and time.
        cells = [(d, t) for d in range(7) for t in _TIMES]
        rng.shuffle(cells)
        cells.sort(key=lambda cell: not (cell[1] in _EVENINGS or cell[0] >= 5))
        habit_cells, spare = cells[: size.habits], cells[size.habits :]
        per_habit = [1] * size.habits
        for _ in range(size.groups - extras - size.habits):
            per_habit[rng.randrange(1, size.habits)] += 1  # the home group is habit 0, alone
        span_days = (self.last_day - self.start).days
        for habit, (cell, count) in enumerate(zip(habit_cells, per_habit, strict=True)):
            text = f"{_WEEKDAYS[cell[0]]}s {cell[1]}"
            begin = self.start + timedelta(weeks=habit * RAMP_WEEKS // size.habits)
            if habit == 0:
                self.add_tenure(
                    _KIND["na"], text, cell, begin, self.last_day, attend=0.88, home=True
                )
                continue
            # Cut the habit's years into ``count`` stays, none shorter than half the average.
            days = max(1, (self.last_day - begin).days)
            points = sorted(rng.random() for _ in range(count - 1))
            cuts = [round(days * (i / count + p) / 2) for i, p in enumerate(points, start=1)]
            for n, (low, high) in enumerate(zip([0, *cuts], [*cuts, days + 1], strict=True)):
                gap = rng.randint(0, 21) if n else 0  # a few weeks before settling somewhere new
                first = begin + timedelta(days=min(low + gap, max(low, high - 8)))
                last = begin + timedelta(days=high - 1)
                kind = self.habit_kind(cell)
                self.add_tenure(kind, text, cell, first, last, attend=rng.uniform(0.76, 0.94))
        # Extras, each at a day and time of its own while there are some left.
        for n in range(extras):
            if n < tryouts:
                cell = spare.pop() if spare else rng.choice(cells)
                kind = self.habit_kind(cell)
                first = self.start + timedelta(days=rng.randint(28, max(28, span_days - 56)))
                last = min(first + timedelta(weeks=10), self.last_day)
                text = f"{_WEEKDAYS[cell[0]]}s {cell[1]}"
                visits = rng.randint(1, 3)
                self.add_tenure(kind, text, cell, first, last, attend=0.8, visits=visits)
                continue
            if n < tryouts + monthly:
                kind = _KIND[rng.choice(_MONTHLY_KINDS)]
            else:
                kind = _KIND[rng.choice(_FORTNIGHTLY_KINDS)]
            fitting = [c for c in spare if _fits(kind, c)] or spare
            cell = fitting[-1] if fitting else rng.choice([c for c in cells if _fits(kind, c)])
            if cell in spare:
                spare.remove(cell)
            day, at = _WEEKDAYS[cell[0]], cell[1]
            if n < tryouts + monthly:
                text = f"{rng.choice(_ORDINALS)} {day} of the month {at}"
            else:
                text = f"every other {day} {at}"
            first = self.start + timedelta(days=rng.randint(0, span_days * 7 // 10))
            stay = timedelta(days=rng.randint(365, 6 * 365))
            last = self.last_day if rng.random() < 0.5 else min(first + stay, self.last_day)
            self.add_tenure(kind, text, cell, first, last, attend=0.8)

    def habit_kind(self, cell: _Cell) -> _Kind:
        kinds = [kind for kind in _HABIT_KINDS if _fits(kind, cell)]
        return self.rng.choices(kinds, [kind.weight for kind in kinds])[0]

    def attendance_for(self, tenure: _Tenure) -> None:
        rng = self.rng
        kind = tenure.kind
        after = dt.datetime.combine(tenure.begin, dt.time.min)
        before = dt.datetime.combine(tenure.end + timedelta(days=1), dt.time.min)
        recent = self.today - timedelta(days=14)
        missed_pool = _MORE_MISSED
        listen_pool = _TRY_NOTES if tenure.visits is not None else kind.notes + _MORE_NOTES
        share_pool = kind.shares + _SHARE_NOTES
        went: list[date] = []
        coming_back = False
        for moment in tenure.schedule.occurrences(after, before):
            day = moment.date()
            if tenure.visits is not None and len(went) >= tenure.visits:
                break
            stretch = self.stretch_on.get(day)
            if stretch is not None and stretch.kind == "hard":
                coming_back = True
                if rng.random() >= (0.35 if tenure.home else 0.15):
                    if rng.random() < 0.5:
                        self.add_attendance(tenure, moment, False, rng.choice(_HARD_NOTES))
                    continue
            elif stretch is not None:
                if rng.random() < 0.35:
                    pool = _ILL_NOTES if stretch.kind == "ill" else _AWAY_NOTES
                    self.add_attendance(tenure, moment, False, rng.choice(pool))
                continue
            else:
                chance = tenure.attend
                if tenure.home:  # the home group becomes a habit
                    chance = min(0.95, chance + 0.07 * min(1.0, (day - self.start).days / 180))
                if kind.key in ("hike", "run") and day.month in (12, 1, 2):
                    chance *= 0.6
                if rng.random() >= chance and not (tenure.home and day >= recent):
                    if rng.random() < tenure.log_missed:
                        self.add_attendance(tenure, moment, False, self.note(missed_pool, 0.8))
                    continue
            shared = rng.random() < kind.share
            if coming_back and tenure.home and stretch is None:
                note, coming_back = _BACK_NOTE, False
            elif shared:
                note = self.note(share_pool, 0.85)
            else:
                note = self.note(listen_pool, 0.8)
            self.add_attendance(tenure, moment, True, note, shared=shared)
            went.append(day)
        self.went[tenure.key] = went

    def add_attendance(
        self,
        tenure: _Tenure,
        moment: dt.datetime,
        attended: bool,
        note: str,
        *,
        shared: bool = False,
    ) -> None:
        entry = AttendanceFields(
            group_id=1,  # replaced by the real id when written
            date=moment.date(),
            time=moment.time(),
            attended=attended,
            shared=shared and attended,
            note=note,
        )
        self.plan.attendance.append((tenure.key, entry))

    # find-your-fit ratings

    def ratings(self) -> None:
        """First impressions after the second visit, a second look a few weeks later, then
        a rating every so often while still going: as often as makes about the size's number
        of ratings a year."""
        rng = self.rng
        rated = [t for t in self.tenures if len(self.went[t.key]) >= 2]
        target = self.size.ratings_per_year * self.years
        lives = sum((self.went[t.key][-1] - self.went[t.key][1]).days for t in rated)
        periodic = max(1, target - 2 * len(rated))
        # Each rating comes at the first meeting on or after its day: a little later than due.
        every = max(28, lives * 7 // (8 * periodic))
        for tenure in rated:
            went = self.went[tenure.key]
            first, last = went[0], went[-1]
            life = max(1, (last - first).days)
            due = went[1]
            notes = list(tenure.kind.fit_notes if tenure.visits is None else _TRY_FIT_NOTES)
            rng.shuffle(notes)
            count = 0
            for day in went[1:]:
                if day < due:
                    continue
                progress = (day - first).days / life
                scores = []
                for low, high in zip(tenure.fit_start, tenure.fit_end, strict=True):
                    value = round(low + (high - low) * progress)
                    if tenure.visits is None and rng.random() < 0.2:
                        value += rng.choice((-1, 1))
                    scores.append(max(1, min(5, value)))
                if notes and (count == 0 or rng.random() < 0.3):
                    note = notes.pop()
                else:
                    note = self.note(_FIT_MORE if tenure.visits is None else _TRY_FIT_NOTES, 0.6)
                welcome, relevance, comfort, practical, would_return = scores
                rating = FitFields(
                    group_id=1,  # replaced by the real id when written
                    date=day,
                    welcome=welcome,
                    relevance=relevance,
                    format_comfort=comfort,
                    practical=practical,
                    would_return=would_return,
                    note=note,
                )
                self.plan.ratings.append((tenure.key, rating))
                count += 1
                if tenure.visits is not None:
                    gap = 1
                elif count == 1:
                    gap = 7 * rng.randint(3, 5)
                else:
                    gap = rng.randint(every * 3 // 4, every * 5 // 4)
                due = day + timedelta(days=gap)

    # people and contacts

    def plan_people(self) -> None:
        rng, size = self.rng, self.size
        aliases = _ALIASES
        per_slot = [1] * size.people
        for _ in range(size.people_total - size.people):
            per_slot[rng.randrange(size.people)] += 1
        current_roles = ("sponsor", "mentor", "mentor", "peer-coach", "friend", "therapist")
        for slot, count in enumerate(per_slot):
            begin = self.start + timedelta(weeks=(0, 2, 6)[slot] if slot < 3 else rng.randint(0, 8))
            days = max(1, (self.last_day - begin).days)
            points = sorted(rng.random() for _ in range(count - 1))
            cuts = [round(days * (i / count + p) / 2) for i, p in enumerate(points, start=1)]
            for low, high in zip([0, *cuts], [*cuts, days + 1], strict=True):
                ended = high <= days
                if ended:
                    role = rng.choice(("friend", "other"))
                elif slot < len(current_roles):
                    role = current_roles[slot]
                else:
                    role = rng.choice(("friend", "peer-coach", "therapist", "other"))
                alias = aliases[len(self.bonds) % len(aliases)]
                if len(self.bonds) >= len(aliases):
                    alias = f"{alias} {len(self.bonds) // len(aliases) + 1}"
                support = role in vocab.SUPPORT_ROLES
                # Before they ended, they were a sponsor, mentor or coach too.
                pool_role = current_roles[slot % 3] if ended else role
                pool = (
                    _COACH_NOTES
                    if pool_role == "peer-coach"
                    else _SUPPORT_NOTES
                    if pool_role in vocab.SUPPORT_ROLES
                    else _FRIEND_NOTES
                )
                self.bonds.append(
                    _Bond(
                        key=f"p{len(self.bonds) + 1}",
                        fields=PersonFields(alias=alias, role=role, notes=_ROLE_NOTES[role]),
                        begin=begin + timedelta(days=low),
                        end=begin + timedelta(days=high - 1),
                        chance=0.88 if support or ended else 0.7,
                        methods=_ROLE_METHODS.get(
                            pool_role, (("text", 50), ("call", 30), ("in-person", 20))
                        ),
                        pool=pool,
                        ended=ended,
                    )
                )

    def contacts_for(self, bond: _Bond) -> None:
        rng = self.rng
        alias = bond.fields.alias
        role = bond.fields.role
        methods = [m for m, _ in bond.methods]
        weights = [w for _, w in bond.methods]
        end = min(bond.end, self.last_day)
        made: list[date] = []
        week = bond.begin
        quiet = False
        while week <= end:
            window = min(7, (end - week).days + 1)
            # A quiet week is made up for the week after.
            count = 1 if quiet or rng.random() < bond.chance else 0
            if count and rng.random() < 0.12:
                count = 2
            quiet = count == 0
            days = sorted(week + timedelta(days=rng.randrange(window)) for _ in range(count))
            week += timedelta(days=7)
            for when in days:
                stretch = self.stretch_on.get(when)
                if made and stretch is not None and stretch.kind == "away" and rng.random() < 0.6:
                    continue
                method = rng.choices(methods, weights)[0]
                first_note = _ROLE_FIRST.get(role, "First proper chat with {alias}.")
                if not made:
                    note = first_note.format(alias=alias)
                elif stretch is not None and stretch.kind == "hard":
                    note = rng.choice(
                        ("Hard week. Talked it through; made a plan for tomorrow.", "Rang at 11pm.")
                    )
                elif stretch is not None and stretch.kind == "ill":
                    method = "text"
                    note = self.note(("Texted from bed; glad of the check-in.",), 0.7)
                else:
                    note = self.note(bond.pool, 0.75)
                made.append(when)
                entry = ContactFields(person_id=1, date=when, method=method, note=note)
                self.plan.contacts.append((bond.key, entry))
        if bond.ended and made:
            when = made[-1]
            goodbye = ContactFields(
                person_id=1, date=when, method="in-person", note=_GOODBYE_NOTE.format(alias=alias)
            )
            self.plan.contacts[-1] = (bond.key, goodbye)
        if not self.lapse and role == "sponsor" and (not made or (self.today - made[-1]).days > 6):
            when = self.today - timedelta(days=rng.randint(1, 4))
            if when >= bond.begin:
                note = "Quick call; all good this week."
                self.plan.contacts.append(
                    (bond.key, ContactFields(person_id=1, date=when, method="call", note=note))
                )

    # service

    def service(self) -> None:
        """About the size's number of service entries a year, each on a day the person went to
        a meeting (a few are for no group at all), from the second month on."""
        rng = self.rng
        settled = self.start + timedelta(days=35)
        meetings = [
            (tenure, day)
            for tenure in self.tenures
            if tenure.visits is None
            for day in self.went[tenure.key]
            if day >= settled
        ]
        target = min(len(meetings), self.size.service_per_year * self.years)
        for tenure, day in rng.sample(meetings, target):
            group_key: str | None = tenure.key
            if rng.random() < 0.1:
                kind, group_key = "other", None
            else:
                stayed = (day - self.went[tenure.key][0]).days
                if tenure.fields.format == "online":
                    options = ["moderator"] + (["chair"] if stayed >= _CHAIR_AFTER_DAYS else [])
                else:
                    options = [
                        k
                        for k in tenure.kind.service
                        if (k != "chair" or stayed >= _CHAIR_AFTER_DAYS)
                        and (k not in ("secretary", "speaker") or stayed >= _SECRETARY_AFTER_DAYS)
                    ] or ["set-up"]
                kind = rng.choice(options)
            low, high, notes = _SERVICE_KINDS[kind]
            entry = ServiceFields(
                date=day,
                kind=kind,
                group_id=1,  # replaced by the real id when written (None: no group)
                minutes=rng.randrange(low, high + 1, 5),
                note=self.note(notes, 0.8),
            )
            self.plan.service.append((group_key, entry))


def _overlaps(stretch: _Stretch, others: Sequence[_Stretch]) -> bool:
    return any(stretch.start <= o.end and o.start <= stretch.end for o in others)


# --- writing ------------------------------------------------------------------------------------


def check_years(years: object) -> int:
    if isinstance(years, bool) or not isinstance(years, int) or not YEARS_MIN <= years <= YEARS_MAX:
        raise InvalidField("years", f"years: choose from {YEARS_MIN} to {YEARS_MAX}.")
    return years


def check_size(size: object) -> str:
    if not isinstance(size, str) or size not in SIZES:
        raise InvalidField("size", "size: choose normal, heavy or stress.")
    return size


def fill_demo(
    store: Store,
    *,
    years: int | None = None,
    today: date,
    seed: int = 7,
    lapse: bool = False,
    size: str = "normal",
) -> DemoSummary:
    """Fill a new, empty journal with ``years`` of believable history up to ``today``.

    ``size`` is ``normal`` (two years by default: a few meetings a week at half a dozen
    groups), ``heavy`` (ten years by default: about seven meetings a week across 40 groups,
    three sponsors or mentors in touch weekly, about 50 service entries and 30 fit ratings a
    year, notes on most entries) or ``stress`` (fifty years by default: about 40 meetings a
    week, over 100,000 in all, and proportionately more of everything else); the last two are
    for benchmarks. ``years`` (1..60) defaults to the size's own.

    With ``lapse`` the history ends in a quiet spell: no meetings, no sponsor contact and no
    service in the last three weeks, so that the engagement check and its suggestions show at
    once. The demo also fills in a sample profile, so the first-run questions are not asked.

    Raises :class:`InvalidField` for an unknown size or years outside 1..60, and
    :class:`TrackerError` when the journal already has entries; either way nothing is written.
    Every row is validated as the store's own methods validate it (dates against the store's
    clock: pass ``today=store.today()``, or an earlier day), then everything is written in one
    transaction, a table at a time.
    """
    size = check_size(size)
    years = check_years(DEFAULT_YEARS[size] if years is None else years)
    if not store.is_empty():
        raise TrackerError(NOT_EMPTY_MESSAGE)
    rng = random.Random(seed)
    if size == "normal":
        story = _Story(rng, today, years, lapse=lapse)
        group_fields = {group.key: story.group_fields(group) for group in _GROUPS}
        for group in _GROUPS:
            story.attendance_for(group, group_fields[group.key])
        for group in _GROUPS:
            story.ratings_for(group)
        for person in _PEOPLE:
            story.contacts_for(person)
        story.service()
        people = {
            person.key: PersonFields(alias=person.alias, role=person.role, notes=person.notes)
            for person in _PEOPLE
        }
        plan, start, goal = story.plan, story.start, WEEKLY_GOAL
    else:
        big = _BigStory(rng, today, years, _SIZES[size], lapse=lapse)
        group_fields, people, plan = big.build()
        start, goal = big.start, _SIZES[size].weekly_goal
    plan.attendance.sort(key=lambda item: (item[1].date, item[1].time or dt.time.min))
    plan.contacts.sort(key=lambda item: item[1].date)
    plan.service.sort(key=lambda item: item[1].date)
    plan.ratings.sort(key=lambda item: item[1].date)
    _write(store, plan, group_fields, people, start=start, goal=goal)
    return DemoSummary(
        years=years,
        groups=len(group_fields),
        attendance=len(plan.attendance),
        people=len(people),
        contacts=len(plan.contacts),
        service=len(plan.service),
        fit_ratings=len(plan.ratings),
        size=size,
    )


_STAGING = "demo_staging"  # a temporary table, dropped again in the same transaction


def _write(
    store: Store,
    plan: _Plan,
    groups: dict[str, GroupFields],
    people: dict[str, PersonFields],
    *,
    start: date,
    goal: int,
) -> None:
    """Validate every row, then write them all in one transaction with one ``executemany`` per
    table (the search index's triggers fire as usual)."""
    today = store.today()
    group_rows = [group_values(fields.validated()) for fields in groups.values()]
    person_rows = [person_values(fields.validated()) for fields in people.values()]
    with store.atomic() as db:
        if not store.is_empty():  # checked again under the lock, in the transaction
            raise TrackerError(NOT_EMPTY_MESSAGE)
        store.set_weekly_goal(goal, since=start)
        store.set_profile(DEMO_PROFILE)
        stamp = store.clock.timestamp()
        new_uuid = store._new_uuid  # the store's own, so a test's fixed UUIDs apply here too

        def insert(table: str, rows: list[dict[str, Any]]) -> None:
            """The rows go into a temporary table first (``executemany``), then into ``table``
            in one ``INSERT ... SELECT``. One statement per row would make the search index
            (FTS5) write its pending words out after every row: five times slower."""
            if not rows:
                return
            names = ", ".join(["uuid", "created_at", "updated_at", *rows[0]])
            db.execute(f"CREATE TEMP TABLE {_STAGING} ({names})")
            db.conn.executemany(
                f"INSERT INTO temp.{_STAGING} VALUES ({', '.join('?' * (len(rows[0]) + 3))})",
                ([new_uuid(), stamp, stamp, *row.values()] for row in rows),
            )
            db.execute(
                f"INSERT INTO {table} ({names}) SELECT {names} FROM temp.{_STAGING} ORDER BY rowid"
            )
            db.execute(f"DROP TABLE temp.{_STAGING}")

        insert("groups", group_rows)
        insert("people", person_rows)
        by_name = {row["name"]: row["id"] for row in db.query("SELECT id, name FROM groups")}
        by_alias = {row["alias"]: row["id"] for row in db.query("SELECT id, alias FROM people")}
        group_ids = {key: by_name[row["name"]] for key, row in zip(groups, group_rows, strict=True)}
        person_ids = {
            key: by_alias[row["alias"]] for key, row in zip(people, person_rows, strict=True)
        }
        # Each row is checked with its stand-in id (1); the real id goes into its values.
        insert(
            "attendance",
            [
                {**attendance_values(entry.validated(today=today)), "group_id": group_ids[key]}
                for key, entry in plan.attendance
            ],
        )
        insert(
            "contacts",
            [
                {**contact_values(entry.validated(today=today)), "person_id": person_ids[key]}
                for key, entry in plan.contacts
            ],
        )
        insert(
            "service",
            [
                {
                    **service_values(entry.validated(today=today)),
                    "group_id": None if key is None else group_ids[key],
                }
                for key, entry in plan.service
            ],
        )
        insert(
            "fit_ratings",
            [
                {**rating_values(entry.validated(today=today)), "group_id": group_ids[key]}
                for key, entry in plan.ratings
            ],
        )
