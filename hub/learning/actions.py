"""Writes of distance learning: e-courses, their content, assignments and submissions.

- `ecourses_sync` makes the e-course of every teaching stream of the grades
  courses (idempotent; nobody sets an e-course up by hand) and hands an
  e-course left without courses to the new teacher of its discipline.
- The teacher (or the distance-learning office) edits the syllabus, sections
  and materials: uploaded files (type and size checked), videos (an mp4 or a
  YouTube link), books and links, external meetings (DL-3).
- `assignment_give` gives work to the stream, some groups or named students
  and tells them; `submission_submit` stores a student's work and tells the
  teacher; `submission_check` scores, comments or returns it, puts the score
  into the journal through grades' GB-5 API and tells the student.

Every action is keyword-only, atomic and audited, and raises DomainError with
a translated message on bad input. Live delivery goes through the
notification centre (`realtime.actions.notification_send`), which publishes
after commit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import PurePosixPath
from urllib.parse import parse_qs, urlparse

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from academic.grades.actions.journal import external_score_record, external_score_withdraw
from academic.grades.models import Checkpoint, Course, Score, ScoreSource
from hub.accounts.models import User
from hub.audit.log import Change, audit_bulk, audit_record, snapshot
from hub.errors import DomainError
from hub.learning.models import (
    Assignment,
    AssignmentFile,
    CourseVisit,
    ECourse,
    LatePolicy,
    Material,
    MaterialKind,
    Section,
    Submission,
    SubmissionFile,
    SubmissionStatus,
)
from hub.learning.permissions import student_state
from hub.learning.selectors import assignment_states, stream_states, student_checkpoint

ECOURSE_FIELDS = ("term", "discipline", "teacher", "syllabus")
SECTION_FIELDS = ("ecourse", "order", "title_ky", "title_ru", "title_en", "description")
MATERIAL_FIELDS = (
    "section", "kind", "title_ky", "title_ru", "title_en", "file", "file_name", "url",
    "youtube_id", "starts_at",
)  # fmt: skip
ASSIGNMENT_FIELDS = (
    "ecourse", "title_ky", "title_ru", "title_en", "instructions", "deadline", "max_score",
    "checkpoint", "late_policy", "late_penalty",
)  # fmt: skip
SUBMISSION_FIELDS = (
    "assignment",
    "student",
    "text",
    "status",
    "late",
    "score",
    "points",
    "comment",
)

# Uploads: the extension decides the type, and the file's first bytes must agree with it.
ZIP = (b"PK\x03\x04",)
FILE_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF",),
    "docx": ZIP,
    "pptx": ZIP,
    "xlsx": ZIP,
    "png": (b"\x89PNG",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "gif": (b"GIF8",),
    "webp": (b"RIFF",),
    "mp4": (),  # checked by its "ftyp" box below
}
VIDEO_EXTENSIONS = ("mp4",)
MAX_FILES = 10
YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be"}
YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
CENTS = Decimal("0.01")


def upload_max_bytes() -> int:
    """The largest upload: settings.LEARNING_UPLOAD_MAX_MB (50 MB by default)."""
    return settings.LEARNING_UPLOAD_MAX_MB * 2**20


def _extension(name: str) -> str:
    return PurePosixPath(name or "").suffix.lower().lstrip(".")


def _looks_like(upload, extension: str) -> bool:
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if extension == "mp4":
        return head[4:8] == b"ftyp"
    return any(head.startswith(signature) for signature in FILE_SIGNATURES[extension])


def check_upload(upload, *, extensions=tuple(FILE_SIGNATURES)) -> None:
    """Refuse a file of another type than `extensions` (by name and content) or too large."""
    extension = _extension(upload.name)
    if extension not in extensions or not _looks_like(upload, extension):
        raise DomainError(
            _("%(name)s: files of this type are not accepted. Allowed: %(types)s.")
            % {"name": upload.name, "types": ", ".join(extensions)}
        )
    if upload.size > upload_max_bytes():
        raise DomainError(
            _("%(name)s is larger than %(size)d MB.")
            % {"name": upload.name, "size": upload_max_bytes() // 2**20}
        )


def _check_uploads(files) -> list:
    files = list(files or [])
    if len(files) > MAX_FILES:
        raise DomainError(_("At most %(count)d files at once.") % {"count": MAX_FILES})
    for upload in files:
        check_upload(upload)
    return files


def _titles(title_ky: str, title_ru: str, title_en: str) -> dict[str, str]:
    titles = {
        "title_ky": (title_ky or "").strip(),
        "title_ru": (title_ru or "").strip(),
        "title_en": (title_en or "").strip(),
    }
    if not any(titles.values()):
        raise DomainError(_("Give a title in at least one language."))
    return titles


def _save(instance) -> None:
    try:
        instance.full_clean()
    except ValidationError as error:
        raise DomainError(error.messages[0], messages=error.messages) from None
    instance.save()


# --- E-courses from the grades courses (DL-1) --------------------------------------------


@dataclass(frozen=True)
class SyncResult:
    created: int
    handed_over: int


@transaction.atomic
def ecourses_sync(
    *, by: User | None = None, term_id: int | None = None, discipline_id: int | None = None
) -> SyncResult:
    """Make the missing e-courses of the streams of the grades courses (all terms, or one
    term and discipline). Idempotent. An e-course whose stream lost its courses (the
    course was given to another teacher) passes, with its content, to the new teacher's
    stream of the same term and discipline when that one has no e-course yet.
    Audited as one batch; notifies nobody."""
    courses = Course.objects.filter(teacher__isnull=False)
    ecourses = ECourse.objects.select_for_update()
    if term_id is not None:
        courses = courses.filter(term_id=term_id, discipline_id=discipline_id)
        ecourses = ecourses.filter(term_id=term_id, discipline_id=discipline_id)
    streams = set(courses.values_list("term_id", "discipline_id", "teacher_id").distinct())
    existing = {(e.term_id, e.discipline_id, e.teacher_id): e for e in ecourses}
    missing = sorted(streams - set(existing))
    if not missing:
        return SyncResult(0, 0)
    orphans = [e for key, e in existing.items() if key not in streams]
    handed, made = [], []
    for term, discipline, teacher in missing:
        orphan = next(
            (e for e in orphans if (e.term_id, e.discipline_id) == (term, discipline)), None
        )
        if orphan is not None:
            orphans.remove(orphan)
            before = snapshot(orphan, ("teacher",))
            orphan.teacher_id = teacher
            orphan.save(update_fields=["teacher", "updated_at"])
            handed.append(Change(obj=orphan, before=before, after={"teacher": teacher}))
        else:
            made.append(ECourse(term_id=term, discipline_id=discipline, teacher_id=teacher))
    made = ECourse.objects.bulk_create(made)
    audit_bulk(
        action="ecourses_sync",
        changes=[*(Change(obj=e, after=snapshot(e, ECOURSE_FIELDS)) for e in made), *handed],
        actor=by,
    )
    return SyncResult(len(made), len(handed))


@transaction.atomic
def ecourse_update(*, by: User, ecourse: ECourse, syllabus: str) -> ECourse:
    """Change the e-course's syllabus (its OMK text). Audited; notifies nobody."""
    before = snapshot(ecourse, ECOURSE_FIELDS)
    ecourse.syllabus = (syllabus or "").strip()
    ecourse.save(update_fields=["syllabus", "updated_at"])
    audit_record(
        action="ecourse_update", obj=ecourse, before=before,
        after=snapshot(ecourse, ECOURSE_FIELDS), actor=by,
    )  # fmt: skip
    return ecourse


# --- Sections and materials (DL-2, TC-4) --------------------------------------------------


@transaction.atomic
def section_create(
    *,
    by: User,
    ecourse: ECourse,
    title_ky: str = "",
    title_ru: str = "",
    title_en: str = "",
    description: str = "",
) -> Section:
    """Add a section at the end of the e-course. Audited; notifies nobody."""
    last = ecourse.sections.order_by("-order").values_list("order", flat=True).first()
    section = Section(
        ecourse=ecourse,
        order=(last or 0) + 1,
        description=(description or "").strip(),
        **_titles(title_ky, title_ru, title_en),
    )
    _save(section)
    audit_record(
        action="section_create", obj=section, after=snapshot(section, SECTION_FIELDS), actor=by
    )
    return section


@transaction.atomic
def section_update(
    *,
    by: User,
    section: Section,
    title_ky: str = "",
    title_ru: str = "",
    title_en: str = "",
    description: str = "",
    order: int | None = None,
) -> Section:
    """Rename, describe or move a section. Audited; notifies nobody."""
    before = snapshot(section, SECTION_FIELDS)
    for name, value in _titles(title_ky, title_ru, title_en).items():
        setattr(section, name, value)
    section.description = (description or "").strip()
    if order is not None:
        section.order = order
    _save(section)
    audit_record(
        action="section_update", obj=section, before=before,
        after=snapshot(section, SECTION_FIELDS), actor=by,
    )  # fmt: skip
    return section


@transaction.atomic
def section_delete(*, by: User, section: Section) -> None:
    """Delete a section with its materials (their files go after commit). Audited."""
    files = [m.file.name for m in section.materials.all() if m.file]
    audit_record(
        action="section_delete", obj=section, before=snapshot(section, SECTION_FIELDS), actor=by
    )
    section.delete()
    _delete_files_later(Material, files)


def _delete_files_later(model, names: list[str]) -> None:
    storage = model._meta.get_field("file").storage

    def remove() -> None:
        for name in names:
            storage.delete(name)

    if names:
        transaction.on_commit(remove)


def youtube_id(url: str) -> str:
    """The video id of a YouTube link (watch, youtu.be, embed, shorts); DomainError otherwise."""
    parsed = urlparse((url or "").strip())
    host = (parsed.hostname or "").lower()
    video = ""
    if parsed.scheme in ("http", "https") and host in YOUTUBE_HOSTS:
        if host == "youtu.be":
            video = parsed.path.strip("/")
        elif parsed.path == "/watch":
            video = parse_qs(parsed.query).get("v", [""])[0]
        elif parsed.path.startswith(("/embed/", "/shorts/", "/live/")):
            video = parsed.path.split("/")[2]
    if not YOUTUBE_ID.match(video):
        raise DomainError(_("Only YouTube links can be embedded as a video."))
    return video


def _web_address(url: str) -> str:
    url = (url or "").strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise DomainError(_("Give a web address starting with http:// or https://.")) from None
    return url


def _fill_content(material: Material, *, file, url: str, starts_at: datetime | None) -> None:
    """Check and set what the material of its kind carries: a file, a video, an address."""
    kind = material.kind
    if kind == MaterialKind.FILE or (kind == MaterialKind.VIDEO and file is not None):
        if file is None:
            raise DomainError(_("Choose a file to upload."))
        video = kind == MaterialKind.VIDEO
        check_upload(file, extensions=VIDEO_EXTENSIONS if video else tuple(FILE_SIGNATURES))
        material.file, material.file_name, material.file_size = file, file.name[:255], file.size
    elif kind == MaterialKind.VIDEO:
        material.url = (url or "").strip()
        material.youtube_id = youtube_id(material.url)
    elif kind in (MaterialKind.LINK, MaterialKind.MEETING):
        material.url = _web_address(url)
        if kind == MaterialKind.MEETING:
            if starts_at is None:
                raise DomainError(_("Say when the meeting starts."))
            material.starts_at = starts_at
    else:
        raise DomainError(_("Unknown kind of material."))


@transaction.atomic
def material_add(
    *,
    by: User,
    section: Section,
    kind: str,
    title_ky: str = "",
    title_ru: str = "",
    title_en: str = "",
    file=None,
    url: str = "",
    starts_at: datetime | None = None,
) -> Material:
    """Add a material at the end of a section (DL-2, TC-4, DL-3).

    A file is checked for its type (pdf, docx, pptx, xlsx, images, mp4) and size;
    a video is an mp4 upload or a YouTube link (embedded without cookies; other
    hosts are refused); a link is any http(s) address; a meeting an address and
    a start time. Audited; notifies nobody.
    """
    material = Material(section=section, kind=kind, created_by=by)
    for name, value in _titles(title_ky, title_ru, title_en).items():
        setattr(material, name, value)
    _fill_content(material, file=file, url=url, starts_at=starts_at)
    last = section.materials.order_by("-order").values_list("order", flat=True).first()
    material.order = (last or 0) + 1
    _save(material)
    audit_record(
        action="material_add", obj=material, after=snapshot(material, MATERIAL_FIELDS), actor=by
    )
    return material


@transaction.atomic
def material_delete(*, by: User, material: Material) -> None:
    """Delete a material (its file goes after commit). Audited; notifies nobody."""
    audit_record(
        action="material_delete", obj=material,
        before=snapshot(material, MATERIAL_FIELDS), actor=by,
    )  # fmt: skip
    name = material.file.name if material.file else ""
    material.delete()
    _delete_files_later(Material, [name] if name else [])


# --- Assignments (TC-5, DL-4) -------------------------------------------------------------


def _stream_checkpoint(ecourse: ECourse, checkpoint: Checkpoint | None, max_score: int):
    if checkpoint is None:
        return
    stream = ecourse.stream_courses().filter(pk=checkpoint.course_id)
    if not stream.exists():
        raise DomainError(_("Choose a checkpoint of this course's groups."))
    if max_score > checkpoint.max_score:
        raise DomainError(
            _("The maximum score is more than the checkpoint's %(max)s points.")
            % {"max": checkpoint.max_score}
        )


@transaction.atomic
def assignment_give(
    *,
    by: User,
    ecourse: ECourse,
    title_ky: str = "",
    title_ru: str = "",
    title_en: str = "",
    instructions: str = "",
    deadline: datetime,
    max_score: int,
    checkpoint: Checkpoint | None = None,
    late_policy: str = LatePolicy.REFUSE,
    late_penalty: int = 0,
    groups=(),
    students=(),
    files=(),
) -> Assignment:
    """Give an assignment to the whole stream (no groups, no students), some of its groups
    or named students. The target checkpoint is one of the stream's courses'; the
    maximum score fits in it. Audited. The students concerned are notified."""
    files = _check_uploads(files)
    group_ids = {g.pk for g in groups}
    stream_group_ids = set(ecourse.stream_courses().values_list("group_id", flat=True))
    if not group_ids <= stream_group_ids:
        raise DomainError(_("Choose groups of this course."))
    student_ids = {s.pk for s in students}
    studying = stream_states(ecourse).filter(student_id__in=student_ids)
    if student_ids - set(studying.values_list("student_id", flat=True)):
        raise DomainError(_("Choose students of this course."))
    if late_policy != LatePolicy.PENALTY:
        late_penalty = 0
    _stream_checkpoint(ecourse, checkpoint, int(max_score or 0))
    assignment = Assignment(
        ecourse=ecourse,
        instructions=(instructions or "").strip(),
        deadline=deadline,
        max_score=max_score,
        checkpoint=checkpoint,
        late_policy=late_policy,
        late_penalty=late_penalty,
        created_by=by,
        **_titles(title_ky, title_ru, title_en),
    )
    _save(assignment)
    assignment.groups.set(groups)
    assignment.students.set(students)
    for upload in files:
        AssignmentFile.objects.create(
            assignment=assignment, file=upload, file_name=upload.name[:255], file_size=upload.size
        )
    after = snapshot(assignment, ASSIGNMENT_FIELDS) | {
        "groups": sorted(group_ids),
        "students": sorted(s.pk for s in students),
    }
    audit_record(action="assignment_give", obj=assignment, after=after, actor=by)
    recipients = [state.student.user_id for state in assignment_states(assignment)]
    if recipients:
        from realtime.actions import notification_send

        notification_send(
            recipients=recipients,
            title=_("New assignment: %(title)s") % {"title": assignment.title},
            body=_("%(course)s. Deadline %(deadline)s.")
            % {
                "course": ecourse,
                "deadline": timezone.localtime(deadline).strftime("%d.%m.%Y %H:%M"),
            },
            url=reverse("learning:assignment", args=[assignment.pk]),
        )
    return assignment


# --- Submissions (SC-2, TC-5) -------------------------------------------------------------


def _submitter_state(by: User, assignment: Assignment):
    from hub.learning.permissions import assignment_is_for, stream_group_ids

    state = student_state(by)
    if (
        state is None
        or state.group_id not in stream_group_ids(assignment.ecourse)
        or not assignment_is_for(assignment, state)
    ):
        raise DomainError(_("This assignment is not given to you."))
    return state


@transaction.atomic
def submission_submit(*, by: User, assignment: Assignment, text: str = "", files=()) -> Submission:
    """Store (or replace) the student's work on an assignment.

    Resubmitted until the deadline, and after it while the teacher has returned
    the work for rework. Past the deadline a first submission is refused, marked
    late, or marked late for a penalty, by the assignment's late policy. New
    files replace the old ones. Audited. The e-course's teacher is notified.
    """
    state = _submitter_state(by, assignment)
    text = (text or "").strip()
    files = _check_uploads(files)
    submission = (
        Submission.objects.select_for_update()
        .filter(assignment=assignment, student_id=state.student_id)
        .first()
    )
    if not text and not files and (submission is None or not submission.files.exists()):
        raise DomainError(_("Write an answer or attach a file."))
    now = timezone.now()
    reworking = submission is not None and submission.status == SubmissionStatus.RETURNED
    late = now > assignment.deadline and not reworking
    if late and assignment.late_policy == LatePolicy.REFUSE:
        raise DomainError(_("The deadline has passed: work is no longer accepted."))
    before = snapshot(submission, SUBMISSION_FIELDS) if submission else None
    if submission is None:
        submission = Submission(assignment=assignment, student_id=state.student_id)
    submission.text = text
    submission.status = SubmissionStatus.SUBMITTED
    submission.submitted_at = now
    submission.late = late or (reworking and submission.late)
    submission.save()
    if files:
        old = list(submission.files.all())
        _delete_files_later(SubmissionFile, [f.file.name for f in old])
        SubmissionFile.objects.filter(pk__in=[f.pk for f in old]).delete()
        for upload in files:
            SubmissionFile.objects.create(
                submission=submission, file=upload, file_name=upload.name[:255],
                file_size=upload.size,
            )  # fmt: skip
    audit_record(
        action="submission_submit", obj=submission, before=before,
        after=snapshot(submission, SUBMISSION_FIELDS), actor=by,
    )  # fmt: skip
    from realtime.actions import notification_send

    notification_send(
        recipients=[assignment.ecourse.teacher_id],
        title=_("%(name)s submitted %(title)s")
        % {"name": by.get_full_name() or by.get_username(), "title": assignment.title},
        body=_("Submitted late.") if submission.late else "",
        url=reverse("learning:submission", args=[submission.pk]),
    )
    return submission


def parse_points(value) -> Decimal | None:
    """A score as typed ("7", "7,5"); None for an empty one; DomainError for anything else."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise DomainError(_("A score is a number.")) from None
    if not number.is_finite():
        raise DomainError(_("A score is a number."))
    return number.quantize(CENTS)


def late_points(submission: Submission, score: Decimal) -> Decimal:
    """What a score brings to the journal: less the penalty for work accepted late with one."""
    assignment = submission.assignment
    if submission.late and assignment.late_policy == LatePolicy.PENALTY:
        kept = Decimal(100 - assignment.late_penalty) / 100
        return (score * kept).quantize(CENTS, rounding=ROUND_HALF_UP)
    return score


def _to_journal(by: User, submission: Submission, points: Decimal | None) -> None:
    """Put the points into the student's checkpoint (or withdraw them with None)."""
    ref = submission.journal_ref
    assignment = submission.assignment
    if points is None or assignment.checkpoint_id is None:
        external_score_withdraw(
            by=by, source=ScoreSource.ASSIGNMENT, ref=ref, reason=_("The score was cleared.")
        )
        return
    student = submission.student
    state = student_state(student.user)
    from hub.learning.permissions import stream_group_ids

    if state is None or state.group_id not in stream_group_ids(assignment.ecourse):
        raise DomainError(
            _("%(name)s no longer studies in this course's groups.")
            % {"name": student.user.get_full_name()}
        )
    checkpoint = student_checkpoint(assignment, state.group_id)
    if checkpoint is None:
        raise DomainError(_("The student's course has no checkpoint like the assignment's."))
    stale = Score.objects.filter(source=ScoreSource.ASSIGNMENT, ref=ref).exclude(
        checkpoint=checkpoint
    )
    if stale.exists():  # the student moved to another group of the stream
        external_score_withdraw(
            by=by, source=ScoreSource.ASSIGNMENT, ref=ref, reason=_("The student changed group.")
        )
    external_score_record(
        by=by, checkpoint=checkpoint, student=student, value=points,
        source=ScoreSource.ASSIGNMENT, ref=ref,
    )  # fmt: skip


@transaction.atomic
def submission_check(
    *,
    by: User,
    submission: Submission,
    score=None,
    comment: str = "",
    rework: bool = False,
) -> Submission:
    """Check a submission: a score from 0 to the assignment's maximum (empty: none), a
    comment, and whether it goes back for rework.

    The score (less the late penalty) goes into the student's checkpoint in the
    journal through grades' `external_score_record` (source "assignment", ref
    "learning.submission:<id>"); clearing it withdraws it. Audited. The student
    is notified.
    """
    assignment = submission.assignment
    number = parse_points(score)
    if number is not None and not (0 <= number <= assignment.max_score):
        raise DomainError(_("A score is from 0 to %(max)s.") % {"max": assignment.max_score})
    if number is None and not rework:
        raise DomainError(_("Give a score or return the work for rework."))
    before = snapshot(submission, SUBMISSION_FIELDS)
    points = late_points(submission, number) if number is not None else None
    if points != submission.points:
        _to_journal(by, submission, points)
    submission.score, submission.points = number, points
    submission.comment = (comment or "").strip()
    submission.status = SubmissionStatus.RETURNED if rework else SubmissionStatus.CHECKED
    submission.checked_at, submission.checked_by = timezone.now(), by
    submission.save()
    audit_record(
        action="submission_check", obj=submission, before=before,
        after=snapshot(submission, SUBMISSION_FIELDS), actor=by,
    )  # fmt: skip
    from realtime.actions import notification_send

    title = (_("Returned for rework: %(title)s") if rework else _("Checked: %(title)s")) % {
        "title": assignment.title
    }
    body = (
        _("Score %(score)s of %(max)s.") % {"score": number, "max": assignment.max_score}
        if number is not None
        else ""
    )
    notification_send(
        recipients=[submission.student.user_id],
        title=title,
        body=body,
        url=reverse("learning:assignment", args=[assignment.pk]),
    )
    return submission


def course_visit_record(*, ecourse_id: int, user_id: int) -> None:
    """Note that the user opened the e-course's page: one upsert (first visit, last visit,
    count), the only write of the course page.

    Not audited and not published: it is a reading, not a change anyone acts on,
    and an audit row per page view would drown the audit log.
    """
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    table = connection.ops.quote_name(CourseVisit._meta.db_table)
    # One statement on PostgreSQL and SQLite alike (both know ON CONFLICT), so
    # opening the page costs one query whether or not the row exists yet.
    # The table name comes from the model, never from input.
    sql = (
        f"INSERT INTO {table} (ecourse_id, user_id, first_seen, last_seen, visits) "  # noqa: S608
        "VALUES (%s, %s, %s, %s, 1) "
        "ON CONFLICT (ecourse_id, user_id) DO UPDATE SET "
        f"last_seen = excluded.last_seen, visits = {table}.visits + 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [ecourse_id, user_id, now, now])
