# The real worker, the channel-layer listener and English messages of the job tests.
from tests.jobs.conftest import _english, celery_worker, listen  # noqa: F401
