"""Testing under /testing/ (namespace "testing")."""

from django.urls import path

from hub.testing import views

app_name = "testing"

urlpatterns = [
    path("", views.my_tests, name="my-tests"),
    path("banks/", views.banks, name="banks"),
    path("banks/<int:bank_id>/", views.bank, name="bank"),
    path("banks/<int:bank_id>/import/", views.bank_import, name="bank-import"),
    path("banks/<int:bank_id>/tests/new/", views.test_create, name="test-create"),
    path("tests/", views.tests, name="tests"),
    path("tests/<int:test_id>/", views.test, name="test"),
    path("tests/<int:test_id>/start/", views.start, name="start"),
    path("attempts/<int:attempt_id>/", views.attempt, name="attempt"),
    path("attempts/<int:attempt_id>/answer/", views.answer, name="answer"),
    path("attempts/<int:attempt_id>/submit/", views.submit, name="submit"),
    path("attempts/<int:attempt_id>/result/", views.result, name="result"),
    path("attempts/<int:attempt_id>/annul/", views.annul, name="annul"),
]
