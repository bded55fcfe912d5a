"""Bank management (TS-4): export to Moodle XML and GIFT read back without loss, copying a
bank and single questions, merging with confirmation, sharing with colleagues."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hub.audit.models import AuditEntry
from hub.testing import actions
from hub.testing.formats.html import sanitise_html
from hub.testing.models import Bank, Question, Test, TestDraw, Topic
from tests.hub.testing.conftest import make_bank

pytestmark = pytest.mark.usefixtures("in_english")


def shape(bank: Bank) -> list[tuple]:
    """What must survive an export and import: per question its kind, name, text, topic,
    options with fractions, accepted answers and pairs."""
    return [
        (
            q.kind, q.name, q.text, q.topic.name if q.topic else "", q.truth,
            [(o.text, o.fraction) for o in q.options.all()],
            [(a.text, a.fraction) for a in q.short_answers.all()],
            [(p.prompt, p.answer) for p in q.pairs.all()],
        )
        for q in bank.questions.select_related("topic").order_by("pk")
    ]  # fmt: skip


@pytest.mark.parametrize(("fmt", "extension"), [("xml", ".xml"), ("gift", ".gift")])
def test_a_bank_exported_reads_back_the_same(client, cast, setup, fmt, extension):
    client.force_login(cast.teacher)

    response = client.get(reverse("testing:bank-export", args=[setup.bank.pk]), {"format": fmt})

    assert response.status_code == 200
    assert f'{fmt}"' in response["Content-Disposition"]
    again = actions.bank_create(by=cast.teacher, title="Again")
    actions.bank_import(
        by=cast.teacher, bank=again, name=f"bank{extension}", content=response.content,
        language="ky",
    )  # fmt: skip
    assert shape(again) == shape(setup.bank)
    assert "Бишкек".encode() in response.content


def test_an_unknown_export_format_is_refused_with_a_reason(client, cast, setup):
    client.force_login(cast.teacher)

    response = client.get(reverse("testing:bank-export", args=[setup.bank.pk]), {"format": "doc"})

    assert response.status_code == 400
    assert b"GIFT or Moodle XML" in response.content


def test_a_colleague_copies_a_shared_bank_into_a_bank_of_theirs(client, cast, setup):
    actions.bank_share(by=cast.teacher, bank=setup.bank, users=[cast.other_teacher])
    client.force_login(cast.other_teacher)

    response = client.post(reverse("testing:bank-copy", args=[setup.bank.pk]), {"title": ""})

    copy = Bank.objects.exclude(pk=setup.bank.pk).get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{copy.pk}/")
    assert copy.owner == cast.other_teacher and copy.title == "Geography (copy)"
    assert shape(copy) == shape(setup.bank)
    assert set(copy.topics.values_list("name", flat=True)) == {"Geography", "Words"}
    assert setup.bank.questions.count() == 6
    assert AuditEntry.objects.filter(action="bank_copy", actor=cast.other_teacher).count() == 1


def test_a_bank_not_shared_is_not_copied(client, cast, setup):
    client.force_login(cast.other_teacher)

    response = client.post(reverse("testing:bank-copy", args=[setup.bank.pk]))

    assert response.status_code == 404
    assert Bank.objects.count() == 1


def test_merging_asks_first_then_moves_everything(client, cast, setup):
    target = actions.bank_create(by=cast.teacher, title="Target")
    Topic.objects.create(bank=target, name="Words")
    kept = Question.objects.create(bank=target, kind="truefalse", name="kept", text={"ky": "Ооба"})
    words = setup.bank.topics.get(name="Words")
    geography = setup.bank.topics.get(name="Geography")
    drawing = Test.objects.get(pk=setup.test.pk)
    TestDraw.objects.create(test=drawing, topic=words, count=1)
    client.force_login(cast.teacher)
    url = reverse("testing:bank-merge", args=[setup.bank.pk])

    asked = client.get(url, {"into": target.pk})

    assert asked.status_code == 200 and asked.context["target"] == target
    assert "cannot be undone" in asked.content.decode()
    assert Bank.objects.filter(pk=setup.bank.pk).exists()

    response = client.post(url, {"into": target.pk})

    assert response.status_code == 302
    assert not Bank.objects.filter(pk=setup.bank.pk).exists()
    assert target.questions.count() == 7 and kept in target.questions.all()
    assert sorted(target.topics.values_list("name", flat=True)) == ["Geography", "Words"]
    joined = target.topics.get(name="Words")
    assert TestDraw.objects.get(test=drawing).topic == joined
    assert joined.questions.count() == 3
    geography.refresh_from_db()
    assert geography.bank == target
    assert set(setup.test.fixed.values_list("question__bank", flat=True)) == {target.pk}
    assert AuditEntry.objects.filter(action="bank_merge").count() == 1


def test_a_bank_is_not_merged_into_a_bank_of_someone_else(client, cast, setup):
    theirs = make_bank(cast.other_teacher, title="Theirs")
    client.force_login(cast.teacher)

    response = client.post(reverse("testing:bank-merge", args=[setup.bank.pk]), {"into": theirs.pk})

    assert response.status_code == 200 and response.context["form"].errors
    assert Bank.objects.count() == 2 and setup.bank.questions.count() == 6


def test_sharing_with_a_colleague_from_the_form(client, cast, setup):
    client.force_login(cast.teacher)
    url = reverse("testing:bank-share", args=[setup.bank.pk])

    page = client.get(url)
    offered = set(page.context["form"].fields["users"].queryset)
    response = client.post(url, {"users": [cast.other_teacher.pk]})

    assert cast.other_teacher in offered and cast.student not in offered
    assert cast.teacher not in offered
    assert response.status_code == 302
    assert list(setup.bank.shared_with.all()) == [cast.other_teacher]
    client.force_login(cast.other_teacher)
    assert client.get(reverse("testing:bank", args=[setup.bank.pk])).status_code == 200


def test_sharing_with_a_student_is_refused_by_the_form(client, cast, setup):
    client.force_login(cast.teacher)

    response = client.post(
        reverse("testing:bank-share", args=[setup.bank.pk]), {"users": [cast.student.pk]}
    )

    assert response.status_code == 200 and response.context["form"].errors
    assert setup.bank.shared_with.count() == 0


def test_chosen_questions_are_copied_into_another_bank(client, cast, setup):
    target = actions.bank_create(by=cast.teacher, title="Target")
    chosen = [setup.question("capital"), setup.question("numbers")]
    client.force_login(cast.teacher)

    response = client.post(
        reverse("testing:questions-copy", args=[setup.bank.pk]),
        {"questions": [q.pk for q in chosen], "bank": target.pk},
    )

    assert response.status_code == 302
    copies = list(target.questions.order_by("pk"))
    assert [q.name for q in copies] == ["capital", "numbers"]
    assert copies[1].pairs.count() == 3 and copies[0].options.count() == 3
    assert setup.bank.questions.count() == 6
    assert AuditEntry.objects.filter(action="question_copy").count() == 2


def test_copying_no_questions_re_renders_the_form(client, cast, setup):
    target = actions.bank_create(by=cast.teacher, title="Target")
    client.force_login(cast.teacher)

    response = client.post(
        reverse("testing:questions-copy", args=[setup.bank.pk]), {"bank": target.pk}
    )

    assert response.status_code == 200 and response.context["form"].errors
    assert target.questions.count() == 0


PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


@pytest.mark.parametrize("fmt", ["xml", "gift"])
def test_an_image_and_a_table_survive_the_export(client, cast, setup, fmt):
    html = (
        f'<p>Сүрөт: <img src="data:image/png;base64,{PNG}" alt="ң"></p>'
        "<table><tr><td>Өлкө</td><td>Борбор</td></tr></table>"
    )
    question = setup.question("capital")
    question.text = {"ky": sanitise_html(html)}  # as every save stores it
    question.save(update_fields=["text"])
    client.force_login(cast.teacher)

    response = client.get(reverse("testing:bank-export", args=[setup.bank.pk]), {"format": fmt})

    if fmt == "xml":
        assert b"@@PLUGINFILE@@/image1.png" in response.content and b"<file " in response.content
    again = actions.bank_create(by=cast.teacher, title="Again")
    actions.bank_import(
        by=cast.teacher, bank=again, name=f"bank.{fmt}", content=response.content, language="ky"
    )
    assert again.questions.get(name="capital").text == setup.question("capital").text
    assert shape(again) == shape(setup.bank)


def test_copy_links_are_offered_only_to_teachers(client, cast, setup):
    copy_url = reverse("testing:bank-copy", args=[setup.bank.pk])
    client.force_login(cast.teacher)
    assert copy_url in client.get(reverse("testing:bank", args=[setup.bank.pk])).content.decode()

    client.force_login(cast.vice_rector)
    page = client.get(reverse("testing:bank", args=[setup.bank.pk]))
    assert page.status_code == 200 and copy_url not in page.content.decode()
