"""Writes to users: every change of a user goes through one of these functions."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from axes.utils import reset as axes_reset
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from hub.accounts.access import Scope, forget_rights, unit_free
from hub.accounts.models import (
    Cabinet,
    DataKind,
    DataOwnership,
    GuardianRelation,
    Guardianship,
    Language,
    Level,
    Module,
    Role,
    RoleAssignment,
    RoleRight,
    ScopeKind,
    User,
)
from hub.accounts.transliteration import transliterate
from hub.audit.log import Change, audit_bulk, audit_record, snapshot
from hub.errors import DomainError

_PHONE_SEPARATORS = re.compile(r"[\s()\-]")
_PHONE = re.compile(r"\+?[0-9]{9,15}")


def phone_normalize(raw: str) -> str:
    """`+996 (555) 12-34-56` → `+996555123456`; empty stays empty.

    Raises ValidationError unless 9 to 15 digits remain, with an optional
    leading + (E.164 allows 15; a Kyrgyz number without the country code has 9).
    """
    compact = _PHONE_SEPARATORS.sub("", raw.strip())
    if compact and not _PHONE.fullmatch(compact):
        raise ValidationError(
            _("Enter a phone number of 9 to 15 digits, for example +996 555 123 456."),
            code="invalid_phone",
        )
    return compact


@transaction.atomic
def user_profile_update(
    *,
    user: User,
    language: str | None = None,
    phone: str | None = None,
    email: str | None = None,
    last_name_latin: str | None = None,
    first_name_latin: str | None = None,
    patronymic_latin: str | None = None,
) -> User:
    """Change the fields a user may change about themselves: language, phone,
    e-mail and the Latin forms of their name (the Cyrillic name is official).

    Fields left as None are not touched. Raises ValidationError for an unknown
    language, a malformed phone number or e-mail address; nothing is saved then.
    The audit log gets the changed fields, before and after.
    """
    before = snapshot(user, PROFILE_FIELDS)
    fields = []
    if language is not None:
        if language not in Language.values:
            raise ValidationError({"language": [_language_unavailable()]})
        user.language = language
        fields.append("language")
    if phone is not None:
        try:
            user.phone = phone_normalize(phone)
        except ValidationError as error:
            raise ValidationError({"phone": error.error_list}) from None
        fields.append("phone")
    texts = {
        "email": email,
        "last_name_latin": last_name_latin,
        "first_name_latin": first_name_latin,
        "patronymic_latin": patronymic_latin,
    }
    for name, value in texts.items():
        if value is not None:
            setattr(user, name, value.strip())
            fields.append(name)
    if not fields:
        return user
    user.full_clean(exclude=[f.name for f in User._meta.fields if f.name not in fields])
    user.save(update_fields=fields)
    audit_record(
        action="user_profile_update",
        obj=user,
        before={name: before[name] for name in fields},
        after=snapshot(user, fields),
    )
    return user


# The fields user_profile_update may change, recorded before and after.
PROFILE_FIELDS = (
    "language",
    "phone",
    "email",
    "last_name_latin",
    "first_name_latin",
    "patronymic_latin",
)


def _language_unavailable() -> str:
    return _("This language is not available.")


@transaction.atomic
def user_language_set(*, user: User, language: str) -> User:
    """Save `language` as the user's interface language.

    UserLanguageMiddleware applies it on every later request, in every browser.
    Raises DomainError for a language the site does not offer.
    """
    if language not in Language.values:
        raise DomainError(_language_unavailable())
    if user.language != language:
        before = snapshot(user, ["language"])
        user.language = language
        user.save(update_fields=["language"])
        audit_record(
            action="user_language_set", obj=user, before=before, after=snapshot(user, ["language"])
        )
    return user


def user_api_token_issue(*, user: User) -> Token:
    """The user's API token, created on first use; the same key until it is revoked."""
    token, _created = Token.objects.get_or_create(user=user)
    return token


# --- Roles, rights, ownership, guardianship (AC-2, AC-7, AC-8) ----------------
#
# Each action below is the single place its change is made, and writes its
# audit entry (`by` is the actor; None leaves it to the audit context).

ROLE_FIELDS = ("code", "name_ky", "name_ru", "name_en", "description", "kind", "default_scope_kind")
ASSIGNMENT_FIELDS = ("user", "role", "scope_kind", "scope_id", "valid_from", "valid_to")
GUARDIANSHIP_FIELDS = ("parent", "child", "relation")


def _role_rights(role: Role) -> dict[str, int]:
    return dict(role.rights.order_by("module").values_list("module", "level"))


def _rights_validate(rights: dict[str, int]) -> dict[str, int]:
    unknown = [m for m in rights if m not in Module.values]
    if unknown:
        raise DomainError(_("Unknown module: %(module)s.") % {"module": ", ".join(unknown)})
    if any(level not in Level.values for level in rights.values()):
        raise DomainError(_("A right must be view, edit or approve."))
    return rights


@transaction.atomic
def role_create(
    *,
    by: User,
    code: str,
    name_ky: str,
    name_ru: str,
    name_en: str,
    description: str = "",
    kind: str = "full",
    default_scope_kind: str = "institution",
    rights: dict[str, int] | None = None,
) -> Role:
    """Create a role of the administrator's own (never a system role) with `rights`.

    `rights` maps module codes to levels. Raises DomainError for a taken or
    malformed code, an unknown module or level. Notifies nobody.
    """
    rights = _rights_validate(rights or {})
    if Role.objects.filter(code=code).exists():
        raise DomainError(_("A role with this code already exists."))
    role = Role(
        code=code,
        name_ky=name_ky,
        name_ru=name_ru,
        name_en=name_en,
        description=description,
        kind=kind,
        default_scope_kind=default_scope_kind,
        is_system=False,
    )
    try:
        role.full_clean()
    except ValidationError as error:
        raise DomainError(_("The role is not valid."), messages=error.messages) from None
    role.save()
    RoleRight.objects.bulk_create(
        RoleRight(role=role, module=module, level=level) for module, level in rights.items()
    )
    audit_record(
        action="role_create",
        obj=role,
        after={**snapshot(role, ROLE_FIELDS), "rights": rights},
        actor=by,
    )
    return role


@transaction.atomic
def role_update_rights(*, by: User, role: Role, rights: dict[str, int]) -> Role:
    """Make `role`'s rights exactly `rights` (module → level); modules left out lose theirs.

    Holders of the role get the new rights from their next request. System
    roles may be edited too (AC-7). Raises DomainError for an unknown module
    or level. Notifies nobody.
    """
    rights = _rights_validate(rights)
    before = _role_rights(role)
    role.rights.exclude(module__in=list(rights)).delete()
    for module, level in rights.items():
        RoleRight.objects.update_or_create(role=role, module=module, defaults={"level": level})
    audit_record(
        action="role_update_rights",
        obj=role,
        before={"rights": before},
        after={"rights": _role_rights(role)},
        actor=by,
    )
    return role


@transaction.atomic
def role_delete(*, by: User, role: Role) -> None:
    """Delete a role the administrator created.

    Raises DomainError for a role shipped with the system, a role still
    assigned to someone and a role that owns data. Notifies nobody.
    """

    role = Role.objects.select_for_update().get(pk=role.pk)
    if role.is_system:
        raise DomainError(_("Roles shipped with the system cannot be deleted."))
    if role.assignments.exists():
        raise DomainError(_("The role is still assigned; revoke it first."))
    if role.owned_data.exists():
        raise DomainError(_("The role owns data; give that data to another role first."))
    audit_record(
        action="role_delete",
        obj=role,
        before={**snapshot(role, ROLE_FIELDS), "rights": _role_rights(role)},
        actor=by,
    )
    role.delete()


@transaction.atomic
def role_assign(
    *,
    by: User | None,
    user: User,
    role: Role,
    scope: Scope,
    valid_from: date | None = None,
    valid_to: date | None = None,
) -> RoleAssignment:
    """Give `user` the `role` within `scope`, optionally for a period.

    The user's rights change from their next request (and at once on this
    user object). Raises DomainError for an unknown scope kind, a unit missing
    or given where none belongs, a reversed period, or an existing identical
    assignment. Notifies nobody.
    """
    from hub.accounts.models import RoleAssignment

    if scope.kind not in ScopeKind.values:
        raise DomainError(_("Unknown scope."))
    if unit_free(scope.kind) != (scope.id is None):
        raise DomainError(_("Choose the unit for this scope, or none for the whole institution."))
    if valid_from and valid_to and valid_to < valid_from:
        raise DomainError(_("The end of the period comes before its start."))
    duplicate = RoleAssignment.objects.filter(
        user=user, role=role, scope_kind=scope.kind, scope_id=scope.id
    )
    if duplicate.exists():
        raise DomainError(_("The user already holds this role in this scope."))
    assignment = RoleAssignment.objects.create(
        user=user,
        role=role,
        scope_kind=scope.kind,
        scope_id=scope.id,
        valid_from=valid_from,
        valid_to=valid_to,
        granted_by=by,
    )
    audit_record(
        action="role_assign",
        obj=assignment,
        after=snapshot(assignment, ASSIGNMENT_FIELDS),
        actor=by,
    )
    forget_rights(user)
    return assignment


@transaction.atomic
def role_revoke(*, by: User | None, assignment: RoleAssignment) -> None:
    """Take the assigned role away; the user loses its rights from their next request.

    Notifies nobody.
    """

    audit_record(
        action="role_revoke",
        obj=assignment,
        before=snapshot(assignment, ASSIGNMENT_FIELDS),
        actor=by,
    )
    assignment.delete()
    forget_rights(assignment.user)


@transaction.atomic
def ownership_set(*, by: User, data_kind: str, owner: Role) -> DataOwnership:
    """Make `owner` the only role that writes `data_kind` (AC-2).

    Raises DomainError for an unknown kind of data. Notifies nobody.
    """

    if data_kind not in DataKind.values:
        raise DomainError(_("Unknown kind of data."))
    before = DataOwnership.objects.filter(data_kind=data_kind).values("owner_id").first()
    ownership, _created = DataOwnership.objects.update_or_create(
        data_kind=data_kind, defaults={"owner": owner}
    )
    audit_record(
        action="ownership_set",
        obj=ownership,
        before={"owner": before["owner_id"] if before else None},
        after={"owner": ownership.owner_id},
        actor=by,
    )
    return ownership


@transaction.atomic
def guardianship_link(
    *, by: User | None, parent: User, child: User, relation: str = "guardian"
) -> Guardianship:
    """Let `parent` read `child`'s data (AC-8). Raises DomainError for a self-link
    or an existing link. Notifies nobody.
    """
    from hub.accounts.models import Guardianship

    if parent.pk == child.pk:
        raise DomainError(_("A person cannot be their own parent."))
    if relation not in GuardianRelation.values:
        raise DomainError(_("Unknown relation."))
    if Guardianship.objects.filter(parent=parent, child=child).exists():
        raise DomainError(_("This parent is already linked to this child."))
    link = Guardianship.objects.create(parent=parent, child=child, relation=relation)
    audit_record(
        action="guardianship_link",
        obj=link,
        after=snapshot(link, GUARDIANSHIP_FIELDS),
        actor=by,
    )
    forget_rights(parent)
    return link


@transaction.atomic
def guardianship_unlink(*, by: User | None, link: Guardianship) -> None:
    """End the parent's access to the child's data. Notifies nobody."""

    audit_record(
        action="guardianship_unlink",
        obj=link,
        before=snapshot(link, GUARDIANSHIP_FIELDS),
        actor=by,
    )
    link.delete()
    forget_rights(link.parent)


# --- Accounts administration (issue 3, item 7) -------------------------------

# Fields an administrator sets on a new account; recorded in the audit log.
USER_ADMIN_FIELDS = (
    "username",
    "last_name",
    "first_name",
    "patronymic",
    "last_name_latin",
    "first_name_latin",
    "patronymic_latin",
    "cabinet",
    "language",
    "phone",
    "email",
    "is_active",
    "must_change_password",
)
# No 0/O or 1/l/I: initial passwords are read off a screen or a printed list.
_PASSWORD_LETTERS = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"  # noqa: S105
_PASSWORD_DIGITS = "23456789"  # noqa: S105
INITIAL_PASSWORD_LENGTH = 12


def password_generate() -> str:
    """A random initial password of letters and digits, with at least one of each."""
    alphabet = _PASSWORD_LETTERS + _PASSWORD_DIGITS
    while True:
        password = "".join(secrets.choice(alphabet) for _i in range(INITIAL_PASSWORD_LENGTH))
        if any(c.isdigit() for c in password) and any(c.isalpha() for c in password):
            return password


@dataclass(frozen=True)
class NewUser:
    """What an administrator gives for a new account (one form or one import row)."""

    username: str
    last_name: str
    first_name: str
    cabinet: str
    language: str = Language.KYRGYZ
    patronymic: str = ""
    last_name_latin: str = ""
    first_name_latin: str = ""
    patronymic_latin: str = ""
    phone: str = ""
    email: str = ""

    def with_latin_names(self) -> NewUser:
        """Latin forms left blank are filled by transliteration; given ones are kept."""
        return replace(
            self,
            last_name_latin=self.last_name_latin or transliterate(self.last_name),
            first_name_latin=self.first_name_latin or transliterate(self.first_name),
            patronymic_latin=self.patronymic_latin or transliterate(self.patronymic),
        )


def new_user_problems(data: NewUser, *, taken: set[str]) -> list[str]:
    """Translated reasons why `data` cannot become an account; empty when it can.

    `taken` holds the lower-cased logins already used (in the database and by
    earlier rows of the same import): logins differing only in case are refused,
    people would not tell them apart.
    """
    problems = []
    if not data.username:
        problems.append(_("The login is missing."))
    elif data.username.lower() in taken:
        problems.append(
            _("The login “%(username)s” is already taken.") % {"username": data.username}
        )
    else:
        try:
            UnicodeUsernameValidator()(data.username)
        except ValidationError:
            problems.append(
                _("The login may contain only letters, digits and the characters @ . + - _.")
            )
    if not data.last_name or not data.first_name:
        problems.append(_("The last name and the first name are required."))
    if data.cabinet not in Cabinet.values:
        problems.append(_("Unknown cabinet “%(value)s”.") % {"value": data.cabinet})
    if data.language not in Language.values:
        problems.append(_("Unknown language “%(value)s”.") % {"value": data.language})
    try:
        phone_normalize(data.phone)
    except ValidationError as error:
        problems.extend(error.messages)
    if data.email:
        try:
            validate_email(data.email)
        except ValidationError:
            problems.append(_("Enter a valid e-mail address."))
    return problems


def taken_usernames(usernames: Iterable[str]) -> set[str]:
    """The lower-cased logins among `usernames` that accounts already use (one query)."""
    wanted = {name.lower() for name in usernames if name}
    if not wanted:
        return set()
    used = User.objects.annotate(login=Lower("username")).filter(login__in=wanted)
    return set(used.values_list("login", flat=True))


def _user_build(data: NewUser) -> tuple[User, str]:
    data = data.with_latin_names()
    password = password_generate()
    user = User(
        username=data.username,
        last_name=data.last_name,
        first_name=data.first_name,
        patronymic=data.patronymic,
        last_name_latin=data.last_name_latin,
        first_name_latin=data.first_name_latin,
        patronymic_latin=data.patronymic_latin,
        cabinet=data.cabinet,
        language=data.language,
        phone=phone_normalize(data.phone),
        email=data.email,
        must_change_password=True,
    )
    user.set_password(password)
    return user, password


@transaction.atomic
def user_create(*, by: User, data: NewUser) -> tuple[User, str]:
    """Create one account with a random initial password; return both.

    The password is returned once, to be shown to the administrator, and never
    stored in clear; the user must change it at the first sign-in. Latin names
    left blank are transliterated from the Cyrillic ones. Raises DomainError
    with every problem of `data` (taken login, missing name, bad phone...).
    """
    problems = new_user_problems(data, taken=taken_usernames([data.username]))
    if problems:
        raise DomainError(problems[0], messages=problems)
    user, password = _user_build(data)
    user.save()
    _audit(action="user_create", user=user, before=None, by=by)
    return user, password


@transaction.atomic
def users_import(*, by: User, rows: list[NewUser]) -> list[tuple[User, str]]:
    """Create an account for every row, all or none; return each with its initial password.

    The rows are checked again here (a login may have been taken since the
    preview); any problem refuses the whole import with DomainError listing
    every row's problems, and nothing is saved. Each account must change its
    password at the first sign-in; all entries share one audit batch.
    """
    taken = taken_usernames(row.username for row in rows)
    messages = []
    for number, row in enumerate(rows, start=1):
        for problem in new_user_problems(row, taken=taken):
            messages.append(
                _("Row %(number)d: %(problem)s") % {"number": number, "problem": problem}
            )
        taken.add(row.username.lower())
    if not rows:
        messages.append(_("There is nothing to import."))
    if messages:
        raise DomainError(messages[0], messages=messages)
    built = [_user_build(row) for row in rows]
    User.objects.bulk_create([user for user, _password in built])
    # bulk_create sets primary keys on PostgreSQL and SQLite alike.
    audit_bulk(
        action="users_import",
        changes=[Change(obj=user, after=snapshot(user, USER_ADMIN_FIELDS)) for user, _p in built],
        actor=by,
    )
    return built


@transaction.atomic
def user_password_reset(*, by: User, user: User) -> str:
    """Give `user` a new random initial password and return it, to be shown once.

    The old password stops working and every session of `user` ends (the
    session hash depends on the password); the user must change the new one at
    the next sign-in.
    """
    password = password_generate()
    before = snapshot(user, ["must_change_password"])
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    _audit(
        action="user_password_reset",
        user=user,
        before=before,
        by=by,
        fields=["must_change_password"],
        always=True,
    )
    return password


@transaction.atomic
def user_password_change(*, user: User, password: str) -> User:
    """`user` sets their own new password (already validated); the forced change is done.

    The caller keeps the current session valid (update_session_auth_hash).
    """
    before = snapshot(user, ["must_change_password"])
    user.set_password(password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    _audit(
        action="user_password_change",
        user=user,
        before=before,
        by=user,
        fields=["must_change_password"],
        always=True,
    )
    return user


@transaction.atomic
def user_deactivate(*, by: User, user: User) -> User:
    """Close `user`'s account: no sign-in, no API token, no socket; nothing is deleted.

    Everything the user wrote stays and keeps naming them. Raises DomainError
    for one's own account (an administrator would lock themselves out).
    """
    if user.pk == by.pk:
        raise DomainError(_("You cannot deactivate your own account."))
    return _active_set(by=by, user=user, active=False, action="user_deactivate")


@transaction.atomic
def user_reactivate(*, by: User, user: User) -> User:
    """Open a deactivated account again, with the password it had."""
    return _active_set(by=by, user=user, active=True, action="user_reactivate")


def _active_set(*, by: User, user: User, active: bool, action: str) -> User:
    if user.is_active != active:
        before = snapshot(user, ["is_active"])
        user.is_active = active
        user.save(update_fields=["is_active"])
        _audit(action=action, user=user, before=before, by=by, fields=["is_active"])
    return user


@transaction.atomic
def user_unlock(*, by: User, username: str) -> int:
    """Lift the lock that repeated failed logins put on `username` (django-axes).

    Forgets the failed attempts recorded for that login, so the next sign-in
    with the right password succeeds; returns how many records were removed.
    """
    removed = axes_reset(username=username)
    if removed:
        audit_record(
            action="user_unlock",
            object_type=User._meta.label_lower,
            object_id=User.objects.filter(username=username).values_list("pk", flat=True).first(),
            object_repr=username,
            actor=by,
        )
    return removed


def _audit(
    *,
    action: str,
    user: User,
    before: dict | None,
    by: User,
    fields: Iterable[str] = USER_ADMIN_FIELDS,
    always: bool = False,
) -> None:
    after = snapshot(user, fields)
    if always and before == after:
        # A new password changes no recorded field; the entry still says it happened.
        before = None
    audit_record(action=action, obj=user, before=before, after=after, actor=by)
