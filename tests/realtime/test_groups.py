import pytest

from realtime.groups import group_user, is_valid_group, validate_group


def test_user_group_is_named_after_the_user_id():
    assert group_user(42) == "user.42"


@pytest.mark.parametrize("bad", [0, -1, True, "7", None, 1.5])
def test_user_group_refuses_anything_but_a_positive_integer(bad):
    with pytest.raises(ValueError):
        group_user(bad)


def test_built_group_names_are_valid():
    assert is_valid_group(group_user(7))
    assert validate_group("chat.12") == "chat.12"


@pytest.mark.parametrize("bad", ["", "user", "user.", "user 1", "user.1!x", "ü.1", "a." + "1" * 99])
def test_malformed_group_names_are_refused(bad):
    assert not is_valid_group(bad)
    with pytest.raises(ValueError):
        validate_group(bad)
