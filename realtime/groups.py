"""Channel-group names, built in one place.

Every group a consumer joins or an action publishes to is named by a function
here, so a typo cannot split one audience into two silent halves. Names are
`area.<id>`; Channels allows ASCII letters, digits, hyphens, underscores and
periods, shorter than 100 characters.
"""

from __future__ import annotations

import re

_VALID_GROUP = re.compile(r"^[a-z]+\.[0-9A-Za-z_-]+$")
MAX_GROUP_LENGTH = 99


def group_user(user_id: int) -> str:
    """Every open tab of one user: their notifications and personal live events."""
    return f"user.{_positive_id(user_id)}"


def group_academic(group_id: int) -> str:
    """Everyone following one academic group live: its curator, its office pages."""
    return f"academic.{_positive_id(group_id)}"


def group_chat(chat_id: int) -> str:
    """The open sockets of one chat's members."""
    return f"chat.{_positive_id(chat_id)}"


def group_course(course_id: int) -> str:
    """The open journal and sheet pages of one course (grades.Course)."""
    return f"course.{_positive_id(course_id)}"


def group_office(code: str) -> str:
    """The open pages of one office (`records`, `hr`…), for changes to the lists they show."""
    if not re.fullmatch(r"[a-z_]+", code):
        raise ValueError(f"{code!r} is not an office code")
    return f"office.{code}"


def is_valid_group(name: str) -> bool:
    """Whether `name` is a group name built by this module's scheme (`area.<id>`)."""
    return (
        isinstance(name, str) and len(name) <= MAX_GROUP_LENGTH and bool(_VALID_GROUP.match(name))
    )


def validate_group(name: str) -> str:
    """Return `name` unchanged, or raise ValueError if it is not a valid group name."""
    if not is_valid_group(name):
        raise ValueError(f"{name!r} is not a channel-group name built by realtime.groups")
    return name


def _positive_id(value: int) -> int:
    # bool is an int subclass: group_user(True) would silently become "user.1".
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"{value!r} is not a positive integer id")
    return value


def group_class(class_id: int) -> str:
    """The open sockets of one online class (realtime.classes.OnlineClass)."""
    return f"class.{_positive_id(class_id)}"


def group_proctor(test_id: int) -> str:
    """The open live grids of one test's proctors (proctoring)."""
    return f"proctor.{_positive_id(test_id)}"
