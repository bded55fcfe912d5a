"""Student records pages of the back office: the student list, personal files, orders."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from academic.records.permissions import access_records, access_student
from academic.records.selectors import personal_file


@login_required
def student_list(request: HttpRequest) -> HttpResponse:
    access_records(request.user)
    return render(request, "records/student_list.html", {})


@login_required
def student_detail(request: HttpRequest, student_id: int) -> HttpResponse:
    student = personal_file(access_student(request.user, student_id).pk)
    return render(request, "records/student_detail.html", {"student": student})
