"""manage.py seed_demo: progress, then the logins of every role."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from hub.accounts.models import User
from hub.demo.seed import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def test_it_prints_progress_and_the_demo_logins():
    output = run("--students", "45")

    assert "Seeding: 100% Courses and exam sheets" in output
    assert f"password for all: {DEMO_PASSWORD}" in output
    for role, username in [
        ("Administrator", "administrator"),
        ("Student records office", "records-office"),
        ("Cashier", "cashier"),
        ("Deanery, faculty A", "deanery-a"),
        ("Teacher", "teacher0001"),
        ("Curator", "curator0001"),
        ("Student", "student00001"),
        ("Parent", "parent00001"),
        ("Applicant", "applicant1"),
    ]:
        line = next(line for line in output.splitlines() if line.strip().endswith(username))
        assert line.strip().startswith(role)
    assert User.objects.filter(cabinet="student").count() == 45


def test_running_it_again_creates_nothing():
    run("--students", "45")
    count = User.objects.count()

    output = run("--students", "45")

    assert User.objects.count() == count
    assert "0 new accounts" in output


def test_it_refuses_an_impossible_number_of_students():
    with pytest.raises(CommandError, match="from 1 to 20000"):
        run("--students", "0")
