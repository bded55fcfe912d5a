"""Pages of testing: banks and import, tests and assigning, My tests, the attempt, results.

Thin: every view checks access through hub.testing.permissions, reads through
the selectors and writes through the actions; a DomainError re-renders the
form with the message, or answers 4xx with it as `detail` on the JSON endpoint.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hub.confirm import confirm_with_reason
from hub.errors import DomainError
from hub.testing import actions, rendering, selectors
from hub.testing.forms import (
    AnnulForm,
    AssignForm,
    BankCopyForm,
    BankForm,
    BankMergeForm,
    BankShareForm,
    BankUnshareForm,
    ImportForm,
    QuestionsCopyForm,
    TestForm,
)
from hub.testing.models import AttemptStatus, Layout
from hub.testing.permissions import (
    access_attempt,
    access_attempt_page,
    access_attempt_to_answer,
    access_bank,
    access_test,
    is_teacher,
    is_test_taker,
    may_annul,
    may_manage_test,
    may_write_bank,
)


def _not_found() -> Http404:
    return Http404(_("Page not found."))


def _form_errors(form, error: DomainError) -> None:
    for message in error.messages:
        form.add_error(None, message)


def _teacher_only(request) -> None:
    if not is_teacher(request.user):
        raise _not_found()


# --- Banks (TS-2…TS-4) -------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def banks(request: HttpRequest) -> HttpResponse:
    """The teacher's banks and shared ones; a new bank by title."""
    _teacher_only(request)
    form = BankForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            bank = actions.bank_create(by=request.user, title=form.cleaned_data["title"])
        except DomainError as error:
            _form_errors(form, error)
        else:
            return redirect("testing:bank", bank_id=bank.pk)
    context = {"banks": list(selectors.banks_of(request.user)), "form": form}
    return render(request, "testing/banks.html", context)


@login_required
@require_GET
def bank(request: HttpRequest, bank_id: int) -> HttpResponse:
    """A bank's questions by topic."""
    bank = access_bank(request.user, bank_id)
    context = {
        "bank": bank,
        "questions": selectors.bank_questions(bank),
        "may_write": may_write_bank(request.user, bank),
        "may_copy": is_teacher(request.user),
    }
    return render(request, "testing/bank.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def bank_import(request: HttpRequest, bank_id: int) -> HttpResponse:
    """Import a GIFT, Moodle XML or Word file: all of it, or a preview of its problems."""
    bank = access_bank(request.user, bank_id, write=True)
    form = ImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial={"language": request.LANGUAGE_CODE[:2]},
    )
    problems, preview = [], []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            made = actions.bank_import(
                by=request.user, bank=bank, name=upload.name, content=content,
                language=form.cleaned_data["language"],
            )  # fmt: skip
        except actions.ImportRefused as refused:
            form.add_error(None, str(refused))
            problems = refused.problems
            preview = actions.import_preview(
                name=upload.name, content=content, language=form.cleaned_data["language"]
            ).questions
        except DomainError as error:
            _form_errors(form, error)
        else:
            imported = ngettext(
                "%(count)s question imported.", "%(count)s questions imported.", len(made)
            )
            messages.success(request, imported % {"count": len(made)})
            return redirect("testing:bank", bank_id=bank.pk)
    context = {"bank": bank, "form": form, "problems": problems, "preview": preview}
    return render(request, "testing/import.html", context)


# --- Tests (TS-5) ------------------------------------------------------------------------


@login_required
@require_GET
def tests(request: HttpRequest) -> HttpResponse:
    """The teacher's tests."""
    _teacher_only(request)
    return render(request, "testing/tests.html", {"tests": list(selectors.tests_of(request.user))})


@login_required
@require_http_methods(["GET", "POST"])
def test_create(request: HttpRequest, bank_id: int) -> HttpResponse:
    """A test of one bank: every question fixed, or random draws per topic."""
    bank = access_bank(request.user, bank_id)
    _teacher_only(request)
    form = TestForm(
        request.POST if request.method == "POST" else None,
        checkpoints=selectors.teacher_checkpoints(request.user),
        topics=selectors.bank_topics(bank),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        draws = [actions.Draw(topic, count) for topic, count in form.draws()]
        fields = {k: data[k] for k in (
            "title", "opens_at", "closes_at", "time_limit", "attempts_allowed", "layout",
            "shuffle_questions", "shuffle_options", "show_results", "checkpoint", "max_score",
        )}  # fmt: skip
        try:
            test = actions.test_create(
                by=request.user,
                questions=[] if draws else list(bank.questions.all()),
                draws=draws,
                **fields,
            )
        except DomainError as error:
            _form_errors(form, error)
        else:
            return redirect("testing:test", test_id=test.pk)
    return render(request, "testing/test_form.html", {"bank": bank, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def test(request: HttpRequest, test_id: int) -> HttpResponse:
    """A test for its managers: assigning it (writers) and its attempts."""
    test = access_test(request.user, test_id)
    may_write = may_manage_test(request.user, test, write=True)
    form = None
    if may_write:
        form = AssignForm(
            request.POST if request.method == "POST" else None,
            groups=selectors.assignable_groups(test),
            students=selectors.assignable_students(test),
        )
    elif request.method == "POST":
        raise _not_found()
    if form is not None and request.method == "POST" and form.is_valid():
        count = actions.test_assign(
            by=request.user, test=test, groups=form.cleaned_data["groups"],
            students=form.cleaned_data["students"],
        )  # fmt: skip
        messages.success(request, _("Given to %(count)s more.") % {"count": count})
        return redirect("testing:test", test_id=test.pk)
    context = {"test": test, "form": form, "attempts": selectors.test_attempts(test)}
    return render(request, "testing/test.html", context)


# --- Taking a test (SC-4) ----------------------------------------------------------------


@login_required
@require_GET
def my_tests(request: HttpRequest) -> HttpResponse:
    """The tests given to the student today, with attempts left and results."""
    state = actions.current_state(request.user) if is_test_taker(request.user) else None
    rows = selectors.my_tests(state) if state else []
    return render(request, "testing/my_tests.html", {"rows": rows})


@login_required
@require_POST
def start(request: HttpRequest, test_id: int) -> HttpResponse:
    """Start or resume an attempt and answer with its page at once, not a redirect to it:
    one request less for every student at the start of an exam. The page's script puts
    the attempt's own address into the browser's history, so a reload reads the page
    (GET) rather than repeating this POST. A test not given to the student today is not
    found."""
    state = actions.current_state(request.user) if is_test_taker(request.user) else None
    test = actions.assigned_test(state, test_id) if state is not None else None
    if test is None:
        raise _not_found()
    try:
        attempt = actions.attempt_start(by=request.user, test=test, state=state)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("testing:my-tests")
    attempt.test, attempt.camera_interval = test, test.camera_interval
    return _attempt_page(request, attempt)


@login_required
@require_GET
def attempt(request: HttpRequest, attempt_id: int) -> HttpResponse:
    """The attempt page: questions in the frozen order with saved answers and the server's
    remaining time; a finished attempt goes to its result."""
    attempt = actions.expire_if_due(access_attempt_page(request.user, attempt_id))
    if attempt.status != AttemptStatus.IN_PROGRESS:
        return redirect("testing:result", attempt_id=attempt.pk)
    return _attempt_page(request, attempt)


def _attempt_page(request: HttpRequest, attempt) -> HttpResponse:
    """The page of an attempt in progress, read with its test and `camera_interval`."""
    remaining = max(int((attempt.deadline - timezone.now()).total_seconds()), 0)
    questions, versions = rendering.attempt_questions_html(attempt)
    context = {
        "attempt": attempt,
        "test": attempt.test,
        "questions": questions,
        "one_per_screen": attempt.test.layout == Layout.ONE,
        "remaining": remaining,
        "versions": json.dumps(versions),
        "camera_interval": attempt.camera_interval,
    }
    return render(request, "testing/attempt.html", context)


@login_required
@require_POST
def answer(request: HttpRequest, attempt_id: int) -> JsonResponse:
    """Save one answer (JSON `{"question", "response", "version"}`); answers the stored
    version and the remaining seconds, or 4xx with `detail`. A save from a signed-in
    student is answered before Django's middleware by hub.testing.lean, with
    `answer_reply` as here."""
    attempt = access_attempt_to_answer(request.user, attempt_id)
    status, data = answer_reply(user=request.user, attempt=attempt, body=request.body)
    return JsonResponse(data, status=status)


def answer_reply(*, user, attempt, body: bytes) -> tuple[int, dict]:
    """The answer to `user`'s save `body` on their own `attempt` (read with
    ANSWER_FIELDS): saved by actions.answer_save; (status, JSON)."""
    try:
        sent = json.loads(body or b"{}")
        question, response, version = sent["question"], sent["response"], sent["version"]
    except (ValueError, KeyError, TypeError):
        return 400, {"detail": _("This answer is not understood.")}
    try:
        saved = actions.answer_save(
            by=user, attempt=attempt, question_id=question, response=response, version=version
        )
    except actions.TimeUp as error:
        return 409, {"detail": str(error), "submitted": True}
    except DomainError as error:
        return 400, {"detail": str(error)}
    remaining = max(int((attempt.deadline - timezone.now()).total_seconds()), 0)
    return 200, {"question": saved.question_id, "version": saved.version, "remaining": remaining}


@login_required
@require_POST
def submit(request: HttpRequest, attempt_id: int) -> HttpResponse:
    """Hand in the attempt: graded at once."""
    attempt = access_attempt(request.user, attempt_id, take=True)
    actions.attempt_submit(by=request.user, attempt=attempt)
    return redirect("testing:result", attempt_id=attempt.pk)


@login_required
@require_GET
def result(request: HttpRequest, attempt_id: int) -> HttpResponse:
    """An attempt's result: for the student (the questions answered wrongly if the test
    shows them) and, answer by answer, for the test's managers."""
    attempt = actions.expire_if_due(access_attempt(request.user, attempt_id))
    own = attempt.student.user_id == request.user.pk
    manager = may_manage_test(request.user, attempt.test) or may_annul(request.user, attempt.test)
    details = manager or (attempt.test.show_results and attempt.status != AttemptStatus.IN_PROGRESS)
    context = {
        "attempt": attempt,
        "test": attempt.test,
        "own": own,
        "manager": manager,
        "shown": selectors.attempt_questions(attempt) if details else [],
        "may_annul": may_annul(request.user, attempt.test),
    }
    return render(request, "testing/result.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def annul(request: HttpRequest, attempt_id: int) -> HttpResponse:
    """Annul an attempt (a teacher or the deanery): the reason and a confirmation first."""
    attempt = access_attempt(request.user, attempt_id, write=True)
    return annul_confirmation(request, attempt, back=reverse("testing:result", args=[attempt.pk]))


def annul_confirmation(request: HttpRequest, attempt, *, back: str) -> HttpResponse:
    """The one annulment flow (here and from the proctor's review): a reason, a confirmation,
    then `attempt_annul`; `back` is where cancelling and finishing return to. The caller has
    checked that the user may annul it."""
    return confirm_with_reason(
        request,
        form_class=AnnulForm,
        act=lambda reason: actions.attempt_annul(by=request.user, attempt=attempt, reason=reason),
        button=_("Annul the result"),
        question=_("Annul %(student)s's result? The score leaves the journal.")
        % {"student": attempt.student},
        cancel_url=back,
        done_url=back,
        success=_("The attempt is annulled."),
    )


# --- Analysis and reports (TS-7, TS-9) ---------------------------------------------------


@login_required
@require_GET
def test_analysis(request: HttpRequest, test_id: int) -> HttpResponse:
    """Per question difficulty, discrimination and choices, and the score distribution, over
    the submitted attempts; for the test's managers."""
    test = access_test(request.user, test_id)
    data = selectors.test_data(test)
    chart = {
        "labels": [b.label for b in data.bins],
        "counts": [b.count for b in data.bins],
        "title": _("Attempts by score"),
    }
    return render(request, "testing/analysis.html", {"test": test, "data": data, "chart": chart})


def _report(request: HttpRequest, test_id: int, kind: str) -> HttpResponse:
    from django.utils.text import slugify

    from hub.testing import reports

    test = access_test(request.user, test_id)
    report = reports.report_for(kind, selectors.test_data(test))
    fmt = request.GET.get("export", "")
    if fmt not in reports.REPORT_FORMATS:
        return render(request, "testing/report.html", {"test": test, "report": report})
    response = HttpResponse(reports.render(report, fmt), content_type=reports.CONTENT_TYPES[fmt])
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = slugify(report.filename) or kind
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.{fmt}"'
    return response


@login_required
@require_GET
def test_protocol(request: HttpRequest, test_id: int) -> HttpResponse:
    """The testing protocol, shown or exported (`?export=xlsx|pdf|docx|html|xml|txt`)."""
    return _report(request, test_id, "protocol")


@login_required
@require_GET
def test_results_report(request: HttpRequest, test_id: int) -> HttpResponse:
    """The results report, shown or exported (`?export=xlsx|pdf|docx|html|xml|txt`)."""
    return _report(request, test_id, "results")


# --- Bank management: export, copy, merge, share and unshare (TS-4) -----------------------------------


@login_required
@require_GET
def bank_export(request: HttpRequest, bank_id: int) -> HttpResponse:
    """The bank as a Moodle XML (`?format=xml`) or GIFT (`?format=gift`, the default) file."""
    from django.utils.text import slugify

    from hub.testing.formats.gift import write_gift
    from hub.testing.formats.moodle_xml import write_moodle_xml

    bank = access_bank(request.user, bank_id)
    fmt = request.GET.get("format", "gift")
    language = request.LANGUAGE_CODE[:2]
    items = selectors.bank_for_export(bank, files=fmt == "xml")
    if fmt == "xml":
        content, content_type = write_moodle_xml(items, language=language), "application/xml"
    elif fmt == "gift":
        content, content_type = write_gift(items, language=language).encode(), "text/plain"
    else:
        return HttpResponse(_("Export takes GIFT or Moodle XML."), status=400)
    response = HttpResponse(content, content_type=f"{content_type}; charset=utf-8")
    name = slugify(bank.title) or f"bank-{bank.pk}"
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def bank_copy(request: HttpRequest, bank_id: int) -> HttpResponse:
    """A copy of a bank the teacher reads, as a new bank of theirs."""
    bank = access_bank(request.user, bank_id)
    _teacher_only(request)
    form = BankCopyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        copy = actions.bank_copy(by=request.user, bank=bank, title=form.cleaned_data["title"])
        messages.success(request, _("The bank is copied."))
        return redirect("testing:bank", bank_id=copy.pk)
    return render(request, "testing/bank_copy.html", {"bank": bank, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def bank_merge(request: HttpRequest, bank_id: int) -> HttpResponse:
    """Merge a bank into another of the user's: pick the target, confirm, then merged and
    the source gone."""
    bank = access_bank(request.user, bank_id, write=True)
    banks = selectors.writable_banks(request.user).exclude(pk=bank.pk)
    data = request.POST if request.method == "POST" else (request.GET or None)
    form = BankMergeForm(data, banks=banks)
    target = form.cleaned_data["into"] if form.is_valid() else None
    if request.method == "POST" and target is not None:
        try:
            moved = actions.bank_merge(by=request.user, source=bank, target=target)
        except DomainError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("%(count)s questions moved.") % {"count": moved})
            return redirect("testing:bank", bank_id=target.pk)
    context = {"bank": bank, "form": form, "target": target}
    return render(request, "testing/bank_merge.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def bank_share(request: HttpRequest, bank_id: int) -> HttpResponse:
    """Share a bank with colleagues who make tests."""
    bank = access_bank(request.user, bank_id, write=True)
    form = BankShareForm(
        request.POST if request.method == "POST" else None,
        colleagues=selectors.colleagues(request.user).exclude(pk=bank.owner_id),
    )
    if request.method == "POST" and form.is_valid():
        try:
            count = actions.bank_share(
                by=request.user, bank=bank, users=list(form.cleaned_data["users"])
            )
        except DomainError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Shared with %(count)s more.") % {"count": count})
            return redirect("testing:bank", bank_id=bank.pk)
    shared = list(bank.shared_with.order_by("last_name", "first_name"))
    return render(
        request, "testing/bank_share.html", {"bank": bank, "form": form, "shared": shared}
    )


@login_required
@require_http_methods(["GET", "POST"])
def bank_unshare(request: HttpRequest, bank_id: int) -> HttpResponse:
    """Stop sharing a bank with a colleague: pick them (the share page links here with
    `?user=`), confirm, then they no longer read it."""
    bank = access_bank(request.user, bank_id, write=True)
    data = request.POST if request.method == "POST" else (request.GET or None)
    form = BankUnshareForm(data, shared=bank.shared_with.order_by("last_name", "first_name"))
    colleague = form.cleaned_data["user"] if form.is_valid() else None
    if request.method == "POST" and colleague is not None:
        try:
            actions.bank_unshare(by=request.user, bank=bank, user=colleague)
        except DomainError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s no longer reads the bank.") % {"name": colleague.get_full_name()},
            )
            return redirect("testing:bank-share", bank_id=bank.pk)
    context = {"bank": bank, "form": form, "colleague": colleague}
    return render(request, "testing/bank_unshare.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def questions_copy(request: HttpRequest, bank_id: int) -> HttpResponse:
    """Copy chosen questions of a bank the teacher reads into one of their banks."""
    bank = access_bank(request.user, bank_id)
    _teacher_only(request)
    form = QuestionsCopyForm(
        request.POST if request.method == "POST" else None,
        questions=bank.questions.all(),
        banks=selectors.writable_banks(request.user),
    )
    if request.method == "POST" and form.is_valid():
        target = form.cleaned_data["bank"]
        try:
            made = actions.questions_copy(
                by=request.user, questions=list(form.cleaned_data["questions"]), bank=target
            )
        except DomainError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("%(count)s questions copied.") % {"count": len(made)})
            return redirect("testing:bank", bank_id=target.pk)
    return render(request, "testing/questions_copy.html", {"bank": bank, "form": form})
