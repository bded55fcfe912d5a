"""Access policies of each app's routes, one module per app, read by the authorization matrix.

A module here defines `POLICY: dict[str, Policy]` (route name → who may use
it) and, if its routes take ids, `objects(cast, university) -> dict[str, dict]`
giving the URL kwargs each `Policy.kwargs` name stands for.
"""
