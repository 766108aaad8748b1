"""Benchmarks of the Makers' School: `make bench` (= `python -m bench`).

See bench/README.md. The runner (bench/__main__.py) prepares a fresh PostgreSQL
database, then runs every module listed in bench.registry.MODULES; each returns
rows (bench.report.Row) that end in one printed table and bench/results.json.
"""
