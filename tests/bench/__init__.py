"""Benchmarks, run by `make bench` (`python -m tests.bench`), never by pytest.

Every scenario measures the project and a baseline in the same run, on the same
machine, and returns rows {scenario, metric, value, unit, baseline, ratio,
target, met, note}; the harness writes them to bench-results.json and prints a
table. Targets are stated in the scenario; a missed one is reported, not fatal.
"""
