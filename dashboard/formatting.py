"""Numbers and dates written the way each language writes them (babel, CLDR)."""

from datetime import date, datetime

from babel.dates import format_date as babel_date
from babel.dates import format_datetime as babel_datetime
from babel.numbers import format_decimal

from dashboard.text import Lang, t

LOCALES: dict[Lang, str] = {"nl": "nl_NL", "en": "en_GB"}
# Dutch house style puts a space before the percent sign (CLDR does not); CSS keeps it unbroken.
PERCENT_SUFFIX: dict[Lang, str] = {"nl": " %", "en": "%"}
PATTERNS = {"percent": "#,##0.0", "count": "#,##0", "number": "#,##0.##"}


def format_value(value: float | None, unit: str, lang: Lang) -> str:
    """Return a KPI value in the unit's format, e.g. '48,3 %' or '6.289' in Dutch."""
    if value is None:
        return "—"
    number = format_decimal(value, format=PATTERNS.get(unit, PATTERNS["number"]),
                            locale=LOCALES[lang])
    return f"{number}{PERCENT_SUFFIX[lang]}" if unit == "percent" else number


def format_points(value: float, lang: Lang) -> str:
    """Return a difference of two percentages, e.g. '4,2 procentpunt'."""
    number = format_decimal(value, format=PATTERNS["percent"], locale=LOCALES[lang])
    return f"{number} {t('points', lang)}"


def format_share(share: float, lang: Lang) -> str:
    """Return a share between 0 and 1 as a whole percentage, e.g. '87 %' in Dutch."""
    number = format_decimal(round(share * 100), format="#,##0", locale=LOCALES[lang])
    return f"{number}{PERCENT_SUFFIX[lang]}"


def format_coverage(coverage: float | None, lang: Lang) -> str:
    """Return the coverage of a value, e.g. 'cov. 87%' or 'dekking 87 %'."""
    shown = "—" if coverage is None else format_share(coverage, lang)
    return f"{t('coverage', lang)} {shown}"


def format_day(day: date, lang: Lang) -> str:
    """Return a date written out, e.g. '4 juli 2016' or '4 July 2016'."""
    return babel_date(day, format="long", locale=LOCALES[lang])


def format_moment(moment: datetime, lang: Lang) -> str:
    """Return a date and time to the minute, e.g. '1 mrt 2025, 10:30'."""
    return babel_datetime(moment, format="d MMM y, HH:mm", locale=LOCALES[lang])


def plotly_separators(lang: Lang) -> str:
    """Return Plotly's `separators` setting (decimal mark, then thousands mark) for a language."""
    return ",." if lang == "nl" else ".,"


def unit_suffix(unit: str, lang: Lang) -> str:
    """Return what follows a number of this unit on an axis, e.g. ' %' in Dutch."""
    return PERCENT_SUFFIX[lang] if unit == "percent" else ""
