"""The "Audit log" link in the header, for those who may open it."""

from __future__ import annotations

from hub.cabinets.context_processors import navigation_for


def test_the_link_is_offered_exactly_to_those_who_may_read_the_log(cast):
    offered = {
        name
        for name, user in cast.members().items()
        if "/audit/" in dict((url, label) for label, url in navigation_for(user))
    }

    # The deaneries read their own faculty's part of it.
    assert offered == {"admin", "vice_rector", "deanery_a", "deanery_b"}


def test_the_link_appears_in_the_administrators_header(client, cast):
    client.force_login(cast.admin)

    page = client.get("/cabinet/admin/").content.decode()

    assert '<a href="/audit/">Audit log</a>' in page
