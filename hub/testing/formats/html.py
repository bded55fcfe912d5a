"""Sanitising of question rich text (TS-3).

Question text is HTML kept as a string. Whatever comes in — typed in the
editor, imported from Word, Moodle XML or GIFT — goes through
`sanitise_html` so that only formatting survives: no scripts, no event
handlers, no styles, no `javascript:` links, and no frames except YouTube
embeds. Images may point only at inline `data:image/...` URLs or at a file
of the bank itself (a bare name such as `image1.png`).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import nh3

ALLOWED_TAGS = {
    "b", "strong", "i", "em", "u", "sub", "sup", "p", "br", "ul", "ol", "li",
    "table", "thead", "tbody", "tr", "td", "th", "img", "a", "iframe",
}  # fmt: skip

ALLOWED_ATTRIBUTES = {
    "img": {"src", "alt", "width", "height"},
    "a": {"href"},
    "iframe": {"src", "width", "height", "allowfullscreen", "title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}

# Tags dropped together with their content (the text of a script is no question text).
DROPPED_WITH_CONTENT = {"script", "style", "noscript", "template", "object", "embed"}

YOUTUBE_HOSTS = {
    "www.youtube.com",
    "youtube.com",
    "www.youtube-nocookie.com",
    "youtube-nocookie.com",
}

# A bank file name: no scheme (no ":"), no folder (no "/" or "\\"), not hidden or "..".
_BANK_NAME = re.compile(r"^(?![.\s])[^/\\:\"'<>?#&]+$")
# nh3 cannot drop an element from the attribute filter, so an iframe whose src was refused is
# left without src; its normalised serialisation is removed afterwards.
_IFRAME_WITHOUT_SRC = re.compile(r"<iframe(?![^>]*\ssrc=)[^>]*>.*?</iframe>", re.S)


def is_youtube_embed(url: str) -> bool:
    """True for an https YouTube embed URL (youtube.com or youtube-nocookie.com /embed/...)."""
    parts = urlsplit(url)
    return (
        parts.scheme == "https"
        and parts.hostname in YOUTUBE_HOSTS
        and parts.path.startswith("/embed/")
    )


def _is_image_source(value: str) -> bool:
    if value.startswith("data:"):
        return value.startswith("data:image/")
    return bool(_BANK_NAME.match(value))


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        return value if _is_image_source(value) else None
    if tag == "a" and attribute == "href":
        return value if urlsplit(value).scheme in {"http", "https"} else None
    if tag == "iframe" and attribute == "src":
        return value if is_youtube_embed(value) else None
    return value


def sanitise_html(html: str) -> str:
    """Return `html` with only the allowed formatting kept (idempotent)."""
    if not html:
        return ""
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_attribute_filter,
        url_schemes={"http", "https", "data"},
        strip_comments=True,
    )
    return _IFRAME_WITHOUT_SRC.sub("", cleaned).strip()
