"""The SOATE pages: the children endpoint of the address pickers, the browser, SoateField."""

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from academic.structure.forms import SoateField
from academic.structure.models import SoateLevel, SoateUnit
from tests.conftest import CAST_NAMES, make_user

pytestmark = pytest.mark.django_db

CHUY, ALAMUDUN, LEBEDINOVKA = "41708000000000", "41708203000000", "41708203801010"
URL = "structure:soate-children"


def pk(code: str) -> int:
    return SoateUnit.objects.get(code=code).pk


def user_speaking(language: str, **fields):
    user = make_user(f"{language}_user", **fields)
    user.language = language
    user.save(update_fields=["language"])
    return user


def results(response) -> list[dict]:
    assert response["Content-Type"] == "application/json"
    return response.json()["results"]


# --- The children endpoint ------------------------------------------------------------------


@pytest.mark.parametrize("member", CAST_NAMES)
def test_every_signed_in_member_reads_the_classifier(client, cast, member):
    client.force_login(getattr(cast, member))

    response = client.get(reverse(URL))

    assert response.status_code == 200
    assert len(results(response)) == 9


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse(URL))

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_children_of_a_unit_come_with_code_level_and_whether_they_go_deeper(client, cast):
    client.force_login(cast.student)

    districts = results(client.get(reverse(URL), {"parent": pk(CHUY)}))
    villages = results(client.get(reverse(URL), {"parent": pk(ALAMUDUN)}))

    alamudun = next(unit for unit in districts if unit["code"] == ALAMUDUN)
    assert alamudun == {
        "id": pk(ALAMUDUN),
        "code": ALAMUDUN,
        "name": "Alamudun district",
        "level": SoateLevel.DISTRICT,
        "has_children": True,
    }
    assert len(districts) == 9  # 8 districts and the city of Tokmok
    assert {unit["code"] for unit in villages} >= {LEBEDINOVKA}
    assert not any(unit["has_children"] for unit in villages)


def test_names_come_in_the_users_language(client):
    kyrgyz = user_speaking("ky")
    russian = user_speaking("ru")

    names = {}
    for user in (kyrgyz, russian):
        client.force_login(user)
        rows = results(client.get(reverse(URL), {"parent": pk(CHUY)}))
        names[user.language] = {row["code"]: row["name"] for row in rows}[ALAMUDUN]

    assert names == {"ky": "Аламүдүн району", "ru": "Аламудунский район"}


def test_an_unknown_or_malformed_parent_is_404(client, cast):
    client.force_login(cast.student)

    assert client.get(reverse(URL), {"parent": 999999}).status_code == 404
    assert client.get(reverse(URL), {"parent": "x"}).status_code == 404


def test_the_endpoint_searches_by_name_in_any_language_and_by_code(client, cast):
    client.force_login(cast.teacher)

    by_russian = results(client.get(reverse(URL), {"q": "лебединов"}))
    by_kyrgyz = results(client.get(reverse(URL), {"q": "Аламүдүн"}))
    by_code = results(client.get(reverse(URL), {"q": "41708203"}))

    assert [row["code"] for row in by_russian] == [LEBEDINOVKA]
    assert by_russian[0]["path"] == "Chuy region, Alamudun district, Lebedinovka"
    assert [row["code"] for row in by_kyrgyz] == [ALAMUDUN]
    assert by_code[0]["code"] == ALAMUDUN
    assert all(row["code"].startswith("41708203") for row in by_code)


def test_the_endpoint_answers_only_get(client, cast):
    client.force_login(cast.student)

    assert client.post(reverse(URL)).status_code == 405


# --- The browser page ------------------------------------------------------------------------


def test_the_browser_drills_down_from_the_regions(client, cast):
    client.force_login(cast.records_office)
    url = reverse("structure:soate")

    top = client.get(url)
    chuy = client.get(url, {"parent": pk(CHUY)})
    alamudun = client.get(url, {"parent": pk(ALAMUDUN)}).content.decode()

    assert len(top.context["page"].object_list) == 9
    assert f"?parent={pk(CHUY)}" in top.content.decode()
    assert [unit.code for unit in chuy.context["path"]] == [CHUY]
    assert "Lebedinovka" in alamudun
    assert f"?parent={pk(CHUY)}" in alamudun  # the breadcrumb leads back up


def test_the_browser_searches_and_shows_the_whole_path(client, cast):
    client.force_login(cast.deanery_b)

    response = client.get(reverse("structure:soate"), {"q": "Lebedinovka"})

    assert [unit.code for unit in response.context["page"].object_list] == [LEBEDINOVKA]
    assert "Chuy region, Alamudun district, Lebedinovka" in response.content.decode()
    empty = client.get(reverse("structure:soate"), {"q": "Atlantis"})
    assert "No units match" in empty.content.decode()


def test_the_browser_exports_what_it_shows_with_kyrgyz_letters(client):
    user = user_speaking("ky", is_superuser=True)
    client.force_login(user)

    response = client.get(reverse("structure:soate"), {"parent": pk(CHUY), "export": "csv"})

    text = response.content.decode("utf-8-sig")
    assert ALAMUDUN in text
    assert "Аламүдүн району" in text
    assert LEBEDINOVKA not in text


def test_the_browser_of_an_unknown_unit_is_404(client, cast):
    client.force_login(cast.records_office)

    assert client.get(reverse("structure:soate"), {"parent": 999999}).status_code == 404


def test_the_browser_takes_as_many_queries_for_many_found_units_as_for_one(client, cast):
    client.force_login(cast.records_office)
    url = reverse("structure:soate")
    client.get(url)  # sessions, rights and the like settle on the first request

    with CaptureQueriesContext(connection) as one:
        client.get(url, {"q": "Lebedinovka"})
    with CaptureQueriesContext(connection) as many:
        response = client.get(url, {"q": "район"})

    assert len(response.context["page"].object_list) == 40
    assert len(many) == len(one)


# --- SoateField ------------------------------------------------------------------------------


class AddressForm(forms.Form):
    place = SoateField()


def test_soate_field_takes_a_unit_of_any_level():
    for code in (CHUY, ALAMUDUN, LEBEDINOVKA, "41711000000000"):
        form = AddressForm({"place": pk(code)})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["place"].code == code


def test_soate_field_refuses_an_unknown_unit():
    form = AddressForm({"place": 999999})

    assert not form.is_valid()


def test_soate_field_renders_a_plain_select_for_the_picker_script():
    with translation.override("en"):
        html = str(AddressForm(initial={"place": pk(LEBEDINOVKA)})["place"])

    assert "data-soate-picker" in html
    assert reverse(URL) in html
    assert "js/soate-picker.js" in html
    assert "Chuy region, Alamudun district, Lebedinovka</option>" in html
    assert f'value="{pk(LEBEDINOVKA)}" selected' in html
    path = [pk(CHUY), pk(ALAMUDUN), pk(LEBEDINOVKA)]
    assert f'data-path="[{", ".join(map(str, path))}]"' in html


def test_soate_field_may_narrow_its_units():
    class SettlementForm(forms.Form):
        place = SoateField(queryset=SoateUnit.objects.filter(level=SoateLevel.SETTLEMENT))

    assert SettlementForm({"place": pk(LEBEDINOVKA)}).is_valid()
    assert not SettlementForm({"place": pk(CHUY)}).is_valid()


def test_the_browser_searches_inside_the_unit_picked(client, cast):
    client.force_login(cast.records_office)
    url = reverse("structure:soate")

    inside_chuy = client.get(url, {"q": "district", "parent": pk(CHUY)})
    inside_alamudun = client.get(url, {"q": "district", "parent": pk(ALAMUDUN)})

    codes = [unit.code for unit in inside_chuy.context["page"].object_list]
    assert len(codes) == 8
    assert all(code.startswith("41708") for code in codes)
    assert list(inside_alamudun.context["page"].object_list) == []
    assert "data-soate-picker" in inside_chuy.content.decode()


def test_a_search_inside_a_district_leaves_out_its_siblings(client, cast):
    client.force_login(cast.records_office)
    ak_suu = pk("41702210000000")  # its code's significant part ends in 0

    response = client.get(reverse("structure:soate"), {"q": "41702", "parent": ak_suu})

    assert [unit.code for unit in response.context["page"].object_list] == ["41702210801010"]
