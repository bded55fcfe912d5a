"""The curator's questionnaire of each student of their group (CR-1)."""
