"""Chat pages: my chats with unread counts, one chat (live through /ws/chat/), history, search."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hub.accounts.models import User
from hub.errors import DomainError
from realtime.chat import actions
from realtime.chat.models import ChatMember, Message
from realtime.chat.permissions import access_chat
from realtime.chat.selectors import (
    chat_partners,
    chats_of,
    message_payload,
    messages_before,
    messages_search,
)
from realtime.presence import online_among


@login_required
@require_GET
def chat_list(request: HttpRequest) -> HttpResponse:
    return render(request, "chat/chat_list.html", {"memberships": list(chats_of(request.user))})


@login_required
@require_GET
def chat_detail(request: HttpRequest, chat_id: int) -> HttpResponse:
    """The newest page of the chat; the page's script goes live from its last message."""
    member = access_chat(request.user, chat_id)
    messages = [message_payload(m) for m in messages_before(chat_id)]
    members = list(
        ChatMember.objects.filter(chat_id=chat_id, left_at__isnull=True).select_related("user")
    )
    online = online_among(m.user_id for m in members)
    context = {
        "chat": member.chat,
        "member": member,
        "members": [(m.user, m.user_id in online) for m in members],
        "messages": messages,
        "last_id": messages[-1]["id"] if messages else 0,
        "q": request.GET.get("q", ""),
        "found": [message_payload(m) for m in messages_search(chat_id, request.GET["q"])]
        if request.GET.get("q", "").strip()
        else None,
    }
    return render(request, "chat/chat_detail.html", context)


@login_required
@require_GET
def chat_history(request: HttpRequest, chat_id: int) -> JsonResponse:
    """An earlier page of the chat (`?before=<id>`), oldest first, as JSON."""
    access_chat(request.user, chat_id)
    try:
        before = int(request.GET.get("before", ""))
    except ValueError:
        return JsonResponse({"detail": "before must be a message id"}, status=400)
    return JsonResponse(
        {"messages": [message_payload(m) for m in messages_before(chat_id, before)]}
    )


@login_required
@require_GET
def chat_online(request: HttpRequest, chat_id: int) -> JsonResponse:
    """The members of the chat who are online now (ids), for the page's presence dots."""
    access_chat(request.user, chat_id)
    members = ChatMember.objects.filter(chat_id=chat_id, left_at__isnull=True)
    online = online_among(members.values_list("user_id", flat=True))
    return JsonResponse({"online": sorted(online)})


@login_required
@require_POST
def chat_attach(request: HttpRequest, chat_id: int) -> JsonResponse:
    """Send a message with a file (multipart: file, text, key); the live event follows."""
    access_chat(request.user, chat_id)
    upload = request.FILES.get("file")
    if upload is None:
        return JsonResponse({"detail": _("Choose a file.")}, status=400)
    try:
        message = actions.message_post(
            by=request.user,
            chat_id=chat_id,
            text=request.POST.get("text", ""),
            client_key=request.POST.get("key", ""),
            attachment=upload,
        )
    except DomainError as error:
        return JsonResponse({"detail": str(error)}, status=400)
    return JsonResponse({"id": message.pk, "key": message.client_key})


@login_required
@require_GET
def chat_attachment(request: HttpRequest, chat_id: int, message_id: int) -> FileResponse:
    """A message's file, for the chat's members only, always as a download."""
    access_chat(request.user, chat_id)
    message = Message.objects.filter(
        pk=message_id, chat_id=chat_id, deleted_at__isnull=True
    ).first()
    if message is None or not message.attachment:
        raise Http404(_("Page not found."))
    return FileResponse(
        message.attachment.open("rb"), as_attachment=True, filename=message.attachment_name
    )


@login_required
@require_GET
def chat_people(request: HttpRequest) -> HttpResponse:
    """Whom the user may write to privately: found by name (`?q=`), or their chats' people."""
    q = request.GET.get("q", "").strip()[:100]
    context = {"q": q, "people": chat_partners(request.user, q)}
    return render(request, "chat/chat_people.html", context)


@login_required
@require_POST
def private_chat(request: HttpRequest, user_id: int) -> HttpResponse:
    """Open (or create) the private chat with another user, when the policy allows it."""
    other = get_object_or_404(User, pk=user_id, is_active=True)
    chat = actions.private_chat_open(by=request.user, other=other)
    return redirect("chat:detail", chat_id=chat.pk)
