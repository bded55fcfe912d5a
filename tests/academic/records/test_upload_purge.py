"""Uploaded lists left at the preview are purged each night: they hold personal data."""

from __future__ import annotations

import os
import time

from django.core.files.base import ContentFile

from academic.records import jobs
from academic.records.tasks import purge_stale_uploads


def test_the_nightly_purge_deletes_only_uploads_left_for_more_than_a_day(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    storage = jobs.uploads()
    old = storage.save("old.xlsx", ContentFile(b"x"))
    fresh = storage.save("fresh.csv", ContentFile(b"y"))
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(storage.path(old), (two_days_ago, two_days_ago))

    assert purge_stale_uploads() == 1
    assert not storage.exists(old)
    assert storage.exists(fresh)


def test_the_purge_is_quiet_before_any_upload(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "never-used"
    assert purge_stale_uploads() == 0
