"""Banks, tests and attempts through the actions: import all or nothing, drawing, answers
saved and versioned, the server's deadline, grading, the journal and annulment."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from academic.grades.models import Score
from hub.audit.models import AuditEntry
from hub.errors import DomainError
from hub.testing import actions
from hub.testing.models import (
    Answer,
    Attempt,
    AttemptStatus,
    Bank,
    MatchPair,
    Option,
    PartialCredit,
    Question,
)
from hub.testing.tasks import submit_overdue
from realtime.models import Notification
from tests.hub.testing.conftest import make_bank, make_test, topic

pytestmark = pytest.mark.usefixtures("in_english")


def right_option(question: Question) -> Option:
    return question.options.order_by("-fraction").first()


def answer(cast, attempt, question, response, version=1):
    return actions.answer_save(
        by=cast.student, attempt=attempt, question_id=question.pk, response=response,
        version=version,
    )  # fmt: skip


def overdue(attempt: Attempt) -> None:
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(seconds=1))


# --- Import ------------------------------------------------------------------------------


def test_a_gift_file_becomes_questions_with_topics(setup):
    assert setup.bank.questions.count() == 6
    assert set(setup.bank.topics.values_list("name", flat=True)) == {"Geography", "Words"}
    capital = setup.question("capital")
    assert capital.text == {"ky": "Кыргызстандын борбору?"}
    assert right_option(capital).text == {"ky": "Бишкек"}
    assert AuditEntry.objects.filter(action="bank_import").count() == 1


def test_a_broken_file_imports_nothing_and_says_why(cast):
    bank = actions.bank_create(by=cast.teacher, title="Broken")
    broken = "::good::Кыргызстандын борбору? {=Бишкек ~Ош}\n\n::bad::Сан? {#12:2}\n"

    with pytest.raises(actions.ImportRefused) as refused:
        actions.bank_import(
            by=cast.teacher, bank=bank, name="broken.gift", content=broken.encode(), language="ky"
        )

    assert refused.value.problems
    assert not Question.objects.filter(bank=bank).exists()


def test_an_unreadable_word_file_is_one_problem(cast):
    bank = actions.bank_create(by=cast.teacher, title="Word")

    with pytest.raises(actions.ImportRefused) as refused:
        actions.bank_import(
            by=cast.teacher, bank=bank, name="bank.docx", content=b"not a zip", language="ru"
        )

    assert refused.value.problems[0].position == 0
    assert not Question.objects.filter(bank=bank).exists()


def test_another_extension_is_refused(cast):
    bank = actions.bank_create(by=cast.teacher, title="Other")

    with pytest.raises(DomainError, match="GIFT"):
        actions.bank_import(by=cast.teacher, bank=bank, name="a.pdf", content=b"x", language="ru")


def test_html_is_sanitised_on_import(cast):
    bank = actions.bank_create(by=cast.teacher, title="Html")
    source = '::x::[html]<p onclick\\="steal()">Hi<script>alert(1)</script></p>{=a ~b}'

    actions.bank_import(
        by=cast.teacher, bank=bank, name="x.gift", content=source.encode(), language="en"
    )

    text = bank.questions.get().text["en"]
    assert "script" not in text and "onclick" not in text and "Hi" in text


def test_a_question_is_copied_with_its_options_into_another_bank(setup, cast):
    other = actions.bank_create(by=cast.teacher, title="Copy")

    copy = actions.question_copy(by=cast.teacher, question=setup.question("capital"), bank=other)

    assert copy.bank == other and copy.topic.name == "Geography"
    assert [o.text["ky"] for o in copy.options.all()] == ["Бишкек", "Ош", "Нарын"]
    assert setup.question("capital").options.count() == 3


# --- Tests and drawing --------------------------------------------------------------------


def test_draws_take_the_asked_number_from_each_topic(setup, cast, university):
    bank = setup.bank
    geography, words = topic(bank, "Geography"), topic(bank, "Words")
    test = make_test(
        cast.teacher, bank, questions=[],
        draws=[actions.Draw(geography, 2), actions.Draw(words, 1)], group=university.group_a,
    )  # fmt: skip

    attempt = actions.attempt_start(by=cast.student, test=test, rng=random.Random(3))

    topics = list(Question.objects.filter(pk__in=attempt.questions).values_list("topic", flat=True))
    assert sorted(topics) == sorted([geography.pk, geography.pk, words.pk])
    assert len(set(attempt.questions)) == 3


def test_the_same_seed_draws_the_same_questions_and_orders(setup, cast, university):
    geography, words = topic(setup.bank, "Geography"), topic(setup.bank, "Words")
    fixed = setup.bank.questions.filter(topic=geography).first()
    test = make_test(
        cast.teacher, setup.bank, questions=[fixed],
        draws=[actions.Draw(geography, 2), actions.Draw(words, 3)], group=university.group_a,
    )  # fmt: skip

    first = actions.attempt_start(by=cast.student, test=test, rng=random.Random(5))
    second = actions.attempt_start(by=cast.other_student, test=test, rng=random.Random(5))

    assert (first.questions, first.option_orders) == (second.questions, second.option_orders)
    assert sorted(first.questions) == sorted(setup.bank.questions.values_list("pk", flat=True))
    with_options = set(Option.objects.values_list("question_id", flat=True))
    with_pairs = set(MatchPair.objects.values_list("question_id", flat=True))
    assert set(first.option_orders) == {str(pk) for pk in with_options | with_pairs}


def test_a_draw_larger_than_its_topic_is_refused(setup, cast):
    with pytest.raises(DomainError, match="holds 3 questions"):
        make_test(
            cast.teacher,
            setup.bank,
            questions=[],
            draws=[actions.Draw(topic(setup.bank, "Words"), 4)],
        )


def test_orders_are_frozen_at_the_start(setup, cast):
    attempt = actions.attempt_start(by=cast.student, test=setup.test)

    again = actions.attempt_start(by=cast.student, test=setup.test)

    assert again.pk == attempt.pk
    assert (again.questions, again.option_orders) == (attempt.questions, attempt.option_orders)
    capital = setup.question("capital")
    assert sorted(attempt.option_orders[str(capital.pk)]) == sorted(
        capital.options.values_list("pk", flat=True)
    )
    assert attempt.deadline == attempt.started_at + timedelta(minutes=30)


def test_the_deadline_is_the_window_close_when_earlier(setup, cast, university):
    test = make_test(
        cast.teacher, setup.bank, closes_at=timezone.now() + timedelta(minutes=5),
        group=university.group_a,
    )  # fmt: skip

    attempt = actions.attempt_start(by=cast.student, test=test)

    assert attempt.deadline == test.closes_at


def test_a_test_not_given_to_the_student_is_refused(setup, cast):
    test = make_test(cast.teacher, setup.bank)

    with pytest.raises(DomainError, match="not given to you"):
        actions.attempt_start(by=cast.student, test=test)


def test_a_student_given_by_name_may_start(setup, cast):
    test = make_test(cast.teacher, setup.bank)
    actions.test_assign(by=cast.teacher, test=test, students=[setup.other_student])

    attempt = actions.attempt_start(by=cast.other_student, test=test)

    assert attempt.student == setup.other_student
    with pytest.raises(DomainError, match="not given to you"):
        actions.attempt_start(by=cast.student, test=test)


def test_a_start_given_the_state_of_someone_else_is_refused(setup, cast):
    others = actions.current_state(cast.other_student)

    with pytest.raises(DomainError, match="not given to you"):
        actions.attempt_start(by=cast.student, test=setup.test, state=others)

    assert not Attempt.objects.filter(test=setup.test).exists()


def test_a_closed_window_is_refused(setup, cast, university):
    test = make_test(
        cast.teacher, setup.bank, opens_at=timezone.now() + timedelta(hours=1),
        closes_at=timezone.now() + timedelta(hours=2), group=university.group_a,
    )  # fmt: skip

    with pytest.raises(DomainError, match="not opened yet"):
        actions.attempt_start(by=cast.student, test=test)


def test_attempts_are_limited(setup, cast):
    attempt = actions.attempt_start(by=cast.student, test=setup.test)
    actions.attempt_submit(by=cast.student, attempt=attempt)

    with pytest.raises(DomainError, match="no attempts left"):
        actions.attempt_start(by=cast.student, test=setup.test)


def test_a_start_over_a_running_attempt_out_of_time_submits_it_even_when_refused(setup, cast):
    attempt = actions.attempt_start(by=cast.student, test=setup.test)
    overdue(attempt)

    with pytest.raises(DomainError, match="no attempts left"):
        actions.attempt_start(by=cast.student, test=setup.test)

    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.SUBMITTED
    assert attempt.submitted_at == attempt.deadline
    assert Score.objects.filter(ref=f"testing.attempt:{attempt.pk}").exists()


def test_a_start_over_a_running_attempt_out_of_time_begins_the_next_one(setup, cast, university):
    test = make_test(cast.teacher, setup.bank, attempts_allowed=2, group=university.group_a)
    first = actions.attempt_start(by=cast.student, test=test)
    overdue(first)

    second = actions.attempt_start(by=cast.student, test=test)

    first.refresh_from_db()
    assert first.status == AttemptStatus.SUBMITTED
    assert (second.number, second.status) == (2, AttemptStatus.IN_PROGRESS)
    assert AuditEntry.objects.filter(action="attempt_start").count() == 2


def test_a_running_attempt_is_resumed_even_outside_the_window(setup, cast):
    attempt = actions.attempt_start(by=cast.student, test=setup.test)
    setup.test.opens_at = timezone.now() + timedelta(hours=1)
    setup.test.save(update_fields=["opens_at"])

    assert actions.attempt_start(by=cast.student, test=setup.test).pk == attempt.pk


# --- Answers ------------------------------------------------------------------------------


def test_an_answer_is_saved_idempotently_by_version(setup, cast):
    attempt = actions.attempt_start(by=cast.student, test=setup.test)
    capital = setup.question("capital")
    options = list(capital.options.order_by("order"))

    first = answer(cast, attempt, capital, {"option": options[1].pk}, version=1)
    again = answer(cast, attempt, capital, {"option": options[1].pk}, version=1)
    newer = answer(cast, attempt, capital, {"option": options[0].pk}, version=3)
    late = answer(cast, attempt, capital, {"option": options[2].pk}, version=2)

    assert (first.version, again.version, newer.version, late.version) == (1, 1, 3, 3)
    stored = Answer.objects.get(attempt=attempt, question=capital)
    assert (stored.response, stored.version) == ({"option": options[0].pk}, 3)


def test_an_answer_after_the_deadline_is_refused_and_the_attempt_submitted(setup, cast):
    attempt = actions.attempt_start(by=cast.student, test=setup.test)
    overdue(attempt)

    with pytest.raises(actions.TimeUp, match="time is up"):
        answer(cast, attempt, setup.question("round"), {"value": True})

    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.SUBMITTED
    assert not Answer.objects.filter(attempt=attempt).exists()


def test_a_save_counts_an_extension_its_caller_has_not_seen(setup, cast):
    attempt = actions.attempt_start(by=cast.student, test=setup.test)
    seen = Attempt.objects.get(pk=attempt.pk)
    seen.deadline = timezone.now() - timedelta(seconds=1)  # read before the proctor extended it
    extended = timezone.now() + timedelta(minutes=10)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=extended)

    saved = answer(cast, seen, setup.question("round"), {"value": True})

    assert saved.version == 1 and seen.deadline == extended
    assert Attempt.objects.get(pk=attempt.pk).status == AttemptStatus.IN_PROGRESS


def test_a_save_is_refused_for_an_attempt_ended_since_its_caller_read_it(setup, cast):
    attempt = actions.attempt_start(by=cast.student, test=setup.test)
    Attempt.objects.filter(pk=attempt.pk).update(status=AttemptStatus.SUBMITTED)

    with pytest.raises(DomainError, match="already submitted"):
        answer(cast, attempt, setup.question("round"), {"value": True})

    assert not Answer.objects.filter(attempt=attempt).exists()


def test_a_save_takes_the_same_statements_first_and_again(setup, cast, django_assert_num_queries):
    attempt = actions.attempt_start(by=cast.student, test=setup.test)
    attempt = Attempt.objects.select_related("student").get(pk=attempt.pk)
    question = setup.question("round")

    # In one transaction (a savepoint inside the test's): the attempt locked, read with the
    # question's kind and the stored answer in one statement; the answer written.
    with django_assert_num_queries(4):
        answer(cast, attempt, question, {"value": True}, version=1)
    with django_assert_num_queries(4):
        answer(cast, attempt, question, {"value": False}, version=2)
    assert Answer.objects.get(attempt=attempt).response == {"value": False}


def test_someone_else_cannot_answer(setup, cast):
    attempt = actions.attempt_start(by=cast.student, test=setup.test)

    with pytest.raises(DomainError, match="not yours"):
        actions.answer_save(
            by=cast.other_student, attempt=attempt, question_id=setup.question("round").pk,
            response={"value": True}, version=1,
        )  # fmt: skip


def test_a_malformed_answer_is_refused(setup, cast):
    attempt = actions.attempt_start(by=cast.student, test=setup.test)

    with pytest.raises(DomainError, match="not understood"):
        answer(cast, attempt, setup.question("mountains"), {"options": ["x"]})


def test_the_attempt_survives_a_reload_with_its_answers_and_deadline(setup, cast):
    attempt = actions.attempt_start(by=cast.student, test=setup.test)
    answer(cast, attempt, setup.question("round"), {"value": False}, version=2)

    # A new page load (or a restarted server) reads everything back from the database.
    resumed = actions.attempt_start(by=cast.student, test=setup.test)

    assert resumed.pk == attempt.pk and resumed.deadline == attempt.deadline
    assert list(resumed.answers.values_list("response", "version")) == [({"value": False}, 2)]


# --- Grading ------------------------------------------------------------------------------


def fraction_of(setup, cast, name, response, **changes):
    question = setup.question(name)
    if changes:
        Question.objects.filter(pk=question.pk).update(**changes)
    test = make_test(cast.teacher, setup.bank, questions=[question], max_score=10)
    actions.test_assign(by=cast.teacher, test=test, students=[setup.student])
    attempt = actions.attempt_start(by=cast.student, test=test)
    if response is not None:
        answer(cast, attempt, question, response(question))
    return actions.attempt_submit(by=cast.student, attempt=attempt).score


def options(question, *texts):
    return [o.pk for o in question.options.all() if o.text["ky"] in texts]


@pytest.mark.parametrize(
    ("name", "response", "score"),
    [
        ("capital", lambda q: {"option": options(q, "Бишкек")[0]}, "10.00"),
        ("capital", lambda q: {"option": options(q, "Ош")[0]}, "0.00"),
        ("capital", None, "0.00"),
        ("mountains", lambda q: {"options": options(q, "Tian Shan", "Pamir-Alay")}, "10.00"),
        ("mountains", lambda q: {"options": options(q, "Tian Shan")}, "5.00"),
        ("mountains", lambda q: {"options": options(q, "Tian Shan", "Alps")}, "0.00"),
        ("round", lambda q: {"value": True}, "10.00"),
        ("round", lambda q: {"value": False}, "0.00"),
        ("russia", lambda q: {"text": "  москва "}, "10.00"),
        ("russia", lambda q: {"text": "Бишкек"}, "0.00"),
        ("lake", lambda q: {"text": "Ysyk-Kol"}, "10.00"),
    ],
)
def test_each_kind_is_graded(setup, cast, name, response, score):
    assert fraction_of(setup, cast, name, response) == Decimal(score)


def test_a_short_answer_may_be_case_sensitive(setup, cast):
    score = fraction_of(setup, cast, "russia", lambda q: {"text": "москва"}, case_sensitive=True)

    assert score == Decimal("0.00")


def test_all_or_nothing_gives_no_partial_credit(setup, cast):
    score = fraction_of(
        setup, cast, "mountains", lambda q: {"options": options(q, "Tian Shan")},
        partial_credit=PartialCredit.ALL_OR_NOTHING,
    )  # fmt: skip

    assert score == Decimal("0.00")


def test_a_penalty_applies_to_plain_wrong_choices(setup, cast):
    question = setup.question("mountains")
    Option.objects.filter(question=question, fraction__lt=0).update(fraction=0)

    score = fraction_of(
        setup, cast, "mountains",
        lambda q: {"options": options(q, "Tian Shan", "Pamir-Alay", "Alps")},
        penalty=Decimal("0.25"),
    )  # fmt: skip

    assert score == Decimal("7.50")


def test_matching_earns_a_share_per_right_pair(setup, cast):
    def two_of_three(question):
        pairs = list(MatchPair.objects.filter(question=question).order_by("order"))
        return {"matches": {str(pairs[0].pk): pairs[0].pk, str(pairs[1].pk): pairs[2].pk,
                            str(pairs[2].pk): pairs[2].pk}}  # fmt: skip

    assert fraction_of(setup, cast, "numbers", two_of_three) == Decimal("6.67")


# --- Submission, journal, annulment -------------------------------------------------------


def answer_all_right(cast, attempt):
    for question in Question.objects.filter(pk__in=attempt.questions):
        right = {
            "single": lambda q: {"option": right_option(q).pk},
            "multiple": lambda q: {"options": list(q.options.filter(fraction__gt=0).values_list("pk", flat=True))},
            "truefalse": lambda q: {"value": q.truth},
            "short": lambda q: {"text": q.short_answers.first().text},
            "matching": lambda q: {"matches": {str(p.pk): p.pk for p in q.pairs.all()}},
        }[question.kind](question)  # fmt: skip
        answer(cast, attempt, question, right)


def test_the_score_lands_in_the_checkpoint(setup, cast):
    attempt = actions.attempt_start(by=cast.student, test=setup.test)
    answer_all_right(cast, attempt)

    attempt = actions.attempt_submit(by=cast.student, attempt=attempt)

    assert attempt.score == Decimal("30.00")
    score = Score.objects.get(source="test", ref=f"testing.attempt:{attempt.pk}")
    assert (score.checkpoint, score.student, score.value) == (
        setup.checkpoint,
        setup.student,
        Decimal("30.00"),
    )


def test_an_overdue_attempt_is_submitted_on_the_next_access(setup, cast):
    attempt = actions.attempt_start(by=cast.student, test=setup.test)
    answer(cast, attempt, setup.question("round"), {"value": True})
    overdue(attempt)

    attempt = actions.expire_if_due(Attempt.objects.get(pk=attempt.pk))

    assert attempt.status == AttemptStatus.SUBMITTED
    assert attempt.submitted_at == attempt.deadline
    assert attempt.score == Decimal("5.00")  # one of six questions, of 30


def test_the_sweep_submits_overdue_attempts_only(setup, cast):
    late = actions.attempt_start(by=cast.student, test=setup.test)
    running = actions.attempt_start(by=cast.other_student, test=setup.test)
    overdue(late)

    assert submit_overdue() == 1

    assert Attempt.objects.get(pk=late.pk).status == AttemptStatus.SUBMITTED
    assert Attempt.objects.get(pk=running.pk).status == AttemptStatus.IN_PROGRESS
    assert Score.objects.filter(ref=f"testing.attempt:{late.pk}").exists()


def test_annulment_withdraws_the_score_and_notifies_the_student(setup, cast):
    attempt = actions.attempt_start(by=cast.student, test=setup.test)
    answer_all_right(cast, attempt)
    attempt = actions.attempt_submit(by=cast.student, attempt=attempt)

    actions.attempt_annul(by=cast.teacher, attempt=attempt, reason="Phone on the desk")

    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.ANNULLED
    assert not Score.objects.filter(ref=f"testing.attempt:{attempt.pk}").exists()
    note = Notification.objects.get(recipient=cast.student)
    assert "annulled" in note.title and note.body == "Phone on the desk"
    assert AuditEntry.objects.filter(action="attempt_annul", reason="Phone on the desk").exists()


def test_annulment_needs_a_reason(setup, cast):
    attempt = actions.attempt_start(by=cast.student, test=setup.test)

    with pytest.raises(DomainError, match="Say why"):
        actions.attempt_annul(by=cast.teacher, attempt=attempt, reason=" ")


def test_a_bank_belongs_to_its_maker(cast):
    bank = make_bank(cast.teacher, title="Mine")

    assert Bank.objects.get(pk=bank.pk).owner == cast.teacher


def test_a_shared_bank_is_read_by_the_colleague_only(setup, cast):
    from hub.testing.permissions import may_read_bank, may_write_bank

    assert not may_read_bank(cast.other_teacher, setup.bank)

    assert actions.bank_share(by=cast.teacher, bank=setup.bank, users=[cast.other_teacher]) == 1

    assert may_read_bank(cast.other_teacher, setup.bank)
    assert not may_write_bank(cast.other_teacher, setup.bank)
    with pytest.raises(DomainError, match="does not make tests"):
        actions.bank_share(by=cast.teacher, bank=setup.bank, users=[cast.student])
