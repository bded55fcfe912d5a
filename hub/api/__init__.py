"""The REST API: versioned packages (v1/), the schema and docs, one error format."""
