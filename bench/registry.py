"""The bench modules `make bench` runs, in this order.

A bench module is a module of this package with:

    NAME: str                                  # short name, for --only
    def run(ctx: BenchContext) -> list[Row]:   # bench.environment / bench.report

run() may use bench.data to grow the dataset, bench.http.gunicorn_server() and
run_wrk() to measure over HTTP; it should return an error_row() for a figure it
cannot measure rather than raise (an exception is caught by the runner and
becomes one error row for the whole module).

Order matters: "catalogue" measures the 5-course catalogue before growing it to
500 courses, so it runs first. Modules that change data (enrolments, seats
taken) go after "http", so the throughput rows measure the same data every run.
"ops" (its own gunicorn and RQ workers) goes last: it adds a certificate run.
"""

MODULES = [
    "bench.catalogue",
    "bench.http",
    "bench.enrolment_burst",
    "bench.attendance",
    "bench.registers",
    "bench.calendar",
    "bench.feeds",
    "bench.certificates",
    "bench.credentials",
    "bench.directory",
    "bench.directory_search",
    "bench.reports",
    "bench.staff",
    "bench.lighthouse",
    "bench.ops",
]
