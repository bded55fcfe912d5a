"""Reads of the testing module: lists and the attempt page, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import F, JSONField, Q, QuerySet, Value
from django.utils import timezone

from academic.grades.models import Checkpoint, Course
from academic.records.models import Status, Student, StudentState
from academic.records.selectors import covering
from academic.structure.models import Group
from hub.testing.analysis import SHORT_ANSWERS_SHOWN
from hub.testing.models import (
    Answer,
    Attempt,
    AttemptStatus,
    Bank,
    Kind,
    MatchPair,
    Option,
    Question,
    Test,
    Topic,
    in_language,
)


@dataclass
class QuestionContent:
    """What a student sees of one question, in the active language."""

    kind: str
    text: str
    options: dict[int, str] = field(default_factory=dict)  # pk -> label, in model order
    pairs: list[tuple[int, str, str]] = field(default_factory=list)  # pk, prompt, answer


def question_content(ids: list[int]) -> dict[int, QuestionContent]:
    """The questions `ids` (by pk) with their kinds and texts in the active language, their
    options and matching pairs in the models' order (order, pk): two queries, the options
    and pairs in one (a union), no model rows. Read once when an attempt starts, for its
    option orders and its page."""
    questions = {
        pk: QuestionContent(kind, in_language(text))
        for pk, kind, text in Question.objects.filter(pk__in=ids).values_list("pk", "kind", "text")
    }
    # The same columns in both parts: an option's text or a pair's prompt as `label`, a
    # pair's answer as `match` (none for an option).
    columns = ("pair", "order", "pk", "question_id", "label", "match")
    options = (
        Option.objects.filter(question_id__in=ids)
        .annotate(pair=Value(False), label=F("text"), match=Value(None, JSONField()))
        .values_list(*columns)
        .order_by()
    )
    pairs = (
        MatchPair.objects.filter(question_id__in=ids)
        .annotate(pair=Value(True), label=F("prompt"), match=F("answer"))
        .values_list(*columns)
        .order_by()
    )
    rows = sorted(options.union(pairs, all=True), key=lambda row: row[:3])
    for pair, _order, pk, question_id, label, match in rows:
        if pair:
            questions[question_id].pairs.append((pk, in_language(label), in_language(match)))
        else:
            questions[question_id].options[pk] = in_language(label)
    return questions


def banks_of(user) -> QuerySet[Bank]:
    """The banks `user` owns or that colleagues share with them."""
    return (
        Bank.objects.filter(Q(owner=user) | Q(shared_with=user))
        .distinct()
        .select_related("owner", "discipline")
    )


def bank_questions(bank: Bank) -> list[Question]:
    """The bank's questions with their topic and options, in order."""
    return list(
        bank.questions.select_related("topic").prefetch_related("options", "short_answers", "pairs")
    )


def bank_topics(bank: Bank) -> QuerySet[Topic]:
    return bank.topics.all()


def tests_of(user) -> QuerySet[Test]:
    """The tests `user` made, newest first."""
    return Test.objects.filter(owner=user).select_related("checkpoint__course")


def teacher_checkpoints(user) -> QuerySet[Checkpoint]:
    """The checkpoints of the courses `user` teaches (a test's score may go there)."""
    return Checkpoint.objects.filter(course__teacher=user).select_related(
        "course__discipline", "course__group"
    )


def assignable_groups(test: Test) -> QuerySet[Group]:
    """The groups of the courses the test's owner teaches."""
    return Group.objects.filter(
        pk__in=Course.objects.filter(teacher_id=test.owner_id).values("group_id")
    ).order_by("name")


def assignable_students(test: Test) -> QuerySet[Student]:
    """The students studying today in `assignable_groups`."""
    states = StudentState.objects.filter(
        covering(timezone.localdate()),
        status=Status.STUDYING,
        group__in=assignable_groups(test),
    )
    return Student.objects.filter(pk__in=states.values("student_id")).select_related("user")


@dataclass
class MyTest:
    test: Test
    attempts: list[Attempt]

    @property
    def running(self) -> Attempt | None:
        return next((a for a in self.attempts if a.status == AttemptStatus.IN_PROGRESS), None)

    @property
    def attempts_left(self) -> int:
        return max(self.test.attempts_allowed - len(self.attempts), 0)

    @property
    def is_open(self) -> bool:
        return self.test.opens_at <= timezone.now() < self.test.closes_at


def my_tests(state: StudentState) -> list[MyTest]:
    """The tests given to the student of `state` (their group or them), with their attempts."""
    tests = (
        Test.objects.filter(
            Q(assignments__group_id=state.group_id) | Q(assignments__student_id=state.student_id)
        )
        .distinct()
        .order_by("closes_at", "pk")
    )
    tests = list(tests)
    attempts: dict[int, list[Attempt]] = {}
    for attempt in Attempt.objects.filter(test__in=tests, student_id=state.student_id).order_by(
        "number"
    ):
        attempts.setdefault(attempt.test_id, []).append(attempt)
    return [MyTest(test, attempts.get(test.pk, [])) for test in tests]


def chosen_options(kind: str, response: dict) -> list[int]:
    """The option ids a saved response of a choice question chose (none for other kinds)."""
    if kind == Kind.SINGLE:
        return [response["option"]] if response.get("option") else []
    return list(response.get("options") or [])


@dataclass
class Shown:
    """One question of an attempt as shown: options (or matching answers) in frozen order,
    the saved answer and version, and after grading the fraction earned."""

    number: int
    question: Question
    choices: list = field(default_factory=list)
    response: dict = field(default_factory=dict)
    version: int = 0
    fraction: str | None = None

    @property
    def right(self) -> bool:
        return self.fraction is not None and float(self.fraction) >= 1

    @property
    def chosen(self) -> list[int]:
        return chosen_options(self.question.kind, self.response)

    @property
    def matched(self) -> list[tuple[object, int | None]]:
        """Matching rows (pair, chosen pair id)."""
        matches = self.response.get("matches") or {}
        return [(p, matches.get(str(p.pk))) for p in self.question.pairs.all()]


def attempt_questions(attempt: Attempt) -> list[Shown]:
    """The attempt's questions in its order with saved answers: four queries whatever the size."""
    questions = Question.objects.filter(pk__in=attempt.questions).prefetch_related(
        "options", "pairs"
    )
    by_pk = {q.pk: q for q in questions}
    answers = {
        a.question_id: a
        for a in Answer.objects.filter(attempt=attempt).only("question_id", "response", "version")
    }
    shown = []
    for number, pk in enumerate(attempt.questions, start=1):
        question = by_pk.get(pk)
        if question is None:
            continue
        order = attempt.option_orders.get(str(pk), [])
        rows = {o.pk: o for o in question.options.all()} or {p.pk: p for p in question.pairs.all()}
        choices = [rows[i] for i in order if i in rows]
        answer = answers.get(pk)
        shown.append(
            Shown(
                number=number,
                question=question,
                choices=choices,
                response=answer.response if answer else {},
                version=answer.version if answer else 0,
                fraction=attempt.results.get(str(pk)),
            )
        )
    return shown


def test_attempts(test: Test) -> list[Attempt]:
    """Every attempt at the test with its student, for the teacher's list."""
    return list(
        test.attempts.select_related("student__user").order_by("student__user__last_name", "number")
    )


# --- Analysis and reports (TS-7, TS-9) ----------------------------------------------------


def plain_text(html: str) -> str:
    """Rich text as one line of plain text (tags dropped, entities read, spaces collapsed)."""
    import html as html_lib
    import re

    spaced = re.sub(r"<(?:br|/p|/td|/th|/li|/tr|/div)\b[^>]*>", " ", html or "")
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", "", spaced)).split())


@dataclass
class ChoiceRow:
    """One line of a question's choice frequencies: what was chosen, by how many, and
    whether it is a right choice."""

    label: str
    count: int
    right: bool = False


@dataclass
class QuestionRow:
    number: int
    question: Question
    stats: object
    choices: list[ChoiceRow] = field(default_factory=list)


@dataclass
class TestData:
    """What the analysis page and the reports show of a test: the attempts counted
    (submitted, not annulled), every attempt for the protocol, the questions with their
    statistics, the score distribution and summary, each student's group and each
    attempt's answers."""

    test: Test
    attempts: list[Attempt]
    counted: list[Attempt]
    rows: list[QuestionRow]
    bins: list
    summary: dict
    groups: dict[int, str]
    answers: dict[int, dict[int, dict]]
    questions: dict[int, Question]


def _choice_rows(question: Question, counts) -> list[ChoiceRow]:
    from django.utils.translation import gettext as _

    if question.kind in (Kind.SINGLE, Kind.MULTIPLE):
        return [
            ChoiceRow(plain_text(o.shown_text), counts.get(o.pk, 0), o.fraction > 0)
            for o in question.options.all()
        ]
    if question.kind == Kind.TRUE_FALSE:
        return [
            ChoiceRow(_("True"), counts.get(True, 0), question.truth),
            ChoiceRow(_("False"), counts.get(False, 0), not question.truth),
        ]
    if question.kind == Kind.SHORT:
        accepted = {" ".join(a.text.split()).casefold() for a in question.short_answers.all()}
        return [
            ChoiceRow(text, count, text in accepted)
            for text, count in sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))[
                :SHORT_ANSWERS_SHOWN
            ]
        ]
    pairs = {p.pk: p for p in question.pairs.all()}
    rows = []
    for key, count in sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0]))):
        prompt_id, _sep, chosen_id = str(key).partition(":")
        prompt, chosen = pairs.get(int(prompt_id)), pairs.get(int(chosen_id or 0))
        if prompt is None or chosen is None:
            continue
        label = f"{plain_text(prompt.shown_prompt)} → {chosen.shown_answer}"
        rows.append(ChoiceRow(label, count, chosen.answer == prompt.answer))
    return rows


def _groups_of(attempts: list[Attempt]) -> dict[int, str]:
    """Per attempt id, the name of the student's group on the day it started (else their
    latest group): one query."""
    students = {a.student_id for a in attempts}
    states: dict[int, list] = {}
    for state in (
        StudentState.objects.filter(student_id__in=students)
        .select_related("group")
        .order_by("valid_from", "pk")
    ):
        states.setdefault(state.student_id, []).append(state)
    groups = {}
    for attempt in attempts:
        day = timezone.localtime(attempt.started_at).date()
        rows = states.get(attempt.student_id, [])
        covering_state = next(
            (s for s in rows if s.valid_from <= day and (s.valid_to is None or day <= s.valid_to)),
            rows[-1] if rows else None,
        )
        groups[attempt.pk] = covering_state.group.name if covering_state else ""
    return groups


def test_data(test: Test, *, bins: int = 10) -> TestData:
    """Everything the analysis page and the reports of `test` show, in a fixed number of
    queries whatever the number of attempts and questions."""
    from hub.testing import analysis

    attempts = list(
        test.attempts.select_related("student__user").order_by(
            "student__user__last_name", "student__user__first_name", "student_id", "number"
        )
    )
    counted = [a for a in attempts if a.status == AttemptStatus.SUBMITTED]
    answers: dict[int, dict[int, dict]] = {}
    for attempt_id, question_id, response in Answer.objects.filter(
        attempt__in=[a.pk for a in attempts]
    ).values_list("attempt_id", "question_id", "response"):
        answers.setdefault(attempt_id, {})[question_id] = response
    fixed = list(test.fixed.values_list("question_id", flat=True))
    seen = dict.fromkeys(fixed)
    for attempt in attempts:
        seen.update(dict.fromkeys(q for q in attempt.questions if q not in seen))
    questions = {
        q.pk: q
        for q in Question.objects.filter(pk__in=list(seen)).prefetch_related(
            "options", "short_answers", "pairs"
        )
    }
    order = [pk for pk in seen if pk in questions]
    data = [
        analysis.AttemptData(
            score=analysis.to_float(a.score),
            fractions={int(k): float(v) for k, v in (a.results or {}).items()},
            responses=answers.get(a.pk, {}),
        )
        for a in counted
    ]
    stats = analysis.question_stats(data, order)
    rows = [
        QuestionRow(number, questions[s.question_id], s, _choice_rows(questions[s.question_id],
                                                                       s.choices))
        for number, s in enumerate(stats, start=1)
    ]  # fmt: skip
    scores = [d.score for d in data]
    return TestData(
        test=test,
        attempts=attempts,
        counted=counted,
        rows=rows,
        bins=analysis.histogram(scores, float(test.max_score), bins),
        summary=analysis.summary(scores),
        groups=_groups_of(attempts),
        answers=answers,
        questions=questions,
    )


DATA_URL = r"""(src)=(["'])data:(image/[\w.+-]+);base64,([A-Za-z0-9+/=\s]+)\2"""


def _extract_images(question, fields: list[dict]) -> None:
    """Images inlined as data URLs (as the bank keeps them) become the question's embedded
    files referenced by name, in place in `fields` (for Moodle XML, which carries files)."""
    import base64
    import re

    from hub.testing.formats import questions as fmt

    names: dict[bytes, str] = {}

    def swap(match: re.Match) -> str:
        content = base64.b64decode(re.sub(r"\s", "", match.group(4)))
        if content not in names:
            extension = match.group(3).split("/")[1].split("+")[0].replace("jpeg", "jpg")
            names[content] = f"image{len(names) + 1}.{extension}"
            question.files.append(fmt.EmbeddedFile(names[content], content, match.group(3)))
        return f"{match.group(1)}={match.group(2)}{names[content]}{match.group(2)}"

    for texts in fields:
        for language, value in list(texts.items()):
            texts[language] = re.sub(DATA_URL, swap, value)


def bank_for_export(bank: Bank, *, files: bool = False) -> list:
    """The bank's questions as format-layer questions (for Moodle XML and GIFT), each under
    its topic as the category. With `files`, inlined images become embedded files (Moodle
    XML); without, they stay data URLs in the HTML (GIFT has no files)."""
    from hub.testing.formats import questions as fmt

    def percent(value) -> float:
        return float(value) * 100

    items = []
    for q in bank_questions(bank):
        item = fmt.Question(
            kind=fmt.Kind(q.kind),
            name=q.name,
            text=dict(q.text or {}),
            options=[
                fmt.Option(
                    text=dict(o.text), percent=percent(o.fraction), feedback=dict(o.feedback or {})
                )
                for o in q.options.all()
            ],
            answers=[
                fmt.ShortAnswer(text=a.text, percent=percent(a.fraction))
                for a in q.short_answers.all()
            ],
            case_sensitive=q.case_sensitive,
            pairs=[
                fmt.MatchPair(prompt=dict(p.prompt), answer=dict(p.answer)) for p in q.pairs.all()
            ],
            truth=q.truth,
            default_mark=float(q.mark),
            general_feedback=dict(q.general_feedback or {}),
            category=(q.topic.name,) if q.topic else (),
        )
        if files:
            fields = [item.text, item.general_feedback]
            fields += [o.text for o in item.options] + [o.feedback for o in item.options]
            fields += [p.prompt for p in item.pairs]
            _extract_images(item, fields)
        items.append(item)
    return items


def colleagues(user) -> QuerySet:
    """Active users other than `user` holding a role with EDIT on testing: those a bank may
    be shared with (the action checks each again)."""
    from hub.accounts.access import Level, Module
    from hub.accounts.models import User

    return (
        User.objects.filter(
            is_active=True,
            role_assignments__role__rights__module=Module.TESTING,
            role_assignments__role__rights__level__gte=Level.EDIT,
        )
        .exclude(pk=user.pk)
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


def writable_banks(user) -> QuerySet[Bank]:
    """The banks `user` owns: where questions may be copied or a bank merged into."""
    return Bank.objects.filter(owner=user).order_by("title", "pk")
