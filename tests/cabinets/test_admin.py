from __future__ import annotations


def test_admin_site_has_our_translated_header(client, cast):
    cast.admin.language = "ru"
    cast.admin.save()
    client.force_login(cast.admin)

    page = client.get("/admin/").content.decode()

    assert "Администрирование eBilim" in page


def test_admin_site_refuses_a_non_staff_user(client, cast):
    client.force_login(cast.teacher)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
