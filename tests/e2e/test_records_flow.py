"""The records office signs a transfer order for two students, and the contingent chart changes."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.e2e.test_cabinets import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def chart_counts(page, base_url: str) -> dict[str, int]:
    """The contingent by faculty as the drawn chart shows it: label → count."""
    page.goto(f"{base_url}/records/reports/contingent/?rows=faculty&chart=bar")
    page.wait_for_function("window.Chart && Chart.getChart('contingent-chart')")
    return page.evaluate(
        """() => {
            const chart = Chart.getChart('contingent-chart');
            const labels = chart.data.labels;
            const data = chart.data.datasets[0].data;
            return Object.fromEntries(labels.map((label, i) => [label, data[i]]));
        }"""
    )


def test_signing_a_transfer_moves_two_students_to_the_other_faculty(
    page, live_server_url, cast, university, enrolled
):
    faculty_a, faculty_b = university.faculty_a.name_en, university.faculty_b.name_en
    sign_in(page, live_server_url, "records_office")
    page.wait_for_url(f"{live_server_url}/cabinet/staff/")
    before = chart_counts(page, live_server_url)
    assert before.get(faculty_a) == 2
    assert faculty_b not in before or before[faculty_b] == 0

    today = timezone.localdate().isoformat()
    page.goto(f"{live_server_url}/records/orders/new/")
    page.select_option("select[name=kind]", "transfer")
    page.fill("input[name=number]", "101-С")
    page.fill("input[name=date]", today)
    page.fill("input[name=effective_date]", today)
    page.fill("input[name=signer]", "Ректор Т. Абдыкадыров")
    page.click("form.form button[type=submit]")
    page.wait_for_selector("text=Add to the order")
    for record_number in ("24-0001", "24-0002"):
        page.fill("input[name=student]", record_number)
        page.select_option("select[name=group]", label=university.group_b.name)
        page.click("form.form button[type=submit]")
        page.wait_for_selector(f"text={record_number}")

    page.click("text=Sign the order")
    page.wait_for_selector("text=cannot be changed")
    page.click("form.form button[type=submit]")
    page.wait_for_selector("text=The order is signed.")

    after = chart_counts(page, live_server_url)
    assert after.get(faculty_b) == 2
    assert after.get(faculty_a, 0) == 0
