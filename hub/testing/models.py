"""Question banks, tests, attempts and answers (TS-2…TS-7, SC-4).

A `Bank` belongs to a teacher (shared read-only with colleagues) and holds
`Question`s grouped by `Topic`. Texts are per language (`{"ky": .., "ru": ..,
"en": ..}` of sanitised HTML). Option fractions are of the question's mark
(1 right, 0 wrong, 0.5 half, negative a penalty).

A `Test` takes fixed questions (`TestQuestion`) and random draws per topic
(`TestDraw`); it is given to groups or students (`TestAssignment`). An
`Attempt` freezes at its start the questions drawn, their order and each
question's option order, and its `deadline` (the server's timer); `Answer`s
are saved one per question as they are given, with a version.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

SCORE_DIGITS = {"max_digits": 6, "decimal_places": 2}
FRACTION_DIGITS = {"max_digits": 6, "decimal_places": 5}


def in_language(texts: dict | None) -> str:
    """The text in the active language, else Russian, Kyrgyz, English."""
    texts = texts or {}
    for code in (get_language() or "", "ru", "ky", "en"):
        if texts.get(code[:2]):
            return texts[code[:2]]
    return next((v for v in texts.values() if v), "")


class Bank(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner"),
    )
    discipline = models.ForeignKey(
        "curricula.Discipline",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("discipline"),
    )
    title = models.CharField(_("title"), max_length=255)
    shared_with = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("shared with")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("question bank")
        verbose_name_plural = _("question banks")
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title


class Topic(models.Model):
    bank = models.ForeignKey(Bank, on_delete=models.CASCADE, related_name="topics")
    name = models.CharField(_("name"), max_length=255)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["bank", "name"], name="testing_topic_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Kind(models.TextChoices):
    SINGLE = "single", _("one correct option")
    MULTIPLE = "multiple", _("several correct options")
    TRUE_FALSE = "truefalse", _("true or false")
    SHORT = "short", _("short answer")
    MATCHING = "matching", _("matching")


class PartialCredit(models.TextChoices):
    ALL_OR_NOTHING = "all", _("all or nothing")
    PROPORTIONAL = "proportional", _("proportional, with a penalty for wrong choices")


class Question(models.Model):
    bank = models.ForeignKey(Bank, on_delete=models.CASCADE, related_name="questions")
    topic = models.ForeignKey(
        Topic, on_delete=models.SET_NULL, null=True, blank=True, related_name="questions"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=255, blank=True)
    text = models.JSONField(_("text"), default=dict)
    mark = models.DecimalField(
        _("mark"), default=1, validators=[MinValueValidator(0)], **SCORE_DIGITS
    )
    partial_credit = models.CharField(
        _("partial credit"),
        max_length=16,
        choices=PartialCredit.choices,
        default=PartialCredit.PROPORTIONAL,
    )
    # Subtracted (as a fraction of the mark) for each wrong option chosen that carries no
    # penalty of its own, under the proportional rule.
    penalty = models.DecimalField(_("penalty per wrong choice"), default=0, **FRACTION_DIGITS)
    case_sensitive = models.BooleanField(_("case sensitive"), default=False)
    truth = models.BooleanField(_("the statement is true"), default=True)
    general_feedback = models.JSONField(_("feedback"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name or f"#{self.pk}"

    @property
    def shown_text(self) -> str:
        return in_language(self.text)


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    order = models.PositiveIntegerField(default=0)
    text = models.JSONField(default=dict)
    fraction = models.DecimalField(default=0, **FRACTION_DIGITS)
    feedback = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return in_language(self.text)

    @property
    def shown_text(self) -> str:
        return in_language(self.text)


class ShortAnswer(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="short_answers")
    order = models.PositiveIntegerField(default=0)
    text = models.CharField(max_length=255)
    fraction = models.DecimalField(default=1, **FRACTION_DIGITS)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text


class MatchPair(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="pairs")
    order = models.PositiveIntegerField(default=0)
    prompt = models.JSONField(default=dict)
    answer = models.JSONField(default=dict)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return f"{self.shown_prompt} → {self.shown_answer}"

    @property
    def shown_prompt(self) -> str:
        return in_language(self.prompt)

    @property
    def shown_answer(self) -> str:
        return in_language(self.answer)


class Layout(models.TextChoices):
    ONE = "one", _("one question per screen")
    ALL = "all", _("all questions at once")


class Test(models.Model):
    __test__ = False  # not a pytest test class
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner"),
    )
    title = models.CharField(_("title"), max_length=255)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    time_limit = models.PositiveIntegerField(
        _("time limit, minutes"), validators=[MinValueValidator(1)]
    )
    attempts_allowed = models.PositiveIntegerField(
        _("attempts allowed"), default=1, validators=[MinValueValidator(1)]
    )
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=True)
    shuffle_options = models.BooleanField(_("shuffle options"), default=True)
    show_results = models.BooleanField(_("show which answers were wrong"), default=True)
    layout = models.CharField(_("layout"), max_length=8, choices=Layout.choices, default=Layout.ONE)
    max_score = models.DecimalField(_("maximum score"), default=100, **SCORE_DIGITS)
    checkpoint = models.ForeignKey(
        "grades.Checkpoint",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checkpoint of the journal"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("test")
        verbose_name_plural = _("tests")
        ordering = ["-opens_at", "pk"]

    def __str__(self) -> str:
        return self.title


class TestQuestion(models.Model):
    """A question every attempt of the test gets."""

    __test__ = False  # not a pytest test class

    test = models.ForeignKey(Test, on_delete=models.CASCADE, related_name="fixed")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["test", "question"], name="testing_fixed_unique")
        ]

    def __str__(self) -> str:
        return f"{self.test_id}: {self.question_id}"


class TestDraw(models.Model):
    """`count` questions drawn at random from `topic` for each attempt."""

    __test__ = False  # not a pytest test class

    test = models.ForeignKey(Test, on_delete=models.CASCADE, related_name="draws")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="+")
    count = models.PositiveIntegerField(validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.topic} × {self.count}"


class TestAssignment(models.Model):
    """The test given to a whole group or to one student (exactly one of them)."""

    __test__ = False  # not a pytest test class

    test = models.ForeignKey(Test, on_delete=models.CASCADE, related_name="assignments")
    group = models.ForeignKey(
        "structure.Group", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    student = models.ForeignKey(
        "records.Student", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(group__isnull=True, student__isnull=False)
                | models.Q(group__isnull=False, student__isnull=True),
                name="testing_assignment_one_target",
            ),
            models.UniqueConstraint(
                fields=["test", "group"], name="testing_assignment_group_unique"
            ),
            models.UniqueConstraint(
                fields=["test", "student"], name="testing_assignment_student_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.test_id} → {self.group_id or self.student_id}"


class AttemptStatus(models.TextChoices):
    IN_PROGRESS = "progress", _("in progress")
    SUBMITTED = "submitted", _("submitted")
    ANNULLED = "annulled", _("annulled")


class Attempt(models.Model):
    test = models.ForeignKey(Test, on_delete=models.CASCADE, related_name="attempts")
    student = models.ForeignKey("records.Student", on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField(default=1)
    started_at = models.DateTimeField(_("started"))
    deadline = models.DateTimeField(_("deadline"))
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=AttemptStatus.choices, default=AttemptStatus.IN_PROGRESS
    )
    score = models.DecimalField(_("score"), null=True, blank=True, **SCORE_DIGITS)
    # Frozen at the start: question ids in the order shown, and each question's option
    # (or matching answer) ids in the order shown, keyed by the question id as a string.
    questions = models.JSONField(default=list)
    option_orders = models.JSONField(default=dict)
    # Per question id: the fraction earned, filled when graded.
    results = models.JSONField(default=dict, blank=True)
    annul_reason = models.TextField(_("reason of annulment"), blank=True)

    class Meta:
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        ordering = ["-started_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["test", "student", "number"], name="testing_attempt_unique_number"
            )
        ]
        indexes = [models.Index(fields=["status", "deadline"], name="testing_attempt_due")]

    def __str__(self) -> str:
        return f"{self.test} #{self.number}"


class Answer(models.Model):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    response = models.JSONField(default=dict)
    version = models.PositiveIntegerField(default=1)
    saved_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question"], name="testing_answer_unique")
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}: {self.question_id} v{self.version}"


def camera_interval(to_test: str = ""):
    """The seconds between camera frames if the test (reached through `to_test`, e.g.
    "test__" from an attempt) requires the camera (TS-8), else None: an annotation, so the
    page's query reads it along with the test."""
    return models.Case(
        models.When(**{f"{to_test}proctoring__requires_camera": True},
                    then=f"{to_test}proctoring__frame_interval")
    )  # fmt: skip
