"""Question analysis (TS-7): the indices on small hand-computed cases, the selector over real
attempts (annulled and unfinished ones left out), and the analysis page at a constant
number of queries."""

from __future__ import annotations

import math

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hub.testing import actions, analysis, selectors
from hub.testing.analysis import AttemptData
from hub.testing.models import Question
from tests.hub.testing.conftest import make_test

pytestmark = pytest.mark.usefixtures("in_english")


def attempts_of_four() -> list[AttemptData]:
    # Question 1: right for the two best; question 2: right for the worst only.
    return [
        AttemptData(90, {1: 1.0, 2: 0.0}, {1: {"option": 10}, 2: {"option": 21}}),
        AttemptData(70, {1: 1.0, 2: 0.0}, {1: {"option": 10}, 2: {"option": 21}}),
        AttemptData(40, {1: 0.0, 2: 0.0}, {1: {"option": 11}, 2: {}}),
        AttemptData(10, {1: 0.0, 2: 1.0}, {1: {"option": 11}, 2: {"option": 20}}),
    ]


def test_difficulty_is_the_mean_share_earned():
    first, second = analysis.question_stats(attempts_of_four(), [1, 2])

    assert first.difficulty == 0.5
    assert second.difficulty == 0.25
    assert (first.given, first.answered) == (4, 4)
    assert (second.given, second.answered) == (4, 3)


def test_discrimination_is_upper_minus_lower_27_percent():
    # 27 % of 4 rounds to 1: the best attempt (90) against the worst (10).
    first, second = analysis.question_stats(attempts_of_four(), [1, 2])

    assert first.discrimination == 1.0
    assert second.discrimination == -1.0


def test_point_biserial_is_the_correlation_with_the_total():
    (first,) = analysis.question_stats(attempts_of_four(), [1])
    # Item [1,1,0,0] against scores [90,70,40,10]: mean 52.5; deviations 37.5, 17.5,
    # -12.5, -42.5; item deviations ±0.5. Sxy = 0.5·(37.5+17.5+12.5+42.5) = 55;
    # Sxx = 1; Syy = 1406.25+306.25+156.25+1806.25 = 3675.
    assert first.point_biserial == pytest.approx(55 / math.sqrt(3675))


def test_choices_are_counted_per_option():
    first, second = analysis.question_stats(attempts_of_four(), [1, 2])

    assert first.choices == {10: 2, 11: 2}
    assert second.choices == {21: 2, 20: 1}


def test_a_question_nobody_drew_and_no_variance_give_no_index():
    attempts = [AttemptData(50, {1: 1.0}), AttemptData(20, {1: 1.0})]

    row, absent = analysis.question_stats(attempts, [1, 3])

    assert row.difficulty == 1.0 and row.discrimination == 0.0
    assert row.point_biserial is None
    assert absent.given == 0 and absent.difficulty is None and absent.discrimination is None
    assert analysis.question_stats([attempts[0]], [1])[0].discrimination is None


def test_multiple_short_truefalse_and_matching_choice_keys():
    assert analysis.choice_keys({"options": [3, 4]}) == [3, 4]
    assert analysis.choice_keys({"value": False}) == [False]
    assert analysis.choice_keys({"text": "  Бишкек  "}) == ["бишкек"]
    assert analysis.choice_keys({"matches": {"2": 5, "1": 6}}) == ["1:6", "2:5"]
    assert analysis.choice_keys({"option": None}) == []


def test_the_histogram_puts_the_maximum_in_the_last_bin():
    bins = analysis.histogram([0, 9.99, 10, 55, 100, 100], 100, bins=10)

    assert [b.count for b in bins] == [2, 1, 0, 0, 0, 1, 0, 0, 0, 2]
    assert bins[0].label == "0–10" and bins[-1].label == "90–100"
    assert sum(b.count for b in analysis.histogram([], 30, bins=3)) == 0


def test_the_summary_of_scores():
    assert analysis.summary([10, 40, 70, 90]) == {
        "count": 4, "mean": 52.5, "median": 55.0, "min": 10, "max": 90,
        "sd": pytest.approx(math.sqrt(3675 / 4)),
    }  # fmt: skip
    assert analysis.summary([])["mean"] is None


def take(student_user, test, answers: dict[str, object]):
    """An attempt of `student_user` answering by question name, submitted."""
    attempt = actions.attempt_start(by=student_user, test=test)
    for question in Question.objects.filter(pk__in=attempt.questions):
        if question.name in answers:
            actions.answer_save(
                by=student_user, attempt=attempt, question_id=question.pk,
                response=answers[question.name], version=1,
            )  # fmt: skip
    return actions.attempt_submit(by=student_user, attempt=attempt)


def right_capital(bank):
    question = Question.objects.get(bank=bank, name="capital")
    return question, {o.shown_text: o.pk for o in question.options.all()}


def test_the_selector_counts_submitted_attempts_only(cast, setup, university):
    capital, options = right_capital(setup.bank)
    test = make_test(
        cast.teacher, setup.bank, questions=[capital, setup.question("round")],
        group=university.group_a, attempts_allowed=2,
    )  # fmt: skip
    good = take(
        cast.student, test, {"capital": {"option": options["Бишкек"]}, "round": {"value": True}}
    )
    bad = take(cast.other_student, test, {"capital": {"option": options["Ош"]}})
    annulled = take(cast.other_student, test, {"capital": {"option": options["Нарын"]}})
    actions.attempt_annul(by=cast.teacher, attempt=annulled, reason="Phone")
    actions.attempt_start(by=cast.student, test=test)  # in progress: not counted

    data = selectors.test_data(test)

    assert [a.pk for a in data.counted] == [good.pk, bad.pk]
    assert len(data.attempts) == 4
    first, second = data.rows
    assert first.question == capital
    assert first.stats.difficulty == 0.5 and first.stats.discrimination == 1.0
    assert [(c.label, c.count, c.right) for c in first.choices] == [
        ("Бишкек", 1, True), ("Ош", 1, False), ("Нарын", 0, False),
    ]  # fmt: skip
    assert second.stats.answered == 1
    assert [(c.label, c.count) for c in second.choices] == [("True", 1), ("False", 0)]
    assert sum(b.count for b in data.bins) == 2 and data.bins[-1].count == 1
    assert data.groups[good.pk] == university.group_a.name


def queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_analysis_page_costs_the_same_for_one_or_several_attempts(
    client, cast, setup, university
):
    _capital, options = right_capital(setup.bank)
    test = make_test(cast.teacher, setup.bank, group=university.group_a)
    take(cast.student, test, {"capital": {"option": options["Бишкек"]}})
    client.force_login(cast.teacher)
    url = reverse("testing:test-analysis", args=[test.pk])

    one = queries(client, url)
    take(
        cast.other_student, test, {"capital": {"option": options["Ош"]}, "round": {"value": False}}
    )
    several = queries(client, url)

    assert one == several
    page = client.get(url).content.decode()
    assert "test-analysis-data" in page and "Бишкек" in page


def test_short_answers_beyond_the_ten_listed_are_counted_as_other_answers():
    answers = ["Бишкек"] * 3 + ["Ош"] * 2 + [f"город {i}" for i in range(12)]
    attempts = [AttemptData(1, {1: 1.0}, {1: {"text": text}}) for text in answers]

    (row,) = analysis.question_stats(attempts, [1])

    # Бишкек, Ош and 8 of the 12 answered once are listed; 4 are left over.
    assert row.other_answers == 4
    listed = sorted(row.choices.values(), reverse=True)[: analysis.SHORT_ANSWERS_SHOWN]
    assert sum(listed) + row.other_answers == row.answered == len(answers)


def test_ten_or_fewer_short_answers_leave_no_other_answers():
    attempts = [AttemptData(1, {1: 1.0}, {1: {"text": f"{i}"}}) for i in range(10)]

    (row,) = analysis.question_stats(attempts, [1])

    assert row.other_answers == 0
    assert analysis.others_count(row.choices, shown=7) == 3


def test_the_analysis_page_shows_the_other_answers_so_the_counts_add_up(
    client, cast, setup, university
):
    test = make_test(
        cast.teacher, setup.bank, questions=[setup.question("russia")],
        group=university.group_a, attempts_allowed=6,
    )  # fmt: skip
    answers = ["Москва", "Москва", *(f"answer {i}" for i in range(10))]
    for i, text in enumerate(answers):
        take(cast.student if i % 2 else cast.other_student, test, {"russia": {"text": text}})
    client.force_login(cast.teacher)

    response = client.get(reverse("testing:test-analysis", args=[test.pk]))

    (row,) = response.context["data"].rows
    assert len(row.choices) == analysis.SHORT_ANSWERS_SHOWN
    assert sum(c.count for c in row.choices) + row.stats.other_answers == len(answers) == 12
    assert row.stats.other_answers == 1
    html = response.content.decode()
    assert "<li data-other-answers><em>Other answers</em>: 1</li>" in html


def test_the_analysis_page_shows_no_other_answers_when_all_are_listed(
    client, cast, setup, university
):
    test = make_test(
        cast.teacher, setup.bank, questions=[setup.question("russia")],
        group=university.group_a,
    )  # fmt: skip
    take(cast.student, test, {"russia": {"text": "Москва"}})
    client.force_login(cast.teacher)

    html = client.get(reverse("testing:test-analysis", args=[test.pk])).content.decode()

    assert "москва" in html and "Other answers" not in html
