"""Chats (SC-6, TC-6, CR-3, DL-5): group chats kept in step with the records, and private chats.

A message is a row before it is anything else: it is written, acknowledged
to its sender with its id, then published; a client that reconnects asks for
the messages after the last id it saw. Members leave chats (left_at), they are
never deleted, so who was in a chat when stays readable.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

MAX_MESSAGE_LENGTH = 4000
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
ATTACHMENT_EXTENSIONS = (
    "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "txt", "jpg", "jpeg", "png", "zip",
)  # fmt: skip


def private_storage():
    """Attachments live under VAR_DIR/private, never under MEDIA (which nginx serves to anyone):
    only the chat's members download them, through the app."""
    from pathlib import Path

    from django.core.files.storage import FileSystemStorage

    return FileSystemStorage(location=Path(settings.VAR_DIR) / "private" / "chat")


class ChatKind(models.TextChoices):
    GROUP = "group", _("academic group")
    STREAM = "stream", _("course stream")
    PRIVATE = "private", _("private")


class Chat(models.Model):
    kind = models.CharField(_("kind"), max_length=16, choices=ChatKind.choices)
    title = models.CharField(_("title"), max_length=255)
    group = models.OneToOneField(
        "structure.Group",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="chat",
        verbose_name=_("group"),
    )
    # A course stream: the courses of one term and discipline taught by one
    # teacher (grades.Course rows), whatever groups they are for.
    term = models.ForeignKey(
        "structure.Term",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("term"),
    )
    discipline = models.ForeignKey(
        "curricula.Discipline",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("discipline"),
    )
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("teacher"),
    )
    # "smaller user id:larger user id" for private chats, so a pair has one chat.
    pair_key = models.CharField(max_length=32, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("chat")
        verbose_name_plural = _("chats")
        ordering = ["title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="group") | Q(group__isnull=False), name="group_chat_has_group"
            ),
            models.CheckConstraint(
                condition=~Q(kind="private") | Q(pair_key__isnull=False),
                name="private_chat_has_pair",
            ),
            models.CheckConstraint(
                condition=~Q(kind="stream")
                | Q(term__isnull=False, discipline__isnull=False, teacher__isnull=False),
                name="stream_chat_has_stream",
            ),
            models.UniqueConstraint(
                fields=["term", "discipline", "teacher"],
                condition=Q(kind="stream"),
                name="one_chat_per_stream",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class MemberRole(models.TextChoices):
    MEMBER = "member", _("member")
    MODERATOR = "moderator", _("moderator")


class ChatMember(models.Model):
    """A user's place in a chat: their role, what they have read, when they left."""

    chat = models.ForeignKey(
        Chat, on_delete=models.CASCADE, related_name="members", verbose_name=_("chat")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="chat_memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(
        _("role"), max_length=16, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)
    left_at = models.DateTimeField(_("left"), null=True, blank=True)
    last_read_id = models.BigIntegerField(_("last message read"), default=0)

    class Meta:
        verbose_name = _("chat member")
        verbose_name_plural = _("chat members")
        constraints = [models.UniqueConstraint(fields=["chat", "user"], name="one_membership")]
        indexes = [models.Index(fields=["user", "left_at"], name="chat_member_user")]

    def __str__(self) -> str:
        return f"{self.chat_id}: {self.user_id}"

    @property
    def is_active(self) -> bool:
        return self.left_at is None


class Message(models.Model):
    chat = models.ForeignKey(
        Chat, on_delete=models.CASCADE, related_name="messages", verbose_name=_("chat")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="chat_messages",
        verbose_name=_("author"),
    )
    text = models.TextField(_("text"), max_length=MAX_MESSAGE_LENGTH)
    # The text in lower case, for search: SQLite folds only ASCII letters in LIKE.
    text_folded = models.TextField(editable=False, default="")
    reply_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("reply to"),
    )
    attachment = models.FileField(
        _("attachment"), upload_to="%Y/%m/", storage=private_storage, blank=True
    )
    attachment_name = models.CharField(_("file name"), max_length=255, blank=True)
    # Generated by the sending browser: a message re-sent after a reconnect is
    # recognised and acknowledged again instead of being stored twice.
    client_key = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "client_key"],
                condition=~Q(client_key=""),
                name="message_client_key_once",
            )
        ]
        indexes = [models.Index(fields=["chat", "id"], name="message_chat_id")]

    def __str__(self) -> str:
        return f"{self.chat_id}#{self.pk}"
