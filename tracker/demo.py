"""Demo data: a believable, warm journal of one to sixty years, for ``tracker demo``.

:func:`fill_demo` writes groups, attendance, people and contacts, service and find-your-fit
ratings into a new, empty journal, all in one transaction. The content depends only on the seed
and on ``today``: it draws from its own :class:`random.Random` and never reads the clock, so the
same seed and day give the same journal (only the row UUIDs and timestamps differ).

The story: someone starts at a home group, tries a few others (one of them is not for them),
finds a sponsor, a mentor and a peer recovery coach, takes on service, has holidays, colds and
one harder patch, and keeps going. Nothing is dated today or later, so today's meeting is left
for the person to log.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

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
from tracker.store.journal import Store

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
    """How many rows of each kind the demo wrote."""

    years: int
    groups: int
    attendance: int
    people: int
    contacts: int
    service: int
    fit_ratings: int


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


def _overlaps(stretch: _Stretch, others: Sequence[_Stretch]) -> bool:
    return any(stretch.start <= o.end and o.start <= stretch.end for o in others)


# --- writing ------------------------------------------------------------------------------------


def check_years(years: object) -> int:
    if isinstance(years, bool) or not isinstance(years, int) or not YEARS_MIN <= years <= YEARS_MAX:
        raise InvalidField("years", f"years: choose from {YEARS_MIN} to {YEARS_MAX}.")
    return years


def fill_demo(
    store: Store, *, years: int = 2, today: date, seed: int = 7, lapse: bool = False
) -> DemoSummary:
    """Fill a new, empty journal with ``years`` of believable history up to ``today``.

    With ``lapse`` the history ends in a quiet spell: no meetings, no sponsor contact and no
    service in the last three weeks, so that the engagement check and its suggestions show at
    once. The demo also fills in a sample profile, so the first-run questions are not asked.

    Raises :class:`InvalidField` for years outside 1..60 and :class:`TrackerError` when the
    journal already has entries; either way nothing is written. Everything is written in one
    transaction through the store's own methods, so each row is validated as usual (dates
    against the store's clock: pass ``today=store.today()``, or an earlier day).
    """
    years = check_years(years)
    if not store.is_empty():
        raise TrackerError(NOT_EMPTY_MESSAGE)
    story = _Story(random.Random(seed), today, years, lapse=lapse)
    group_fields = {group.key: story.group_fields(group) for group in _GROUPS}
    for group in _GROUPS:
        story.attendance_for(group, group_fields[group.key])
    for group in _GROUPS:
        story.ratings_for(group)
    for person in _PEOPLE:
        story.contacts_for(person)
    story.service()
    plan = story.plan
    plan.attendance.sort(key=lambda item: (item[1].date, item[1].time or dt.time.min))
    plan.contacts.sort(key=lambda item: item[1].date)
    plan.service.sort(key=lambda item: item[1].date)
    plan.ratings.sort(key=lambda item: item[1].date)

    with store.atomic():
        if not store.is_empty():  # checked again under the lock, in the transaction
            raise TrackerError(NOT_EMPTY_MESSAGE)
        store.set_weekly_goal(WEEKLY_GOAL, since=story.start)
        store.set_profile(DEMO_PROFILE)
        group_ids = {key: store.add_group(fields).id for key, fields in group_fields.items()}
        person_ids = {
            person.key: store.add_person(
                PersonFields(alias=person.alias, role=person.role, notes=person.notes)
            ).id
            for person in _PEOPLE
        }
        for key, entry in plan.attendance:
            store.log_attendance(replace(entry, group_id=group_ids[key]))
        for key, contact in plan.contacts:
            store.log_contact(replace(contact, person_id=person_ids[key]))
        for maybe_key, service in plan.service:
            group_id = group_ids[maybe_key] if maybe_key is not None else None
            store.add_service(replace(service, group_id=group_id))
        for key, rating in plan.ratings:
            store.add_rating(replace(rating, group_id=group_ids[key]))
    return DemoSummary(
        years=years,
        groups=len(group_ids),
        attendance=len(plan.attendance),
        people=len(person_ids),
        contacts=len(plan.contacts),
        service=len(plan.service),
        fit_ratings=len(plan.ratings),
    )
