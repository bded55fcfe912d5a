"""Chat pages: the list with unread counts, one chat, history pages, private chats."""

import pytest
from django.urls import reverse

from realtime.chat import actions
from realtime.chat.membership import group_chat_sync

pytestmark = pytest.mark.django_db


@pytest.fixture
def chat(cast, university, enrolled):
    return group_chat_sync(group=university.group_a).chat


def test_the_list_shows_unread_counts(client, cast, chat):
    for text in ("Бир", "Эки"):
        actions.message_post(by=cast.student, chat_id=chat.pk, text=text)
    client.force_login(cast.other_student)

    page = client.get(reverse("chat:list"))

    [member] = page.context["memberships"]
    assert member.unread == 2
    assert "ГР-1-24" in page.content.decode()


def test_the_chat_page_shows_the_newest_messages_as_text(client, cast, chat):
    actions.message_post(by=cast.student, chat_id=chat.pk, text="<b>Салам</b>")
    client.force_login(cast.other_student)

    page = client.get(reverse("chat:detail", kwargs={"chat_id": chat.pk}))

    assert page.status_code == 200
    body = page.content.decode()
    assert "<b>Салам</b>" not in body  # escaped inside the JSON script
    assert page.context["messages"][0]["text"] == "<b>Салам</b>"


def test_history_pages_go_back_and_need_a_number(client, cast, chat):
    ids = [actions.message_post(by=cast.student, chat_id=chat.pk, text=str(i)).pk for i in range(3)]
    client.force_login(cast.student)
    url = reverse("chat:history", kwargs={"chat_id": chat.pk})

    page = client.get(url, {"before": ids[2]}).json()
    assert [m["id"] for m in page["messages"]] == ids[:2]
    assert client.get(url, {"before": "x"}).status_code == 400


def test_opening_a_private_chat_twice_gives_the_same_chat(client, cast, enrolled):
    client.force_login(cast.teacher)
    url = reverse("chat:private", kwargs={"user_id": cast.student.pk})

    first = client.post(url)
    second = client.post(url)

    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]


def test_a_student_cannot_open_a_chat_with_an_applicant(client, cast, enrolled):
    client.force_login(cast.student)
    url = reverse("chat:private", kwargs={"user_id": cast.applicant.pk})
    assert client.post(url).status_code == 404


def test_only_members_download_a_file(client, cast, chat):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(cast.student)
    sent = client.post(
        reverse("chat:attach", kwargs={"chat_id": chat.pk}),
        {"file": SimpleUploadedFile("жадыбал.pdf", b"%PDF-1.4 x"), "text": "Жадыбал", "key": "f1"},
    )
    assert sent.status_code == 200
    url = reverse("chat:attachment", kwargs={"chat_id": chat.pk, "message_id": sent.json()["id"]})

    client.force_login(cast.other_student)
    download = client.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 x"
    client.force_login(cast.deanery_a)
    assert client.get(url).status_code == 404


def test_a_refused_file_gets_its_reason(client, cast, chat):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(cast.student)
    response = client.post(
        reverse("chat:attach", kwargs={"chat_id": chat.pk}),
        {"file": SimpleUploadedFile("x.exe", b"MZ")},
    )
    assert response.status_code == 400
    assert "cannot be attached" in response.json()["detail"]
