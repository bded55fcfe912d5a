"""Who may use a route: the vocabulary of the authorization matrix and of tests/policies/."""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from types import ModuleType

from tests.conftest import CAST_NAMES

ANONYMOUS = "anonymous"
EVERYONE = frozenset(CAST_NAMES)
# Institution-wide EDIT on accounts: the system administrator, and the
# vice-rector, whose APPROVE on accounts includes it.
ACCOUNT_ADMINS = frozenset({"admin", "vice_rector"})
# Institution-wide VIEW on the audit module.
AUDIT_READERS = frozenset({"admin", "vice_rector", "deanery_a", "deanery_b"})
# VIEW on structure or records anywhere (the curator through records, in group 1).
STRUCTURE_READERS = frozenset(
    {
        "admin",
        "vice_rector",
        "records_office",
        "cashier",
        "deanery_a",
        "deanery_b",
        "curator",
        "hr",
        "academic_affairs",
    }
)
# Those reading faculty A's group 1: deanery B is refused.
GROUP_A_READERS = STRUCTURE_READERS - {"deanery_b"}
# Keeping the structure: the records office (AC-2) and the administrator.
STRUCTURE_WRITERS = frozenset({"admin", "records_office"})


@dataclass(frozen=True)
class Policy:
    """Who may use a route, and how the test calls it.

    allowed: cast members who get `ok` (others signed in get `refused`).
    public: anonymous visitors get `ok` too (otherwise: login redirect or 401).
    method: the method to try; a route that only takes POST answers 405 to GET.
    kwargs: name of the fixture-made object whose URL kwargs the route takes.
    data: the body (or query) sent with the request.
    """

    allowed: frozenset[str]
    ok: tuple[int, ...] = (200,)
    public: bool = False
    method: str = "get"
    kwargs: str = ""
    refused: tuple[int, ...] = (404,)
    data: dict | None = field(default=None, hash=False)


SIGNED_IN = Policy(EVERYONE)
PUBLIC = Policy(EVERYONE, public=True)
REDIRECTS_HOME = Policy(EVERYONE, ok=(302,))


def app_policy_modules() -> list[ModuleType]:
    """The modules of tests/policies/, one per app, in name order."""
    import tests.policies as package

    return [
        importlib.import_module(f"{package.__name__}.{info.name}")
        for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name)
    ]
