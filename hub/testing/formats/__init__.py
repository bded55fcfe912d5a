"""Question import and export formats (TS-3, TS-4): pure functions, no models.

`questions` holds the dataclasses every format reads into and writes from;
`gift`, `moodle_xml` and `docx` read (`parse_*` -> `ImportResult` of questions and
problems) and write (`write_*`) them; `html.sanitise_html` cleans rich text.
"""
