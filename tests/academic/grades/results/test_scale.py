"""The scale bands as data and the grading settings (GB-1)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from academic.grades.actions.settings import (
    band_problems,
    grading_settings_update,
    scale_bands_replace,
)
from academic.grades.models import GradingSettings, ScaleBand
from academic.grades.scales import DEFAULT_BANDS, Band
from academic.grades.scoring import scale_for
from hub.audit.models import AuditEntry
from hub.errors import DomainError

pytestmark = pytest.mark.django_db
FIVE_BANDS = [
    (87, 100, "A", "4.00", 5),
    (74, 86, "B", "3.00", 4),
    (61, 73, "C", "2.00", 3),
    (0, 60, "F", "0.00", 2),
]


def _post_data(bands) -> dict:
    data = {
        "form-TOTAL_FORMS": str(len(bands)),
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }
    for i, (low, high, letter, gpa, mark) in enumerate(bands):
        data |= {
            f"form-{i}-low": str(low),
            f"form-{i}-high": str(high),
            f"form-{i}-letter": letter,
            f"form-{i}-gpa": gpa,
            f"form-{i}-mark": str(mark),
        }
    return data


def test_everyone_signed_in_reads_the_default_scale(client, cast, university, english):
    client.force_login(cast.student)

    response = client.get(reverse("grades:scale"))

    assert response.status_code == 200
    assert response.context["is_default"] and list(response.context["bands"]) == list(DEFAULT_BANDS)
    assert reverse("grades:scale-edit") not in response.content.decode()


def test_the_keeper_saves_a_whole_scale(client, cast, university):
    client.force_login(cast.vice_rector)

    response = client.post(reverse("grades:scale-edit"), _post_data(FIVE_BANDS))

    assert response.status_code == 302
    assert scale_for().grade(86).letter == "B" and scale_for().grade(87).letter == "A"
    assert AuditEntry.objects.filter(action="scale_bands_replace").count() == 1


def test_a_gap_is_refused_with_a_message(client, cast, university, english):
    client.force_login(cast.admin)
    gap = [(87, 100, "A", "4.00", 5), (61, 80, "C", "2.00", 3), (0, 60, "F", "0.00", 2)]

    response = client.post(reverse("grades:scale-edit"), _post_data(gap))

    assert response.status_code == 200
    assert response.context["problems"] == ["Scores 81–86 are in no band (a gap before A)."]
    assert not ScaleBand.objects.exists()


def test_an_overlap_and_a_falling_mark_are_all_shown(client, cast, university, english):
    client.force_login(cast.admin)
    bad = [(80, 100, "A", "4.00", 3), (61, 85, "C", "2.00", 4), (0, 60, "F", "0.00", 2)]

    response = client.post(reverse("grades:scale-edit"), _post_data(bad))

    problems = response.context["problems"]
    assert "The band A starts at 80, inside the band before it (an overlap)." in problems
    assert "A higher score must never give a lower mark." in problems
    assert "The scale is not saved" in response.content.decode()


def test_a_deleted_row_leaves_a_gap(client, cast, university, english):
    client.force_login(cast.admin)
    data = _post_data(FIVE_BANDS) | {"form-1-DELETE": "on"}

    response = client.post(reverse("grades:scale-edit"), data)

    assert response.context["problems"] == ["Scores 74–86 are in no band (a gap before A)."]


def test_a_bad_field_re_renders_the_formset(client, cast, university):
    client.force_login(cast.admin)
    data = _post_data(FIVE_BANDS) | {"form-0-gpa": "7", "form-1-mark": "9"}

    response = client.post(reverse("grades:scale-edit"), data)

    assert response.status_code == 200
    assert response.context["formset"].errors[0]["gpa"]
    assert response.context["formset"].errors[1]["mark"]


def test_band_problems_agrees_with_the_pure_check_on_the_default():
    assert band_problems(DEFAULT_BANDS) == []
    assert band_problems([]) != []
    assert band_problems([Band(0, 99, "A", Decimal(4), 5)])  # ends at 99


def test_the_action_replaces_every_band(university):
    bands = [
        Band(low, high, letter, Decimal(gpa), mark) for low, high, letter, gpa, mark in FIVE_BANDS
    ]
    scale_bands_replace(by=None, institution=university.institution, bands=bands)
    scale_bands_replace(by=None, institution=university.institution, bands=list(DEFAULT_BANDS))

    assert ScaleBand.objects.count() == len(DEFAULT_BANDS)
    with pytest.raises(DomainError):
        scale_bands_replace(by=None, institution=university.institution, bands=bands[:2])
    assert ScaleBand.objects.count() == len(DEFAULT_BANDS)


def test_grading_settings_are_created_then_updated(client, cast, university):
    client.force_login(cast.admin)
    url = reverse("grades:grading-settings")

    assert (
        client.post(url, {"admission_minimum": "35", "change_window_days": "10"}).status_code == 302
    )
    client.post(url, {"admission_minimum": "40", "change_window_days": "10"})

    found = GradingSettings.objects.get()
    assert (found.admission_minimum, found.change_window_days) == (40, 10)
    assert AuditEntry.objects.filter(action="grading_settings_update").count() == 2


def test_bad_settings_re_render_with_a_message(client, cast, university):
    client.force_login(cast.admin)

    response = client.post(
        reverse("grades:grading-settings"), {"admission_minimum": "120", "change_window_days": "0"}
    )

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"admission_minimum", "change_window_days"}
    with pytest.raises(DomainError):
        grading_settings_update(
            by=None, institution=university.institution, admission_minimum=101, change_window_days=5
        )


def test_the_keeper_sees_the_edit_links(client, cast, university):
    client.force_login(cast.admin)

    text = client.get(reverse("grades:scale")).content.decode()

    assert reverse("grades:scale-edit") in text and reverse("grades:grading-settings") in text


def test_the_django_admin_shows_the_bands_read_only(client, cast, university):
    ScaleBand.objects.create(
        institution=university.institution, low=0, high=100, letter="P", gpa=4, mark=5
    )
    client.force_login(cast.admin)

    assert client.get(reverse("admin:grades_scaleband_changelist")).status_code == 200
    assert client.get(reverse("admin:grades_scaleband_add")).status_code == 403
