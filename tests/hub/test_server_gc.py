"""The ASGI module tunes the collector of the process that loads it (hub/server_gc.py)."""

import gc

from hub.server_gc import YOUNG_THRESHOLD


def test_loading_the_asgi_application_freezes_start_up_objects_and_raises_the_young_threshold():
    import hub.asgi  # noqa: F401  (what uvicorn and daphne import)

    assert gc.get_freeze_count() > 10_000  # Django's import graph at least
    assert gc.get_threshold()[0] == YOUNG_THRESHOLD
