import re

import pytest

# Serving a static file closes the request like any other, which touches the database.
pytestmark = pytest.mark.django_db

ASSET = re.compile(r"""(?:src|href)=["']([^"']+)["']""")


@pytest.mark.parametrize("page", ["/api/docs/", "/api/redoc/"])
def test_docs_page_loads_nothing_from_another_host(client, page):
    response = client.get(page)

    assert response.status_code == 200
    html = response.content.decode()
    assert "http://" not in html
    assert "https://" not in html
    assets = ASSET.findall(html)
    assert assets, "the page should load its viewer from our static files"
    for url in assets:
        assert url.startswith("/static/drf_spectacular_sidecar/"), url


@pytest.mark.parametrize("page", ["/api/docs/", "/api/redoc/"])
def test_docs_page_assets_are_served_by_us(client, page):
    html = client.get(page).content.decode()

    for url in ASSET.findall(html):
        response = client.get(url)
        assert response.status_code == 200, url
        response.close()


def test_swagger_page_points_at_our_schema(client):
    html = client.get("/api/docs/").content.decode()

    assert '"/api/schema/"' in html
