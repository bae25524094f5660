"""The trend figure: observed values, target path, milestones, published figures, suppression."""

import pytest

from dashboard.figures import figure, trace, trend_figure
from imvo.definitions import definitions
from tests.dashboard_support import assert_plotly_accepts
from warehouse.access import PUBLIC, kpi_values
from warehouse.connection import connect_reader


@pytest.fixture
def dash_textiel_values(dash_warehouse):
    conn = connect_reader(dash_warehouse)
    yield kpi_values(conn, PUBLIC, covenant="textiel")
    conn.close()


def _figure(values, kpi_id, lang="en"):
    defs = definitions()
    covenant = defs.covenants["textiel"]
    target = next((t for t in covenant.targets if t.kpi == kpi_id), None)
    return trend_figure(values, kpi=defs.kpis[kpi_id], target=target,
                        published=covenant.published, lang=lang)


def _trace(figure, kind):
    return next(trace for trace in figure.data if trace.legendgroup == kind)


def test_target_path_runs_from_baseline_through_the_milestones(dash_textiel_values):
    figure = _figure(dash_textiel_values, "production_locations")
    path = _trace(figure, "target")
    assert list(path.x) == [2016, 2018, 2020]
    assert list(path.y) == [2802, 6000, 8000]
    marks = _trace(figure, "milestones")
    assert list(marks.x) == [2018, 2020]
    assert marks.marker.symbol == "diamond"


def test_observed_and_published_values_are_distinct_traces(dash_textiel_values):
    figure = _figure(dash_textiel_values, "production_locations", lang="nl")
    observed = _trace(figure, "observed")
    assert list(observed.x) == [2016, 2017, 2018]
    assert list(observed.y) == [2802, 4268, 6289]
    published = _trace(figure, "published")
    assert published.name == "gepubliceerd"
    assert list(published.y) == [2802, 4268, 6289]
    assert "SER, Stand van zaken" in published.customdata[2][1]
    assert published.customdata[2][0] == "6.289"
    assert figure.layout.separators == ",."


def test_suppressed_year_is_marked_at_the_axis_not_drawn_as_a_value(dash_textiel_values):
    figure = _figure(dash_textiel_values, "excessive_hours_share")
    observed = _trace(figure, "observed")
    assert list(observed.y) == [12.0, 10.5, None]
    hidden = _trace(figure, "suppressed")
    assert list(hidden.x) == [2018]
    assert list(hidden.y) == [0]
    assert hidden.marker.symbol == "x"
    assert list(hidden.customdata[0]) == ["suppressed", "fewer than 3 contributing members"]
    assert figure.layout.yaxis.ticksuffix == "%"


def test_kpi_without_data_or_target_says_so(dash_textiel_values):
    figure = _figure(dash_textiel_values, "dialogue_structures", lang="nl")
    assert len(figure.data) == 0
    assert figure.layout.annotations[0].text == "geen gegevens"


def test_x_axis_covers_the_covenant_period_and_every_plotted_year(dash_textiel_values):
    defs = definitions()
    figure = trend_figure(dash_textiel_values, kpi=defs.kpis["dialogue_structures"], target=None,
                          published=[], lang="en", years=range(2016, 2021))
    assert list(figure.layout.xaxis.range) == [2015.5, 2020.5]
    assert figure.layout.showlegend is False


def test_trajectory_projects_the_observed_growth_to_the_target_year(dash_textiel_values):
    from dashboard.figures import projected_path

    # baseline 2016: 2802; latest 2018: 6289 -> growth (6289/2802)^(1/2) = 1.4982 a year
    path = projected_path((2016, 2802), (2018, 6289), 2020)
    assert [y for y, _ in path] == [2018, 2019, 2020]
    assert [v for _, v in path] == pytest.approx([6289, 6289 * 1.49816, 6289 * 1.49816**2],
                                                 rel=1e-4)
    figure = _figure(dash_textiel_values, "production_locations")
    assert list(_trace(figure, "trajectory").x) == [2018, 2019, 2020]


def test_no_trajectory_without_growth_to_speak_of():
    from dashboard.figures import projected_path

    assert projected_path((2016, 10), (2016, 12), 2020) == []
    assert projected_path((2016, 10), (2020, 12), 2020) == []
    assert projected_path((2016, -5), (2018, 5), 2020) == []


def test_series_break_is_drawn_before_its_year(dash_textiel_values):
    import polars as pl

    marked = dash_textiel_values.with_columns(
        (pl.col("year") == 2018).alias("series_break"))
    figure = _figure(marked, "production_locations", lang="en")
    [line] = figure.layout.shapes
    assert (line.x0, line.x1, line.line.dash) == (2017.5, 2017.5, "dot")
    assert figure.layout.annotations[-1].text == "measurement changed"


def test_change_on_last_year_in_points_and_counts(dash_textiel_values):
    from dashboard.components import change_text

    defs = definitions()
    # production locations 2017: 4268 -> 2018: 6289
    assert change_text(dash_textiel_values, kpi=defs.kpis["production_locations"],
                       lang="nl") == "+2.021 t.o.v. vorig jaar"


def test_kpis_are_grouped_under_their_outcome_goal():
    from dashboard.components import goal_groups

    groups = goal_groups(definitions().covenants["textiel"], lang="en")
    assert groups[0] == ("No excessive working hours in the supply chain",
                         ["excessive_hours_share"])
    assert groups[-1][0] == "Other KPIs"
    assert "msi_share" in groups[-1][1]


def test_no_line_is_drawn_across_a_series_break(dash_textiel_values):
    import polars as pl

    marked = dash_textiel_values.with_columns((pl.col("year") == 2018).alias("series_break"))
    observed = _trace(_figure(marked, "production_locations"), "observed")
    assert list(observed.x) == [2016, 2017, 2017.5, 2018]
    assert list(observed.y) == [2802, 4268, None, 6289]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_trend_figure_passes_plotlys_property_checks(dash_textiel_values, lang):
    for kpi_id in definitions().covenants["textiel"].kpis:
        assert_plotly_accepts(_figure(dash_textiel_values, kpi_id, lang))


def test_the_property_check_catches_a_misspelt_property():
    with pytest.raises(ValueError, match="colour"):
        assert_plotly_accepts(figure([trace("scatter", x=[1], y=[2], colour="red")], {}))
