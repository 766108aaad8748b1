"""The SVG charts: an image with a title and a description, every label and
figure written as text, series told apart by more than colour."""

from insights.charts import Series, bar_chart, line_chart


def test_bar_chart_writes_labels_and_figures():
    svg = bar_chart(
        title="Fill",
        desc="Bars",
        labels=["A <1>", "B"],
        series=[Series("Confirmed", [3, 1]), Series("Waitlist", [0, 2])],
    )
    assert 'role="img"' in svg
    assert '<title id="chart-title">Fill</title>' in svg
    assert '<desc id="chart-desc">Bars</desc>' in svg
    assert ">A &lt;1&gt;</text>" in svg
    assert ">Confirmed</text>" in svg and ">Waitlist</text>" in svg
    assert ">3</text>" in svg and ">2</text>" in svg
    # The second series is hatched, not only another colour.
    assert 'fill="url(#chart-p1)"' in svg and "<pattern" in svg


def test_line_chart_marks_points_with_shapes_and_figures():
    svg = line_chart(
        title="Months",
        desc="Lines",
        labels=["2026-01", "2026-02", "2026-03"],
        series=[Series("Issued", [1, 4, None]), Series("Revoked", [0, 1, 2])],
        ident="certs",
    )
    assert 'aria-labelledby="certs-title certs-desc"' in svg
    assert svg.count("<polyline") == 2
    assert "stroke-dasharray" in svg  # the second line is dashed
    assert "<circle" in svg and "<rect" in svg  # two marker shapes
    assert ">2026-02</text>" in svg and ">4</text>" in svg


def test_empty_values_draw_no_bar():
    svg = bar_chart(title="t", desc="d", labels=["x"], series=[Series("s", [None])])
    assert 'width="0.0"' in svg and ">–</text>" in svg


def test_figures_are_rounded_as_the_table_reads_them():
    """4.96 reads 5.0 on its bar, not 4.9 (number_format cuts digits)."""
    svg = bar_chart(
        title="t", desc="d", labels=["x", "y"], series=[Series("s", [4.96, 4.04])]
    )
    assert (">5,0</text>" in svg or ">5.0</text>" in svg) and "4,9<" not in svg
    assert ">4,0</text>" in svg or ">4.0</text>" in svg
