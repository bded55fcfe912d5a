"""Every write of grades, one module per area; import them from here.

journal.py: lessons, attendance, journal scores, checkpoint plans, results from
other modules (GB-5). sheets.py: course generation, exam sheets, closing,
change requests (AC-3), debts, retakes, differences. documents.py: issued
documents. settings.py: scale bands, grading settings, the academic calendar.
"""
