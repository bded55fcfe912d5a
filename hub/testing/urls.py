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
    path("tests/<int:test_id>/analysis/", views.test_analysis, name="test-analysis"),
    path("tests/<int:test_id>/protocol/", views.test_protocol, name="test-protocol"),
    path("tests/<int:test_id>/results/", views.test_results_report, name="test-results"),
    path("banks/<int:bank_id>/export/", views.bank_export, name="bank-export"),
    path("banks/<int:bank_id>/copy/", views.bank_copy, name="bank-copy"),
    path("banks/<int:bank_id>/merge/", views.bank_merge, name="bank-merge"),
    path("banks/<int:bank_id>/share/", views.bank_share, name="bank-share"),
    path("banks/<int:bank_id>/unshare/", views.bank_unshare, name="bank-unshare"),
    path("banks/<int:bank_id>/questions/copy/", views.questions_copy, name="questions-copy"),
]
