"""Forms of testing: they parse input; the actions decide what is allowed."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hub.i18n import LANGUAGE_CODES
from hub.testing.models import Layout

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


class BankForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"), help_text=_("GIFT (.gift, .txt), Moodle XML (.xml) or Word (.docx).")
    )
    language = forms.ChoiceField(
        label=_("Language of the questions"),
        choices=[(code, code) for code in LANGUAGE_CODES],
    )


class TestForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    opens_at = forms.DateTimeField(
        label=_("Opens"), widget=DATETIME_INPUT, input_formats=DATETIME_FORMATS
    )
    closes_at = forms.DateTimeField(
        label=_("Closes"), widget=DATETIME_INPUT, input_formats=DATETIME_FORMATS
    )
    time_limit = forms.IntegerField(label=_("Time limit, minutes"), min_value=1, initial=30)
    attempts_allowed = forms.IntegerField(label=_("Attempts allowed"), min_value=1, initial=1)
    layout = forms.ChoiceField(label=_("Layout"), choices=Layout.choices)
    shuffle_questions = forms.BooleanField(
        label=_("Shuffle questions"), required=False, initial=True
    )
    shuffle_options = forms.BooleanField(label=_("Shuffle options"), required=False, initial=True)
    show_results = forms.BooleanField(
        label=_("Show students which answers were wrong"), required=False, initial=True
    )
    checkpoint = forms.ModelChoiceField(
        label=_("Checkpoint in the journal"), queryset=None, required=False
    )
    max_score = forms.DecimalField(
        label=_("Maximum score"),
        required=False,
        min_value=1,
        help_text=_("Empty: the checkpoint's maximum (100 without one)."),
    )

    def __init__(self, *args, checkpoints, topics, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["checkpoint"].queryset = checkpoints
        self.fields["checkpoint"].label_from_instance = lambda c: (
            f"{c.course.discipline} · {c.course.group.name}: {c.name}"
        )
        self.topics = list(topics)
        # One "draw N from this topic" field per topic; none filled: every question, fixed.
        for topic in self.topics:
            self.fields[f"draw_{topic.pk}"] = forms.IntegerField(
                label=_("Draw from %(topic)s") % {"topic": topic.name},
                min_value=0,
                required=False,
            )

    def draws(self) -> list[tuple[object, int]]:
        return [
            (topic, self.cleaned_data.get(f"draw_{topic.pk}") or 0)
            for topic in self.topics
            if self.cleaned_data.get(f"draw_{topic.pk}")
        ]


class AssignForm(forms.Form):
    groups = forms.ModelMultipleChoiceField(
        label=_("Groups"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    students = forms.ModelMultipleChoiceField(
        label=_("Students"), queryset=None, required=False, widget=forms.SelectMultiple
    )

    def __init__(self, *args, groups, students, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["groups"].queryset = groups
        self.fields["students"].queryset = students
        self.fields["students"].label_from_instance = lambda s: s.user.get_full_name()


class AnnulForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class BankCopyForm(forms.Form):
    title = forms.CharField(label=_("Title of the copy"), max_length=255, required=False)


class BankMergeForm(forms.Form):
    into = forms.ModelChoiceField(label=_("Merge into"), queryset=None)

    def __init__(self, *args, banks, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = banks


class BankShareForm(forms.Form):
    users = forms.ModelMultipleChoiceField(
        label=_("Colleagues"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, colleagues, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["users"].queryset = colleagues
        self.fields["users"].label_from_instance = lambda u: u.get_full_name() or u.username


class BankUnshareForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Colleague"), queryset=None)

    def __init__(self, *args, shared, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = shared
        self.fields["user"].label_from_instance = lambda u: u.get_full_name() or u.username


class QuestionsCopyForm(forms.Form):
    questions = forms.ModelMultipleChoiceField(
        label=_("Questions"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    bank = forms.ModelChoiceField(label=_("Copy into"), queryset=None)

    def __init__(self, *args, questions, banks, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["questions"].queryset = questions
        self.fields["questions"].label_from_instance = lambda q: q.name or f"#{q.pk}"
        self.fields["bank"].queryset = banks
