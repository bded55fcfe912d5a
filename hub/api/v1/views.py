"""API v1 views: one class per operation, each with its own serializers.

Nested serializers are called Input/Output in every view, so each names its
schema component (extend_schema_serializer) to keep the OpenAPI names unique.
"""

from __future__ import annotations

from axes.helpers import get_lockout_message
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import exceptions, serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from hub.accounts.actions import user_api_token_issue, user_profile_update
from hub.accounts.models import Language
from hub.api.base import Api


class TokenObtainApi(Api):
    """Exchange a username and password for the user's API token."""

    # No session here: a browser's stale session cookie must not demand a CSRF token.
    authentication_classes = ()
    permission_classes = (AllowAny,)

    @extend_schema_serializer(component_name="TokenObtainInput")
    class InputSerializer(serializers.Serializer):
        username = serializers.CharField(max_length=150)
        password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})

    @extend_schema_serializer(component_name="Token")
    class OutputSerializer(serializers.Serializer):
        token = serializers.CharField()

    @extend_schema(
        operation_id="auth_token_obtain",
        request=InputSerializer,
        responses={200: OutputSerializer},
    )
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(request=request, **data.validated_data)
        if user is None and getattr(request, "axes_locked_out", False):
            # Failed sign-ins here count towards the same lock as the login page.
            raise exceptions.Throttled(detail=get_lockout_message())
        if user is None:
            raise serializers.ValidationError(
                _("Unable to sign in with this username and password."), code="authorization"
            )
        token = user_api_token_issue(user=user)
        return Response(self.OutputSerializer({"token": token.key}).data)


class MeDetailApi(Api):
    """The signed-in user's own profile."""

    @extend_schema_serializer(component_name="Profile")
    class OutputSerializer(serializers.Serializer):
        username = serializers.CharField()
        full_name = serializers.CharField(source="get_full_name")
        full_name_latin = serializers.CharField(source="get_full_name_latin")
        language = serializers.CharField()
        cabinet = serializers.CharField()
        phone = serializers.CharField()
        email = serializers.EmailField()

    @extend_schema(
        operation_id="me_detail",
        description="The signed-in user's own profile.",
        responses={200: OutputSerializer},
    )
    def get(self, request):
        return Response(MeDetailApi.OutputSerializer(request.user).data)


class MeUpdateApi(Api):
    """Change the signed-in user's language or phone; nothing else is writable here."""

    @extend_schema_serializer(component_name="ProfileUpdateInput")
    class InputSerializer(serializers.Serializer):
        language = serializers.ChoiceField(choices=Language.choices, required=False)
        phone = serializers.CharField(max_length=32, allow_blank=True, required=False)

        def validate(self, attrs):
            unknown = sorted(set(self.initial_data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    _("Only language and phone can be changed here, not: %(fields)s.")
                    % {"fields": ", ".join(unknown)}
                )
            return attrs

    OutputSerializer = MeDetailApi.OutputSerializer

    @extend_schema(
        operation_id="me_update",
        description="Change the signed-in user's language or phone; nothing else is writable.",
        request=InputSerializer,
        responses={200: OutputSerializer},
    )
    def patch(self, request):
        data = MeUpdateApi.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = user_profile_update(user=request.user, **data.validated_data)
        return Response(MeUpdateApi.OutputSerializer(user).data)


# /me/ answers two operations: GET is MeDetailApi, PATCH is MeUpdateApi. DRF
# routes one URL to one class, so they are combined by inheritance; each keeps
# its own serializers and schema (named by class, so one cannot shadow the other).
class MeApi(MeDetailApi, MeUpdateApi):
    http_method_names = ["get", "patch", "options"]
