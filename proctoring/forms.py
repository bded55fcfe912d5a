"""Forms of proctoring: a test's settings and the proctor's acts on an attempt."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hub.accounts.models import User
from proctoring.actions import MAX_EXTENSION_MINUTES


class SettingsForm(forms.Form):
    requires_camera = forms.BooleanField(label=_("The test requires the camera"), required=False)
    frame_interval = forms.IntegerField(
        label=_("Seconds between frames"), min_value=2, max_value=60, initial=5
    )
    proctors = forms.ModelMultipleChoiceField(
        label=_("Proctors besides the owner"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, candidates=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if candidates is not None:
            self.fields["proctors"].queryset = candidates


class ExtendForm(forms.Form):
    minutes = forms.IntegerField(label=_("Minutes"), min_value=1, max_value=MAX_EXTENSION_MINUTES)


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("Message"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
