"""Background jobs of grades: generating a term's courses and exam sheets (GB-3, GB-8).

Started from the course generation page by the keepers of the academic
calendar (permissions.may_keep_calendar); progress goes to the owner's socket
group by group.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from academic.structure.models import Term
from hub.jobs.models import Job
from hub.jobs.registry import ProgressFn, job_kind

GENERATE = "grades.courses_generate"


class GenerateForm(forms.Form):
    term = forms.IntegerField(min_value=1)

    def clean_term(self) -> int:
        term = self.cleaned_data["term"]
        if not Term.objects.filter(pk=term).exists():
            raise forms.ValidationError(_("No such term."))
        return term


def _may_generate(user) -> bool:
    from academic.grades.permissions import may_keep_calendar

    return may_keep_calendar(user)


@job_kind(
    GENERATE,
    title=gettext_lazy("Courses and exam sheets of a term"),
    form=GenerateForm,
    can_start=_may_generate,
    result_template="grades/sheets/generate_result.html",
)
def courses_generate_job(job: Job, progress: ProgressFn) -> dict[str, Any]:
    """Generate the term's courses and sheets for every active group; the result counts them."""
    from academic.grades.actions.sheets import courses_generate

    term = Term.objects.select_related("academic_year").get(pk=job.params["term"])
    progress(0, 1, _("Reading the working plans"))
    result = courses_generate(by=job.owner, term=term, progress=progress)
    return result.as_dict() | {"term": str(term)}
