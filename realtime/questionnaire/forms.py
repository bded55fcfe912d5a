from __future__ import annotations

from django import forms

from realtime.questionnaire.models import FIELDS, Questionnaire


class QuestionnaireForm(forms.ModelForm):
    class Meta:
        model = Questionnaire
        fields = FIELDS
        widgets = {
            "hobbies": forms.Textarea(attrs={"rows": 3}),
            "health_notes": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }
