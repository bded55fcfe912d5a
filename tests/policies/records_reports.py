"""Who may use the contingent reports and the student search (SR-6, SR-7).

Every office that reads student records (a curator: its group; a deanery: its
faculty) opens them; the figures and the students found are its scope's.
"""

from __future__ import annotations

from tests.policy import STRUCTURE_READERS, Policy

# VIEW on records somewhere: the structure readers except HR, who reads staff only.
RECORDS_READERS = STRUCTURE_READERS - {"hr"}

POLICY: dict[str, Policy] = {
    "records:contingent": Policy(RECORDS_READERS),
    "records:ministry-report": Policy(RECORDS_READERS),
    "records:search": Policy(RECORDS_READERS, data={"q": "асан"}),
    "records:search-json": Policy(RECORDS_READERS, data={"q": "асан"}),
}
