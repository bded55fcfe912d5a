"""Record book, transcript, documents and their public verification, under /grades/."""

from django.urls import path

from academic.grades import views_documents as views

urlpatterns = [
    path(
        "documents/students/<int:student_id>/record-book/",
        views.record_book_page,
        name="documents-record-book",
    ),
    path(
        "documents/students/<int:student_id>/transcript/",
        views.transcript_page,
        name="documents-transcript",
    ),
    path(
        "documents/students/<int:student_id>/",
        views.student_documents,
        name="documents-student",
    ),
    path("documents/sheets/<int:sheet_id>/", views.sheet_document, name="documents-sheet"),
    path("documents/groups/<int:group_id>/", views.group_document, name="documents-group"),
    path("verify/", views.verify_lookup, name="documents-verify-lookup"),
    path("verify/<str:code>/", views.verify, name="documents-verify"),
]
