"""A report's figures as a chart: the columns the report charts, as bars,
or as lines when the rows are months."""

from __future__ import annotations

from django.utils.safestring import SafeString
from django.utils.text import format_lazy
from django.utils.translation import gettext as _

from .charts import Series, bar_chart, line_chart
from .selectors import Figures


def figures_chart(
    *, title: str, figures: Figures, ident: str = "chart"
) -> SafeString | None:
    """None when there is nothing to draw."""
    if not figures.rows:
        return None
    labels = [str(label) for label in figures.column(0)]
    series = [
        Series(str(figures.columns[index]), figures.column(index))
        for index in figures.charted
    ]
    names = ", ".join(one.name for one in series)
    over_time = figures.over_time and len(labels) > 1
    kind = _("Line chart") if over_time else _("Bar chart")
    desc = str(
        format_lazy(
            _(
                "{kind} of {names} by {rows}, {count} rows; "
                "the table gives the same figures."
            ),
            kind=kind,
            names=names,
            rows=str(figures.columns[0]).lower(),
            count=len(labels),
        )
    )
    draw = line_chart if over_time else bar_chart
    return draw(title=title, desc=desc, labels=labels, series=series, ident=ident)
