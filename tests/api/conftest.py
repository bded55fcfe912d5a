import pytest
from django.test import Client


@pytest.fixture
def client() -> Client:
    # The site's default language is Kyrgyz; the cast reads English, and so do
    # anonymous requests in these tests unless a test asks for another language.
    return Client(headers={"accept-language": "en"})
