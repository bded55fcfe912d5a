"""Garbage-collector settings of the ASGI server processes.

A server process holds Django's whole import graph and, once busy, the
objects of a thousand open sockets. With CPython's default thresholds a
full collection walked all of them: on the announcement bench one pause took
a second in the middle of the POST, and generation-1 passes of 40–90 ms came
every few hundred deliveries (`python -m tests.bench.realtime_run
realtime_announce`). Two remedies, both from the `gc` documentation:

- what exists once the application is loaded lives as long as the process:
  `gc.freeze()` moves it to the permanent generation, never scanned again;
- a larger first threshold makes the young collections rarer, so fewer
  objects survive into the older generations only to be scanned there.

Reference cycles are still collected; only how often the collector looks changes.
"""

from __future__ import annotations

import gc

# Allocations (net of deallocations) between two young collections; CPython's default is 700.
YOUNG_THRESHOLD = 50_000


def tune_for_server() -> None:
    """Freeze what the loaded application holds and make young collections rarer.

    Call once, at the end of the ASGI module, after every import the server needs.
    """
    gc.collect()  # what start-up left as garbage is not frozen forever
    gc.freeze()
    _young, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)
