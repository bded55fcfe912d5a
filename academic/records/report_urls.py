"""Contingent reports and student search, under records/reports/ in the "records" namespace."""

from django.urls import path

from academic.records import report_views

urlpatterns = [
    path("contingent/", report_views.contingent_report, name="contingent"),
    path("ministry/", report_views.ministry, name="ministry-report"),
    path("search/", report_views.search, name="search"),
    path("search.json", report_views.search_json, name="search-json"),
]
