"""Every read of grades, one module per area (journal, sheets, transcripts, results)."""
