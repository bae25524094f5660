"""Numbers, dates and texts per language, and the URL helpers of the dashboard."""

from datetime import date, datetime

import pytest

from dashboard.formatting import (
    format_coverage,
    format_day,
    format_moment,
    format_value,
    plotly_separators,
)
from dashboard.shell import switch_href
from dashboard.text import LANGS, STATUS_LABELS, TEXT, parse_lang, reason_label, status_label


@pytest.mark.parametrize(("value", "unit", "lang", "expected"), [
    (48.3, "percent", "nl", "48,3 %"),
    (48.3, "percent", "en", "48.3%"),
    (6289, "count", "nl", "6.289"),
    (6289, "count", "en", "6,289"),
    (12000.5, "number", "nl", "12.000,5"),
    (None, "count", "en", "—"),
])
def test_format_value_per_locale(value, unit, lang, expected):
    assert format_value(value, unit, lang) == expected


def test_format_coverage_and_dates():
    assert format_coverage(0.871, "nl") == "dekking 87 %"
    assert format_coverage(0.871, "en") == "cov. 87%"
    assert format_day(date(2016, 7, 4), "nl") == "4 juli 2016"
    assert format_day(date(2016, 7, 4), "en") == "4 July 2016"
    assert format_moment(datetime(2025, 3, 1, 10, 30), "en") == "1 Mar 2025, 10:30"
    assert plotly_separators("nl") == ",."


def test_every_text_and_status_exists_in_both_languages():
    for table in (TEXT, STATUS_LABELS):
        for key, texts in table.items():
            assert set(texts) == set(LANGS), key
            assert all(texts.values()), key


def test_language_comes_from_the_query_and_defaults_to_dutch():
    assert parse_lang("en") == "en"
    assert parse_lang(None) == "nl"
    assert parse_lang("fr") == "nl"
    assert status_label("on_track", "nl") == "Op koers"


def test_reason_labels_fill_in_the_threshold_and_keep_unknown_reasons():
    assert reason_label("min_contributors:3", "en") == "fewer than 3 contributing members"
    assert reason_label("min_contributors:3", "nl") == "minder dan 3 bijdragende leden"
    assert reason_label("something new", "en") == "something new"
    assert reason_label(None, "nl") == "onderdrukt"


def test_language_switch_keeps_path_and_other_parameters():
    assert switch_href("/covenant/textiel", "", "en") == "/covenant/textiel?lang=en"
    assert switch_href("/", "?year=2017&lang=en", "nl") == "/?year=2017&lang=nl"
