"""Job kinds that exist only for the tests, registered in the real registry."""

from celery.exceptions import SoftTimeLimitExceeded

from hub.jobs.registry import job_kind


@job_kind("tests.count", title="Count to params['steps']")
def count(job, progress):
    steps = job.params["steps"]
    for step in range(1, steps + 1):
        progress(step, steps, "counting")
    return {"counted": steps}


@job_kind("tests.fail", title="Fail half way")
def fail(job, progress):
    progress(2, 4, "half way")
    raise RuntimeError("the disk is full")


@job_kind("tests.too_slow", title="Run into the soft time limit")
def too_slow(job, progress):
    # What Celery raises inside the task when CELERY_TASK_SOFT_TIME_LIMIT passes
    # (the solo pool of the test worker does not enforce time limits itself).
    raise SoftTimeLimitExceeded()


@job_kind("tests.change_language", title="Change the owner's language")
def change_language(job, progress):
    from hub.accounts.actions import user_language_set

    user_language_set(user=job.owner, language=job.params["language"])
    return {}
