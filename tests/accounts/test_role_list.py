"""role_list: every role with its rights and holders."""

from __future__ import annotations

from hub.accounts import roles
from hub.accounts.selectors import role_list


def test_role_list_counts_holders_in_two_queries(cast, django_assert_num_queries):
    with django_assert_num_queries(2):
        listed = {role.code: (role.holders, len(role.rights.all())) for role in role_list()}

    assert listed[roles.DEANERY][0] == 2
    assert listed[roles.STUDENT][0] == 2
    assert listed[roles.HR] == (1, 2)
    assert listed[roles.LIBRARIAN] == (0, 2)
