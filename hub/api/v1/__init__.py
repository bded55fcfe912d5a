"""Version 1 of the REST API, mounted at /api/v1/."""
