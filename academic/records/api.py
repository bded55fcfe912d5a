"""Student records in the REST API: the same scopes as the pages (one view per operation)."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from academic.records.permissions import access_records, access_student, office_scopes
from academic.records.selectors import state_on, student_rows
from academic.structure.permissions import groups_visible_filter
from hub.api.base import Api


class StudentListApi(Api):
    """Students the caller's office reads, as on today's date, filtered by name or group."""

    @extend_schema_serializer(component_name="StudentRow")
    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField(source="student_id")
        record_number = serializers.CharField(source="student.record_number")
        full_name = serializers.CharField(source="student.user.get_full_name")
        full_name_latin = serializers.CharField(source="student.user.get_full_name_latin")
        group = serializers.CharField(source="group.name")
        status = serializers.CharField()
        funding = serializers.CharField()

    @extend_schema(
        operation_id="records_students_list",
        parameters=[
            OpenApiParameter("q", str, description="Name (Cyrillic or Latin) or record number"),
            OpenApiParameter("group", str, description="Group name"),
        ],
        responses={200: OutputSerializer(many=True)},
    )
    def get(self, request):
        access_records(request.user)
        rows = student_rows(
            visible=groups_visible_filter(office_scopes(request.user), prefix="group__"),
            on=timezone.localdate(),
            q=request.query_params.get("q", ""),
            group=request.query_params.get("group", ""),
        )
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(self.OutputSerializer(page, many=True).data)


class StudentDetailApi(Api):
    """One personal file, for whoever may read it (its offices, the student)."""

    @extend_schema_serializer(component_name="StudentFile")
    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        record_number = serializers.CharField()
        full_name = serializers.CharField(source="user.get_full_name")
        full_name_latin = serializers.CharField(source="user.get_full_name_latin")
        sex = serializers.CharField()
        birth_date = serializers.DateField()
        citizenship = serializers.CharField()
        nationality = serializers.CharField()
        group = serializers.SerializerMethodField()
        status = serializers.SerializerMethodField()

        def get_group(self, student) -> str | None:
            state = self.context["state"]
            return state.group.name if state else None

        def get_status(self, student) -> str | None:
            state = self.context["state"]
            return state.status if state else None

    @extend_schema(operation_id="records_student_detail", responses={200: OutputSerializer})
    def get(self, request, student_id: int):
        student = access_student(request.user, student_id)
        context = {"state": state_on(student)}
        return Response(self.OutputSerializer(student, context=context).data)
