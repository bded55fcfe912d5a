"""Forms of distance learning: they parse input; the actions decide what is allowed."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hub.learning.models import LatePolicy, MaterialKind

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; an empty list when none."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)] if data else []


class TitlesForm(forms.Form):
    title_ky = forms.CharField(label=_("Title (Kyrgyz)"), max_length=255, required=False)
    title_ru = forms.CharField(label=_("Title (Russian)"), max_length=255, required=False)
    title_en = forms.CharField(label=_("Title (English)"), max_length=255, required=False)


class SyllabusForm(forms.Form):
    syllabus = forms.CharField(
        label=_("Syllabus"), required=False, widget=forms.Textarea(attrs={"rows": 16})
    )


class SectionForm(TitlesForm):
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class MaterialForm(TitlesForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=MaterialKind.choices)
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("PDF, DOCX, PPTX, XLSX, images or MP4 video."),
    )
    url = forms.CharField(
        label=_("Address"),
        max_length=500,
        required=False,
        help_text=_("A YouTube link for a video; any web address for a link or a meeting."),
    )
    starts_at = forms.DateTimeField(
        label=_("Meeting starts at"),
        required=False,
        widget=DATETIME_INPUT,
        input_formats=DATETIME_FORMATS,
    )

    field_order = ["kind", "title_ky", "title_ru", "title_en", "file", "url", "starts_at"]


class AssignmentForm(TitlesForm):
    instructions = forms.CharField(
        label=_("Instructions"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    files = MultipleFileField(label=_("Files"))
    deadline = forms.DateTimeField(
        label=_("Deadline"), widget=DATETIME_INPUT, input_formats=DATETIME_FORMATS
    )
    max_score = forms.IntegerField(label=_("Maximum score"), min_value=1, max_value=100)
    checkpoint = forms.ModelChoiceField(
        label=_("Checkpoint in the journal"), queryset=None, required=False
    )
    late_policy = forms.ChoiceField(label=_("Late work"), choices=LatePolicy.choices)
    late_penalty = forms.IntegerField(
        label=_("Late penalty, %"), min_value=0, max_value=100, required=False
    )
    groups = forms.ModelMultipleChoiceField(
        label=_("Groups"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen and no students chosen: the whole stream."),
    )
    students = forms.ModelMultipleChoiceField(
        label=_("Students"), queryset=None, required=False, widget=forms.SelectMultiple
    )

    def __init__(self, *args, checkpoints, groups, students, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["checkpoint"].queryset = checkpoints
        self.fields["checkpoint"].label_from_instance = lambda c: f"{c.course.group.name}: {c}"
        self.fields["groups"].queryset = groups
        self.fields["students"].queryset = students
        self.fields["students"].label_from_instance = lambda s: s.user.get_full_name()


class SubmissionForm(forms.Form):
    text = forms.CharField(
        label=_("Answer"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    files = MultipleFileField(label=_("Files"))


class CheckForm(forms.Form):
    score = forms.CharField(label=_("Score"), max_length=16, required=False)
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    rework = forms.BooleanField(label=_("Return for rework"), required=False)
