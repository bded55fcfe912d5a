"""The Celery app: broker and reliability settings come from hub.settings.

acks_late + reject_on_worker_lost redeliver a job whose worker died; the
redelivery cap (CELERY_TASK_MAX_DELIVERIES) is enforced by hub.jobs so a job
that kills its worker every time is failed instead of looping forever.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")

app = Celery("ebilim")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
