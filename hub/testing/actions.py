"""Writes of the testing module (TS-2…TS-7, SC-4).

- Banks: `bank_create`, `bank_share`, `bank_unshare`, `bank_import` (GIFT, Moodle XML,
  Word; all or nothing: a file with any problem imports nothing), `question_copy`,
  `questions_copy`, `bank_copy`, `bank_merge`.
- Tests: `test_create` (fixed questions and random draws per topic),
  `test_assign` (groups or students).
- Attempts: `attempt_start` (assignment through the records, window, attempts
  left; draws and freezes questions and option orders and the deadline),
  `answer_save` (persisted before it is acknowledged; idempotent by attempt,
  question and the client's version), `attempt_submit` (auto-grading; the
  score goes to the test's checkpoint), `attempts_submit_overdue` (the Celery
  sweep), `attempt_annul` (score withdrawn from the journal, student notified).

Actions are keyword-only and atomic; everything except answer saves is
audited (an answer row carries its own time and version, and auditing each of
hundreds of saves per minute would double the write load of an exam).
"""

from __future__ import annotations

import base64
import io
import logging
import random
import re
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.db.models import Exists, FilteredRelation, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from academic.grades.actions.journal import external_score_record, external_score_withdraw
from academic.grades.models import Checkpoint, ScoreSource
from academic.records.models import Status, Student, StudentState
from academic.records.selectors import covering
from hub.accounts.models import User
from hub.audit.log import audit_record, snapshot
from hub.compiled import Compiled
from hub.errors import DomainError
from hub.testing import grading
from hub.testing.formats import questions as fmt
from hub.testing.formats.docx import parse_docx
from hub.testing.formats.gift import parse_gift
from hub.testing.formats.html import sanitise_html
from hub.testing.formats.moodle_xml import parse_moodle_xml
from hub.testing.models import (
    Answer,
    Attempt,
    AttemptStatus,
    Bank,
    Kind,
    Layout,
    MatchPair,
    Option,
    Question,
    ShortAnswer,
    Test,
    TestAssignment,
    TestDraw,
    TestQuestion,
    Topic,
    camera_interval,
)
from hub.testing.selectors import QuestionContent, question_content

log = logging.getLogger(__name__)

BANK_FIELDS = ("owner", "discipline", "title")
TEST_FIELDS = (
    "owner", "title", "opens_at", "closes_at", "time_limit", "attempts_allowed",
    "shuffle_questions", "shuffle_options", "show_results", "layout", "max_score", "checkpoint",
)  # fmt: skip
ATTEMPT_FIELDS = ("test", "student", "number", "status", "score", "deadline", "submitted_at")
CENTS = Decimal("0.01")
IMPORT_EXTENSIONS = (".gift", ".txt", ".xml", ".docx")
MAX_IMPORT_BYTES = 20 * 1024 * 1024


def attempt_ref(attempt: Attempt) -> str:
    """The reference of an attempt's score in the journal (GB-5)."""
    return f"testing.attempt:{attempt.pk}"


# --- Banks and import (TS-2…TS-4) --------------------------------------------------------


@transaction.atomic
def bank_create(*, by: User, title: str, discipline=None) -> Bank:
    """A new empty bank owned by `by`. Audited; nobody is notified."""
    title = (title or "").strip()
    if not title:
        raise DomainError(_("A bank needs a title."))
    bank = Bank.objects.create(owner=by, title=title[:255], discipline=discipline)
    audit_record(action="bank_create", obj=bank, after=snapshot(bank, BANK_FIELDS), actor=by)
    return bank


@transaction.atomic
def bank_share(*, by: User, bank: Bank, users: list[User]) -> int:
    """Share `bank` (read and copy from it) with colleagues who make tests; returns how many
    were added. Refused for someone who does not make tests. Audited; nobody is notified."""
    from hub.testing.permissions import is_teacher

    strangers = [u for u in users if not is_teacher(u)]
    if strangers:
        raise DomainError(
            _("%(name)s does not make tests.") % {"name": strangers[0].get_full_name()}
        )
    have = set(bank.shared_with.values_list("pk", flat=True))
    new = [u for u in users if u.pk not in have and u.pk != bank.owner_id]
    bank.shared_with.add(*new)
    if new:
        audit_record(
            action="bank_share", obj=bank, after={"shared_with": [u.pk for u in new]}, actor=by
        )
    return len(new)


@transaction.atomic
def bank_unshare(*, by: User, bank: Bank, user: User) -> None:
    """Stop sharing `bank` with `user`: they no longer read it, copy from it or make tests
    of it (tests they already made keep their questions). Refused (DomainError) if the bank
    is not shared with them. Audited; nobody is notified (as with bank_share)."""
    if not bank.shared_with.filter(pk=user.pk).exists():
        raise DomainError(
            _("The bank is not shared with %(name)s.") % {"name": user.get_full_name()}
        )
    bank.shared_with.remove(user)
    audit_record(action="bank_unshare", obj=bank, before={"shared_with": [user.pk]}, actor=by)


class ImportRefused(DomainError):
    """The file has problems: nothing was imported; `problems` says what and where."""

    def __init__(self, problems: list[fmt.Problem]) -> None:
        super().__init__(
            _("The file has %(count)s problem(s): nothing was imported.") % {"count": len(problems)}
        )
        self.problems = problems


def import_preview(*, name: str, content: bytes, language: str) -> fmt.ImportResult:
    """The questions and problems read from an uploaded file (no writes): the preview.

    The format is chosen by the extension. A file that cannot be read at all is
    one problem on the whole file.
    """
    extension = Path(name or "").suffix.lower()
    if extension not in IMPORT_EXTENSIONS:
        raise DomainError(
            _("Import takes a GIFT (.gift, .txt), Moodle XML (.xml) or Word (.docx) file.")
        )
    if len(content) > MAX_IMPORT_BYTES:
        raise DomainError(_("The file is larger than 20 MB."))
    try:
        if extension == ".docx":
            return parse_docx(io.BytesIO(content), language=language)
        if extension == ".xml":
            return parse_moodle_xml(content, language=language)
        return parse_gift(content, language=language)
    except Exception as error:  # any unreadable file is one problem, not a server error
        log.info("import of %s failed: %r", name, error)
        result = fmt.ImportResult()
        result.problems.append(
            fmt.Problem(position=0, reason=_("The file cannot be read in this format."))
        )
        return result


def _inline_images(html: str, files: list[fmt.EmbeddedFile]) -> str:
    """Images referenced by bare name become inline data URLs (the bank keeps no files)."""
    for file in files:
        data = base64.b64encode(file.content).decode("ascii")
        html = re.sub(
            f'src="{re.escape(file.name)}"', f'src="data:{file.mime};base64,{data}"', html
        )
    return html


def _clean(texts: dict, files: list[fmt.EmbeddedFile]) -> dict:
    """Per-language HTML sanitised, with its images inlined; empty languages dropped."""
    return {
        lang: sanitise_html(_inline_images(value, files))
        for lang, value in (texts or {}).items()
        if lang in fmt.LANGUAGES and value
    }


def _topic(bank: Bank, name: str, cache: dict[str, Topic]) -> Topic | None:
    name = (name or "").strip()[:255]
    if not name:
        return None
    if name not in cache:
        cache[name], _created = Topic.objects.get_or_create(bank=bank, name=name)
    return cache[name]


def _fraction(percent: float) -> Decimal:
    return (Decimal(str(percent)) / 100).quantize(Decimal("0.00001"))


def _store_question(bank: Bank, item: fmt.Question, topics: dict[str, Topic]) -> Question:
    files = item.files
    question = Question.objects.create(
        bank=bank,
        topic=_topic(bank, item.category[-1] if item.category else "", topics),
        kind=Kind(item.kind.value),
        name=(item.name or fmt.default_name(item.text))[:255],
        text=_clean(item.text, files),
        mark=Decimal(str(item.default_mark or 1)),
        case_sensitive=item.case_sensitive,
        truth=item.truth,
        general_feedback=_clean(item.general_feedback, files),
    )
    Option.objects.bulk_create(
        Option(
            question=question,
            order=i,
            text=_clean(o.text, files),
            fraction=_fraction(o.percent),
            feedback=_clean(o.feedback, files),
        )
        for i, o in enumerate(item.options)
    )
    ShortAnswer.objects.bulk_create(
        ShortAnswer(question=question, order=i, text=a.text[:255], fraction=_fraction(a.percent))
        for i, a in enumerate(item.answers)
    )
    MatchPair.objects.bulk_create(
        MatchPair(question=question, order=i, prompt=_clean(p.prompt, files), answer=dict(p.answer))
        for i, p in enumerate(item.pairs)
    )
    return question


@transaction.atomic
def bank_import(
    *, by: User, bank: Bank, name: str, content: bytes, language: str
) -> list[Question]:
    """Add the questions of an uploaded file to `bank`, all of them or none.

    Refused with `ImportRefused` (listing the problems) when the format layer
    reports any problem, and with DomainError for an empty file: nothing is
    half-imported. Every text is sanitised; categories become topics (the
    last part of the path). Audited once with the count; nobody is notified.
    """
    result = import_preview(name=name, content=content, language=language)
    if result.problems:
        raise ImportRefused(result.problems)
    if not result.questions:
        raise DomainError(_("The file holds no questions."))
    topics: dict[str, Topic] = {}
    made = [_store_question(bank, item, topics) for item in result.questions]
    audit_record(
        action="bank_import",
        obj=bank,
        after={"file": name, "questions": len(made)},
        actor=by,
    )
    return made


@transaction.atomic
def question_copy(*, by: User, question: Question, bank: Bank) -> Question:
    """A copy of `question` (texts, options, answers, pairs) in `bank`, under the topic of
    the same name there (made if missing). Audited; nobody is notified."""
    source = Question.objects.select_related("topic").get(pk=question.pk)
    options = list(source.options.all())
    answers = list(source.short_answers.all())
    pairs = list(source.pairs.all())
    topic = _topic(bank, source.topic.name if source.topic else "", {})
    source.pk = None
    source.id = None
    source.bank, source.topic = bank, topic
    source.save()
    for rows in (options, answers, pairs):
        for row in rows:
            row.pk = None
            row.question = source
    Option.objects.bulk_create(options)
    ShortAnswer.objects.bulk_create(answers)
    MatchPair.objects.bulk_create(pairs)
    audit_record(
        action="question_copy", obj=source, after={"from": question.pk, "bank": bank.pk}, actor=by
    )
    return source


# --- Tests (TS-5) -------------------------------------------------------------------------


@dataclass(frozen=True)
class Draw:
    """`count` random questions of `topic` per attempt."""

    topic: Topic
    count: int


@transaction.atomic
def test_create(
    *,
    by: User,
    title: str,
    opens_at,
    closes_at,
    time_limit: int,
    questions: list[Question] = (),
    draws: list[Draw] = (),
    attempts_allowed: int = 1,
    shuffle_questions: bool = True,
    shuffle_options: bool = True,
    show_results: bool = True,
    layout: str = Layout.ONE,
    checkpoint: Checkpoint | None = None,
    max_score: Decimal | int | None = None,
) -> Test:
    """A test owned by `by` of fixed `questions` and random `draws` per topic.

    Refused: no title, a window closing before it opens, a limit under a
    minute, no questions, a draw asking more than its topic holds, a maximum
    above the checkpoint's. The maximum defaults to the checkpoint's (100
    without one). Audited; nobody is notified until it is assigned.
    """
    title = (title or "").strip()
    problems = []
    if not title:
        problems.append(_("A test needs a title."))
    if closes_at <= opens_at:
        problems.append(_("The test must close after it opens."))
    if int(time_limit) < 1:
        problems.append(_("The time limit is at least one minute."))
    if int(attempts_allowed) < 1:
        problems.append(_("At least one attempt is allowed."))
    if not questions and not draws:
        problems.append(_("A test needs questions: fixed ones or draws from topics."))
    for draw in draws:
        available = Question.objects.filter(topic=draw.topic).count()
        if not (1 <= draw.count <= available):
            problems.append(
                _("The topic %(topic)s holds %(available)s questions.")
                % {"topic": draw.topic.name, "available": available}
            )
    if max_score is None:
        max_score = checkpoint.max_score if checkpoint else 100
    max_score = Decimal(str(max_score))
    if max_score <= 0 or (checkpoint and max_score > checkpoint.max_score):
        problems.append(_("The maximum score must fit the checkpoint's maximum."))
    if problems:
        raise DomainError(problems[0], messages=problems)
    test = Test.objects.create(
        owner=by, title=title[:255], opens_at=opens_at, closes_at=closes_at,
        time_limit=int(time_limit), attempts_allowed=int(attempts_allowed),
        shuffle_questions=shuffle_questions, shuffle_options=shuffle_options,
        show_results=show_results, layout=layout, checkpoint=checkpoint, max_score=max_score,
    )  # fmt: skip
    TestQuestion.objects.bulk_create(
        TestQuestion(test=test, question=q, order=i) for i, q in enumerate(questions)
    )
    TestDraw.objects.bulk_create(TestDraw(test=test, topic=d.topic, count=d.count) for d in draws)
    audit_record(action="test_create", obj=test, after=snapshot(test, TEST_FIELDS), actor=by)
    return test


@transaction.atomic
def test_assign(*, by: User, test: Test, groups=(), students=()) -> int:
    """Give `test` to whole `groups` and to single `students`; returns how many new.

    Giving it again to the same group or student changes nothing. Audited per
    new assignment; the students see it in "My tests".
    """
    have_groups = set(test.assignments.values_list("group_id", flat=True))
    have_students = set(test.assignments.values_list("student_id", flat=True))
    rows = [
        TestAssignment(test=test, group=g, assigned_by=by)
        for g in groups
        if g.pk not in have_groups
    ] + [
        TestAssignment(test=test, student=s, assigned_by=by)
        for s in students
        if s.pk not in have_students
    ]
    rows = TestAssignment.objects.bulk_create(rows)
    for row in rows:
        audit_record(
            action="test_assign",
            obj=test,
            after={"group": row.group_id, "student": row.student_id},
            actor=by,
        )
    return len(rows)


# --- Attempts (SC-4, TS-6) ----------------------------------------------------------------


def current_state(user: User) -> StudentState | None:
    """The user's state as a student studying today in the records (None if not one), with
    only the student's id and user of the student's row: what starting a test needs."""
    return (
        StudentState.objects.filter(
            covering(timezone.localdate()), student__user=user, status=Status.STUDYING
        )
        .select_related("student")
        .only("status", "group_id", "valid_from", "valid_to", "student__user_id")
        # Periods never overlap: one row at most. Ordered by id, not by the model's
        # ordering, which would join the user's row only to sort by name.
        .order_by("pk")
        .first()
    )


def _given_to(state: StudentState) -> Q:
    """The assignments giving a test to the student of `state`: to their current group or
    to them by name."""
    return Q(group_id=state.group_id) | Q(student_id=state.student_id)


def is_assigned(test: Test, state: StudentState) -> bool:
    """Is `test` given to the student of `state` (to their current group or by name)?"""
    return test.assignments.filter(_given_to(state)).exists()


def assigned_test(state: StudentState, test_id: int) -> Test | None:
    """The test `test_id` if it is given to the student of `state` (as `is_assigned`), else
    None: the test, the check and the test's `camera_interval` (for the attempt page the
    start answers with) in one query, for the start of an exam by a whole stream."""
    given = TestAssignment.objects.filter(_given_to(state), test_id=OuterRef("pk"))
    return (
        Test.objects.filter(Exists(given), pk=test_id)
        .annotate(camera_interval=camera_interval())
        .first()
    )


def _draw(test: Test, rng: random.Random) -> list[int]:
    """The questions of a new attempt: the fixed ones in their order, then each draw's sample
    of its topic's questions not yet chosen, all shuffled if the test says so. Two queries
    whatever the number of draws."""
    chosen = list(test.fixed.values_list("question_id", flat=True))
    # Every draw with its topic's questions, one row each (one row of None for an empty
    # topic), in the order the draws are taken and, within one, by question.
    rows = test.draws.order_by("pk", "topic__questions__pk").values_list(
        "pk", "count", "topic__questions__pk"
    )
    pools: dict[int, tuple[int, list[int]]] = {}
    for draw_id, count, question_id in rows:
        pool = pools.setdefault(draw_id, (count, []))[1]
        if question_id is not None:
            pool.append(question_id)
    for count, pool in pools.values():
        taken = set(chosen)
        pool = [pk for pk in pool if pk not in taken]
        chosen += rng.sample(pool, min(count, len(pool)))
    if test.shuffle_questions:
        rng.shuffle(chosen)
    return chosen


def _option_orders(
    test: Test, content: dict[int, QuestionContent], rng: random.Random
) -> dict[str, list]:
    """Per question the ids shown in order: options of choice questions, the answer column
    of matching questions (always shuffled: in order it would give the answers away)."""
    orders: dict[str, list[int]] = {}
    for question_id, question in content.items():
        if question.options:
            option_ids = list(question.options)
            if test.shuffle_options:
                rng.shuffle(option_ids)
            orders[str(question_id)] = option_ids
        if question.pairs:
            pair_ids = [pk for pk, _prompt, _answer in question.pairs]
            rng.shuffle(pair_ids)
            orders[str(question_id)] = pair_ids
    return orders


def expire_if_due(attempt: Attempt) -> Attempt:
    """Submit an attempt in progress whose deadline has passed (on any access to it)."""
    if attempt.status == AttemptStatus.IN_PROGRESS and timezone.now() >= attempt.deadline:
        return attempt_submit(by=None, attempt=attempt, auto=True)
    return attempt


def attempt_start(
    *,
    by: User,
    test: Test,
    rng: random.Random | None = None,
    state: StudentState | None = None,
) -> Attempt:
    """Start (or resume) `by`'s attempt at `test`.

    Checks through the records that `by` studies today and the test is given
    to their current group or to them; that the window is open; that attempts
    are left. An attempt in progress is resumed (submitted first if its time
    is up). A new one draws its questions, freezes their order and each
    question's option order, and the deadline: the start plus the limit, but
    no later than the window's close. Audited; nobody is notified.
    `state`: `by`'s current state, read and found assigned by the caller (the start
    view checks both to answer 404), not read again. A new attempt carries its questions'
    content as read to freeze the option orders (`drawn_content`,
    selectors.question_content), so its page does not read it again.
    """
    if state is None:
        state = current_state(by)
        if state is None or not is_assigned(test, state):
            raise DomainError(_("This test is not given to you."))
    elif state.student.user_id != by.pk:
        raise DomainError(_("This test is not given to you."))
    rng = rng or random.SystemRandom()
    attempt, created = _attempt_running_or_new(by=by, test=test, student=state.student, rng=rng)
    if not created and expire_if_due(attempt).status != AttemptStatus.IN_PROGRESS:
        # The running attempt's time was up: it is submitted now, in its own transaction
        # (so it stays submitted if the new start is refused), and a new one is asked for.
        attempt, _created = _attempt_running_or_new(
            by=by, test=test, student=state.student, rng=rng
        )
    return attempt


@transaction.atomic
def _attempt_running_or_new(
    *, by: User, test: Test, student: Student, rng: random.Random
) -> tuple[Attempt, bool]:
    """`student`'s attempt in progress at `test` as it is, with False; else a new one, with
    True (refused outside the test's window or with no attempts left)."""
    # The student's row serialises their starts: two tabs pressing "Start" get one attempt.
    # Only its id is read, and only it is locked (unordered: the model's ordering would join
    # and lock the user's row too).
    list(Student.objects.select_for_update().filter(pk=student.pk).order_by().values_list("pk"))
    # Read under the lock, so a start from another tab a moment ago is seen.
    attempts = list(Attempt.objects.filter(test=test, student=student))
    running = next((a for a in attempts if a.status == AttemptStatus.IN_PROGRESS), None)
    if running is not None:
        return running, False
    now = timezone.now()
    if now < test.opens_at:
        raise DomainError(_("The test has not opened yet."))
    if now >= test.closes_at:
        raise DomainError(_("The test is closed."))
    if len(attempts) >= test.attempts_allowed:
        raise DomainError(_("You have no attempts left at this test."))
    questions = _draw(test, rng)
    content = question_content(questions)
    attempt = Attempt.objects.create(
        test=test,
        student=student,
        number=max((a.number for a in attempts), default=0) + 1,
        started_at=now,
        deadline=min(now + timedelta(minutes=test.time_limit), test.closes_at),
        questions=questions,
        option_orders=_option_orders(test, content, rng),
    )
    audit_record(
        action="attempt_start", obj=attempt, after=snapshot(attempt, ATTEMPT_FIELDS), actor=by
    )
    attempt.drawn_content = content
    return attempt, True


class TimeUp(DomainError):
    """The attempt's time is over: the answer was not saved and the attempt is submitted."""


def answer_save(*, by: User, attempt: Attempt, question_id: int, response, version: int) -> Answer:
    """Save `by`'s answer to one question of their attempt; the saved row is the receipt.

    Idempotent: `version` is the client's counter for this question; a save
    with a version not above the stored one changes nothing and returns the
    stored answer (a resend from the offline queue, or an older one arriving
    late). Refused: not the attempt's student, an attempt no longer in
    progress, a question not in the attempt, a malformed response; after the
    deadline with `TimeUp` (and the attempt is submitted). The status and the
    deadline are read under the attempt's row lock, so an extension or an end
    by the proctor a moment ago counts. Not audited (see the module
    docstring); nobody is notified.
    """
    # The student and the questions are fixed when the attempt starts: the caller's
    # copy (read for this request) answers for them.
    if attempt.student.user_id != by.pk:
        raise DomainError(_("This attempt is not yours."))
    if attempt.status != AttemptStatus.IN_PROGRESS:
        raise DomainError(_("This attempt is already submitted: answers no longer change."))
    if int(question_id) not in attempt.questions:
        raise DomainError(_("This question is not in your attempt."))
    try:
        version = int(version)
    except (TypeError, ValueError):
        version = 0
    if version < 1:
        raise DomainError(_("This answer is not understood."))
    try:
        return _store_answer(attempt, int(question_id), response, version)
    except _Overdue:
        expire_if_due(attempt)  # its deadline is the one read under the lock
        raise TimeUp(
            _("The time is up: this answer was not saved and the test was submitted.")
        ) from None


class _Overdue(Exception):
    """The attempt's deadline, read under its lock, has passed."""


def _locked_for_answer(attempt_id: int, question_id: int):
    """The attempt locked, read with the question's kind and its stored answer, if any."""
    return (
        Attempt.objects.select_for_update(of=("self",))
        .filter(pk=attempt_id)
        .annotate(
            kind=Subquery(Question.objects.filter(pk=question_id).values("kind")),
            stored=FilteredRelation("answers", condition=Q(answers__question_id=question_id)),
        )
        .values_list(
            "status", "deadline", "kind", "stored__id", "stored__version", "stored__response"
        )
    )


# Compiled once: every student of an exam saves every few seconds (hub.compiled).
_LOCKED_FOR_ANSWER = Compiled(_locked_for_answer)


@transaction.atomic
def _store_answer(attempt: Attempt, question_id: int, response, version: int) -> Answer:
    # The attempt's row lock orders this save against a submit running at the same
    # moment: an answer is either graded with the attempt or refused, never left over.
    # It also orders the saves of one attempt, so the answer row read with the lock (in
    # the same statement, with the question's kind) can then be inserted or updated
    # without a savepoint: no other save of this attempt runs meanwhile.
    locked = _LOCKED_FOR_ANSWER.first(attempt_id=attempt.pk, question_id=question_id)
    if locked is None:
        raise DomainError(_("This attempt is already submitted: answers no longer change."))
    status, deadline, kind, stored_id, stored_version, stored_response = locked
    response = grading.normalise_response(kind, response)
    if status != AttemptStatus.IN_PROGRESS:
        raise DomainError(_("This attempt is already submitted: answers no longer change."))
    # The caller answers the remaining time (or submits when it is up) from this deadline.
    attempt.deadline = deadline
    now = timezone.now()
    if now >= deadline:
        raise _Overdue
    if stored_id is None:
        return Answer.objects.create(
            attempt=attempt, question_id=question_id, response=response, version=version,
            saved_at=now,
        )  # fmt: skip
    stored = Answer(pk=stored_id, attempt=attempt, question_id=question_id,
                    response=stored_response, version=stored_version)  # fmt: skip
    if version > stored_version:
        Answer.objects.filter(pk=stored_id).update(response=response, version=version, saved_at=now)
        stored.response, stored.version, stored.saved_at = response, version, now
    return stored


def _grade(attempt: Attempt) -> tuple[Decimal, dict[str, str]]:
    questions = Question.objects.filter(pk__in=attempt.questions).prefetch_related(
        "options", "short_answers", "pairs"
    )
    responses = dict(attempt.answers.values_list("question_id", "response"))
    results, earned, total = {}, Decimal(0), Decimal(0)
    for question in questions:
        fraction = grading.grade(question, responses.get(question.pk))
        results[str(question.pk)] = str(fraction.quantize(Decimal("0.0001")))
        earned += fraction * question.mark
        total += question.mark
    score = (earned / total * attempt.test.max_score) if total else Decimal(0)
    return score.quantize(CENTS), results


def _deliver(attempt: Attempt) -> None:
    """The score in the test's checkpoint; a refusal (a student no longer on the course's
    roll, a closed exam sheet) leaves the attempt graded and is logged for the teacher."""
    checkpoint = attempt.test.checkpoint
    if checkpoint is None:
        return
    value = min(attempt.score, Decimal(checkpoint.max_score))
    try:
        with transaction.atomic():
            external_score_record(
                by=None,
                checkpoint=checkpoint,
                student=attempt.student,
                value=value,
                source=ScoreSource.TEST,
                ref=attempt_ref(attempt),
            )
    except DomainError as error:
        log.warning("attempt %s: score not delivered to the journal: %s", attempt.pk, error)


@transaction.atomic
def attempt_submit(*, by: User | None, attempt: Attempt, auto: bool = False) -> Attempt:
    """Grade and close an attempt; its score goes to the test's checkpoint.

    `auto` for the end of time (then submitted at the deadline). Submitting a
    closed attempt again returns it unchanged. Audited; the score is published
    by the journal to the course, the student and the group.
    """
    attempt = (
        Attempt.objects.select_for_update(of=("self",))
        .select_related("test__checkpoint", "student")
        .get(pk=attempt.pk)
    )
    if attempt.status != AttemptStatus.IN_PROGRESS:
        return attempt
    if by is not None and attempt.student.user_id != by.pk:
        raise DomainError(_("This attempt is not yours."))
    now = timezone.now()
    attempt.score, attempt.results = _grade(attempt)
    attempt.status = AttemptStatus.SUBMITTED
    attempt.submitted_at = min(now, attempt.deadline) if auto else now
    attempt.save(update_fields=["score", "results", "status", "submitted_at"])
    audit_record(
        action="attempt_submit",
        obj=attempt,
        after=snapshot(attempt, ATTEMPT_FIELDS),
        reason=_("time is up") if auto else "",
        actor=by,
    )
    _deliver(attempt)
    return attempt


def attempts_submit_overdue() -> int:
    """Submit every attempt in progress whose deadline has passed; returns how many.

    Each in its own transaction, so one failure does not hold back the rest.
    """
    due = Attempt.objects.filter(
        status=AttemptStatus.IN_PROGRESS, deadline__lte=timezone.now()
    ).values_list("pk", flat=True)
    count = 0
    for pk in list(due):
        attempt = attempt_submit(by=None, attempt=Attempt(pk=pk), auto=True)
        count += attempt.status == AttemptStatus.SUBMITTED
    return count


@transaction.atomic
def attempt_annul(*, by: User, attempt: Attempt, reason: str) -> Attempt:
    """Annul an attempt (a teacher or the deanery, TS-8): its score leaves the journal.

    A reason is required; an attempt already annulled is refused. Audited with
    the reason; the student is notified.
    """
    from realtime.actions import notification_send

    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the result is annulled."))
    attempt = (
        Attempt.objects.select_for_update(of=("self",))
        .select_related("test", "student")
        .get(pk=attempt.pk)
    )
    if attempt.status == AttemptStatus.ANNULLED:
        raise DomainError(_("This attempt is already annulled."))
    before = snapshot(attempt, ATTEMPT_FIELDS)
    attempt.status = AttemptStatus.ANNULLED
    attempt.annul_reason = reason
    if attempt.submitted_at is None:
        attempt.submitted_at = timezone.now()
    attempt.save(update_fields=["status", "annul_reason", "submitted_at"])
    external_score_withdraw(by=by, source=ScoreSource.TEST, ref=attempt_ref(attempt), reason=reason)
    audit_record(
        action="attempt_annul",
        obj=attempt,
        before=before,
        after=snapshot(attempt, ATTEMPT_FIELDS),
        reason=reason,
        actor=by,
    )
    notification_send(
        recipients=[attempt.student.user_id],
        title=_("Your result of the test %(test)s was annulled") % {"test": attempt.test.title},
        body=reason,
    )
    return attempt


# --- Bank management: copy and merge (TS-4) -----------------------------------------------


def _duplicate(source: Question, bank: Bank, topics: dict[str, Topic]) -> Question:
    """A copy of `source` (prefetched options, answers, pairs) in `bank` under the topic of
    the same name there (made if missing)."""
    options = list(source.options.all())
    answers = list(source.short_answers.all())
    pairs = list(source.pairs.all())
    copy = Question.objects.create(
        bank=bank, topic=_topic(bank, source.topic.name if source.topic else "", topics),
        kind=source.kind, name=source.name, text=source.text, mark=source.mark,
        partial_credit=source.partial_credit, penalty=source.penalty,
        case_sensitive=source.case_sensitive, truth=source.truth,
        general_feedback=source.general_feedback,
    )  # fmt: skip
    for rows in (options, answers, pairs):
        for row in rows:
            row.pk = None
            row.id = None
            row.question = copy
    Option.objects.bulk_create(options)
    ShortAnswer.objects.bulk_create(answers)
    MatchPair.objects.bulk_create(pairs)
    return copy


@transaction.atomic
def bank_copy(*, by: User, bank: Bank, title: str = "") -> Bank:
    """A new bank of `by` with a copy of every topic and question of `bank` (which `by`
    reads: their own or one shared with them). `title` defaults to the source's with
    "(copy)". Audited once with the count; nobody is notified."""
    title = (title or "").strip() or _("%(title)s (copy)") % {"title": bank.title}
    copy = Bank.objects.create(owner=by, title=title[:255], discipline=bank.discipline)
    topics: dict[str, Topic] = {}
    for topic in bank.topics.all():
        _topic(copy, topic.name, topics)
    questions = bank.questions.select_related("topic").prefetch_related(
        "options", "short_answers", "pairs"
    )
    made = [_duplicate(question, copy, topics) for question in questions]
    audit_record(
        action="bank_copy",
        obj=copy,
        after=snapshot(copy, BANK_FIELDS) | {"from": bank.pk, "questions": len(made)},
        actor=by,
    )
    return copy


@transaction.atomic
def bank_merge(*, by: User, source: Bank, target: Bank) -> int:
    """Move every question and topic of `source` into `target`, then delete `source`;
    returns how many questions moved.

    Both banks must be written by `by` (the views check it) and differ. A topic whose name
    `target` already has is joined with it: its questions and the tests drawing from it
    go to the target's topic (a draw then takes from the joined pool). Questions keep
    their identity, so tests and attempts made of them are untouched. Audited on the
    target with the source's title and the count; nobody is notified.
    """
    if source.pk == target.pk:
        raise DomainError(_("A bank cannot be merged into itself."))
    source = Bank.objects.select_for_update().get(pk=source.pk)
    have = {t.name: t for t in target.topics.all()}
    for topic in list(source.topics.all()):
        same = have.get(topic.name)
        if same is None:
            topic.bank = target
            topic.save(update_fields=["bank"])
            continue
        Question.objects.filter(topic=topic).update(topic=same)
        TestDraw.objects.filter(topic=topic).update(topic=same)
        topic.delete()
    moved = Question.objects.filter(bank=source).update(bank=target)
    before = snapshot(source, BANK_FIELDS) | {"pk": source.pk}
    source.shared_with.clear()
    source.delete()
    audit_record(
        action="bank_merge",
        obj=target,
        before=before,
        after={"merged": before["pk"], "questions": moved},
        actor=by,
    )
    return moved


@transaction.atomic
def questions_copy(*, by: User, questions: list[Question], bank: Bank) -> list[Question]:
    """Copies of several `questions` in `bank` (see `question_copy`), in their order; each
    copy audited as `question_copy`. Refused with no questions."""
    if not questions:
        raise DomainError(_("Choose the questions to copy."))
    return [question_copy(by=by, question=q, bank=bank) for q in questions]
