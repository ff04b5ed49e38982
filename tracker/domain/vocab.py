"""The fixed vocabularies of the journal: codes stored in the database and the words shown for them.

Codes are short, stable and lower-case; they are what the database CHECK constraints, the JSON
export and the catalogue use. Labels are what a person reads.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from tracker.errors import InvalidField

PILLARS: dict[str, str] = {
    "peer": "Peer support",
    "family": "Family support",
    "professional": "Professional",
    "online": "Online",
    "holistic": "Holistic",
}

FORMATS: dict[str, str] = {
    "in-person": "In person",
    "online": "Online",
    "hybrid": "Hybrid",
}

STATUSES: dict[str, str] = {
    "trying": "Trying",
    "regular": "Regular",
    "home-group": "Home group",
    "paused": "Paused",
    "not-for-me": "Not for me",
}

# Approach tags a group can carry. The list is open: a person may add their own tag, as long
# as it is a short word or two (see ``normalise_tag``).
APPROACH_TAGS: dict[str, str] = {
    "12-step": "12-step",
    "secular": "Secular / CBT",
    "medication-friendly": "Medication-assisted friendly",
    "faith-based": "Faith-based",
    "mindfulness": "Mindfulness",
    "fitness": "Fitness",
    "creative": "Creative",
    "peer-led": "Peer-led",
    "professional-led": "Professionally led",
    "family": "For families",
    "harm-reduction": "Harm reduction",
}

AUDIENCES: dict[str, str] = {
    "recovery": "Person in recovery",
    "family": "Family and friends",
    "both": "Both",
}

BARRIERS: dict[str, str] = {
    "stigma": "Stigma or shame",
    "transport": "Transport",
    "time": "Time",
    "where-to-start": "Not knowing where to start",
    "fear-of-unknown": "Fear of the unknown",
}

# Who a journal is for (the first-run question).
JOURNAL_FOR: dict[str, str] = {
    "me": "Me, a person in recovery",
    "loved-one": "Supporting a loved one",
}

# The approaches a person can say they prefer. Each is an approach tag, except "holistic",
# which a group has when its pillar is holistic or it carries a holistic tag (see
# ``preferred_approaches_of``).
PREFERRED_APPROACHES: dict[str, str] = {
    "12-step": "12-step",
    "secular": "Secular / CBT",
    "medication-friendly": "Medication-assisted friendly",
    "faith-based": "Faith-based",
    "holistic": "Holistic (mindfulness, fitness, creative)",
}

HOLISTIC_TAGS = ("mindfulness", "fitness", "creative")

# Why a week is excused. An excused week never counts against anyone.
EXCUSE_REASONS: dict[str, str] = {
    "illness": "Illness",
    "travel": "Travel",
    "other": "Other",
}

ROLES: dict[str, str] = {
    "sponsor": "Sponsor",
    "mentor": "Mentor",
    "peer-coach": "Peer recovery coach",
    "therapist": "Therapist or counsellor",
    "friend": "Friend",
    "other": "Other",
}

# Roles whose gaps in contact the dashboard and ``tracker status`` point out.
SUPPORT_ROLES = ("sponsor", "mentor", "peer-coach")

CONTACT_METHODS: dict[str, str] = {
    "call": "Call",
    "text": "Text",
    "in-person": "In person",
    "video": "Video",
}

SERVICE_KINDS: dict[str, str] = {
    "set-up": "Set up chairs",
    "coffee": "Made coffee",
    "greeter": "Greeted newcomers",
    "moderator": "Moderated online",
    "secretary": "Secretary or treasurer",
    "chair": "Chaired",
    "speaker": "Spoke",
    "other": "Other",
}

# Find-your-fit dimensions, in the order they are asked and shown.
FIT_DIMENSIONS: dict[str, str] = {
    "welcome": "Felt welcome",
    "relevance": "Relevant to my path",
    "format_comfort": "Format and size comfort",
    "practical": "Practical fit",
    "would_return": "Would return",
}

# Short names for narrow columns.
FIT_SHORT: dict[str, str] = {
    "welcome": "Welcome",
    "relevance": "My path",
    "format_comfort": "Format & size",
    "practical": "Practical fit",
    "would_return": "Would return",
}

FIT_HELP: dict[str, str] = {
    "welcome": "Did people make you feel welcome?",
    "relevance": "Does it fit your path, including medication-assisted recovery?",
    "format_comfort": "Were you comfortable with the format and the size of the group?",
    "practical": "Time, place, transport: does it work in your week?",
    "would_return": "Would you go back?",
}

_TAG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,29}$")


def label(vocabulary: dict[str, str], code: str | None) -> str:
    """The words for ``code``, or the code itself when it is not in the vocabulary."""
    if code is None:
        return ""
    return vocabulary.get(code, code)


def check_code(field: str, vocabulary: dict[str, str], value: str) -> str:
    """Accept a code or its label (any case); return the code, or raise InvalidField."""
    text = (value or "").strip().lower()
    for code, words in vocabulary.items():
        if text in (code, words.lower(), code.replace("-", " ")):
            return code
    choices = ", ".join(vocabulary)
    raise InvalidField(field, f"{field} must be one of: {choices} (got {value!r}).")


def normalise_tag(value: str) -> str:
    """Turn a typed tag into its stored form, or raise InvalidField."""
    text = (value or "").strip().lower()
    for code, words in APPROACH_TAGS.items():
        if text in (code, words.lower()):
            return code
    text = re.sub(r"[\s_/]+", "-", text)
    if not _TAG_RE.match(text):
        raise InvalidField(
            "tags",
            f"Tag {value!r} should be a short word or two (letters, digits and dashes, up to 30).",
        )
    return text


def preferred_approaches_of(pillar: str, tags: Iterable[str]) -> set[str]:
    """The preferred-approach codes a group or catalogue entry has, from its pillar and tags."""
    tag_set = set(tags)
    found = {code for code in PREFERRED_APPROACHES if code in tag_set}
    if pillar == "holistic" or tag_set & set(HOLISTIC_TAGS):
        found.add("holistic")
    return found
