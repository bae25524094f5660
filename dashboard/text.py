"""Every text of the dashboard in Dutch and English; the language comes from `?lang=` in the URL."""

from typing import Literal

Lang = Literal["nl", "en"]
LANGS: tuple[Lang, ...] = ("nl", "en")
DEFAULT_LANG: Lang = "nl"

TEXT: dict[str, dict[Lang, str]] = {
    "product": {"nl": "IMVO Monitor", "en": "IMVO Monitor"},
    "tagline": {"nl": "Voortgang van de IMVO-convenanten",
                "en": "Progress of the Dutch IMVO agreements"},
    "nav_overview": {"nl": "Overzicht", "en": "Overview"},
    "language": {"nl": "Taal", "en": "Language"},
    "last_ingest": {"nl": "Laatst ingelezen", "en": "Last ingest"},
    "never_ingested": {"nl": "nog niets ingelezen", "en": "nothing ingested yet"},
    "overview_title": {"nl": "Overzicht van de convenanten", "en": "Overview of the agreements"},
    "overview_intro": {
        "nl": "Laatste waarde per convenant en KPI tot en met het gekozen jaar, "
              "met de voortgang richting het doel en de dekking.",
        "en": "Latest value per agreement and KPI up to the selected year, "
              "with progress towards the target and coverage.",
    },
    "year_label": {"nl": "Laatste waarde tot en met", "en": "Latest value up to"},
    "covenant": {"nl": "Convenant", "en": "Agreement"},
    "not_applicable": {"nl": "niet van toepassing", "en": "not applicable"},
    "no_data": {"nl": "geen gegevens", "en": "no data"},
    "suppressed": {"nl": "onderdrukt", "en": "suppressed"},
    "no_target": {"nl": "geen doel", "en": "no target"},
    "not_assessed": {"nl": "nog niet beoordeeld", "en": "not assessed yet"},
    "coverage": {"nl": "dekking", "en": "cov."},
    "coverage_title": {"nl": "Leden die inleverden / gebonden leden",
                       "en": "Members that submitted / members bound"},
    "low_coverage": {"nl": "lage dekking: de waarde kan een artefact zijn",
                     "en": "low coverage: the value may be an artefact"},
    "assessed_for": {"nl": "beoordeeld op", "en": "assessed on"},
    "signed": {"nl": "Ondertekend", "en": "Signed"},
    "period": {"nl": "Looptijd", "en": "Period"},
    "secretariat": {"nl": "Secretariaat", "en": "Secretariat"},
    "outcome_goals": {"nl": "Maatschappelijke doelen", "en": "Outcome goals"},
    "latest": {"nl": "Laatste waarde", "en": "Latest value"},
    "target": {"nl": "Doel", "en": "Target"},
    "baseline": {"nl": "basis", "en": "baseline"},
    "method": {"nl": "Methode", "en": "Method"},
    "reached_in": {"nl": "In dit tempo gehaald in", "en": "At this pace reached in"},
    "not_at_pace": {"nl": "Niet gehaald in dit tempo", "en": "Not reached at this pace"},
    "back": {"nl": "Terug naar het overzicht", "en": "Back to the overview"},
    "unknown_covenant": {"nl": "Onbekend convenant", "en": "Unknown agreement"},
    "unknown_covenant_body": {"nl": "Er is geen convenant met de code '{slug}'.",
                              "en": "There is no agreement with the code '{slug}'."},
    "not_found": {"nl": "Pagina niet gevonden", "en": "Page not found"},
    "not_found_body": {"nl": "Deze pagina bestaat niet.", "en": "This page does not exist."},
    "error_title": {"nl": "De gegevens zijn niet te lezen", "en": "The data cannot be read"},
    "trace_observed": {"nl": "berekend", "en": "computed"},
    "trace_target": {"nl": "doelpad", "en": "target path"},
    "trace_milestone": {"nl": "mijlpaal", "en": "milestone"},
    "trace_published": {"nl": "gepubliceerd", "en": "published"},
    "trace_trajectory": {"nl": "in dit tempo", "en": "at this pace"},
    "series_break": {"nl": "meetwijze gewijzigd", "en": "measurement changed"},
    "change": {"nl": "t.o.v. vorig jaar", "en": "on last year"},
    "points": {"nl": "procentpunt", "en": "percentage points"},
    "details": {"nl": "Details en uitsplitsingen", "en": "Details and breakdowns"},
    "other_kpis": {"nl": "Overige KPI's", "en": "Other KPIs"},
    "members": {"nl": "leden", "en": "members"},
    "breakdowns": {"nl": "Uitsplitsingen", "en": "Breakdowns"},
    "breakdown_country": {"nl": "Naar land", "en": "By country"},
    "breakdown_material": {"nl": "Naar grondstof", "en": "By raw material"},
    "breakdown_size_class": {"nl": "Naar grootteklasse", "en": "By size class"},
    "distribution": {"nl": "Spreiding over de leden", "en": "Spread across the members"},
    "distribution_hidden": {
        "nl": "De spreiding over de leden en de waarden per bedrijf ziet alleen de "
              "monitoringscommissie van dit convenant.",
        "en": "The spread across the members and the values per company are shown to the "
              "monitoring commission of this agreement only.",
    },
    "companies": {"nl": "Waarden per bedrijf", "en": "Values per company"},
    "no_breakdowns": {"nl": "Deze KPI heeft geen uitsplitsingen.",
                      "en": "This KPI has no breakdowns."},
    "unknown_kpi": {"nl": "Onbekende KPI", "en": "Unknown KPI"},
    "unknown_kpi_body": {"nl": "Het convenant kent geen KPI met de code '{kpi}'.",
                         "en": "The agreement has no KPI with the code '{kpi}'."},
    "trace_suppressed": {"nl": "onderdrukt", "en": "suppressed"},
    "trace_low_coverage": {"nl": "lage dekking", "en": "low coverage"},
    "nav_compare": {"nl": "Vergelijken", "en": "Compare"},
    "compare_title": {"nl": "Convenanten vergelijken", "en": "Compare agreements"},
    "compare_intro": {
        "nl": "Eén KPI naast elkaar voor elk convenant waarvoor hij geldt: per convenant een "
              "kleine grafiek op dezelfde y-as, en een ranglijst van de laatste waarden met hun "
              "dekking.",
        "en": "One KPI side by side for every agreement it applies to: a small chart per "
              "agreement on the same y-axis, and a ranking of the latest values with their "
              "coverage.",
    },
    "compare_axis": {"nl": "Tijdas", "en": "Time axis"},
    "n_covenants": {"nl": "convenanten: {n}", "en": "agreements: {n}"},
    "axis_calendar": {"nl": "Kalenderjaar", "en": "Calendar year"},
    "axis_covenant": {"nl": "Convenantjaar", "en": "Agreement year"},
    "covenant_year_note": {
        "nl": "Convenantjaar 1 is het eerste rapportagejaar van een convenant: meestal het jaar "
              "van ondertekening, het jaar erna als het laat in het jaar is ondertekend. Zo "
              "staan convenanten in dezelfde fase onder elkaar.",
        "en": "Agreement year 1 is an agreement's first reporting year: usually the year it was "
              "signed, the year after when it was signed late in the year. This lines up "
              "agreements at the same stage.",
    },
    "covenant_year_n": {"nl": "convenantjaar {n}", "en": "agreement year {n}"},
    "year_one": {"nl": "jaar 1 = {year}", "en": "year 1 = {year}"},
    "panels_title": {"nl": "Verloop per convenant", "en": "Trend per agreement"},
    "panels_key": {
        "nl": "Lijn: berekende waarde · open rondje: lage dekking · ✕ aan de voet van de as: "
              "onderdrukt · stippellijn: doelpad",
        "en": "Line: computed value · open circle: low coverage · ✕ at the foot of the axis: "
              "suppressed · dashed line: target path",
    },
    "ranking_title": {"nl": "Ranglijst van de laatste waarden",
                      "en": "Ranking of the latest values"},
    "ranking_higher": {"nl": "Hoogste waarde eerst: bij deze KPI is hoger beter.",
                       "en": "Highest value first: for this KPI higher is better."},
    "ranking_lower": {"nl": "Laagste waarde eerst: bij deze KPI is lager beter.",
                      "en": "Lowest value first: for this KPI lower is better."},
    "rank": {"nl": "Plaats", "en": "Rank"},
    "not_ranked": {"nl": "niet gerangschikt: geen waarde te tonen",
                   "en": "not ranked: no value to show"},
    "status": {"nl": "Status", "en": "Status"},
    "coverage_header": {"nl": "Dekking", "en": "Coverage"},
    "members_of": {"nl": "{submitted} van {bound} leden", "en": "{submitted} of {bound} members"},
    "projector_link": {"nl": "Presentatiemodus", "en": "Projector mode"},
    "projector_back": {"nl": "Terug naar het convenant", "en": "Back to the agreement"},
    "projector_prev": {"nl": "Vorige KPI", "en": "Previous KPI"},
    "projector_next": {"nl": "Volgende KPI", "en": "Next KPI"},
    "projector_position": {"nl": "KPI {n} van {total}", "en": "KPI {n} of {total}"},
    "projector_steps": {"nl": "KPI's doorbladeren", "en": "Step through the KPIs"},
    "projector_keys": {
        "nl": "Toetsen: ← en → (of PageUp en PageDown) voor de vorige en volgende KPI, "
              "Esc terug naar het convenant.",
        "en": "Keys: ← and → (or Page Up and Page Down) for the previous and next KPI, "
              "Esc back to the agreement.",
    },
    "year": {"nl": "Jaar", "en": "Year"},
    "download": {"nl": "Download", "en": "Download"},
    "all": {"nl": "alle", "en": "all"},
    "nav_quality": {"nl": "Datakwaliteit", "en": "Data quality"},
    "quality_title": {"nl": "Datakwaliteit", "en": "Data quality"},
    "quality_intro": {
        "nl": "Ingeleverde zelfevaluaties per convenant en jaar, de dekking, en elke waarde die "
              "in quarantaine ging, met de reden. Alleen voor monitoringscommissie en "
              "secretariaat.",
        "en": "Submitted self-assessments per agreement and year, coverage, and every value that "
              "went to quarantine, with the reason. For the monitoring commission and secretariat.",
    },
    "submissions_title": {"nl": "Inleveringen", "en": "Submissions"},
    "quarantine_title": {"nl": "Quarantaine", "en": "Quarantine"},
    "member_title": {"nl": "Lid", "en": "Member"},
    "history_title": {"nl": "Inleveringen van dit lid", "en": "This member's submissions"},
    "company_denied": {
        "nl": "Bedrijfsgegevens zijn alleen voor de monitoringcommissie en het secretariaat van "
              "het convenant. Tip: log in met een account van de commissie van dat convenant.",
        "en": "Company data is for the monitoring commission and secretariat of the agreement "
              "only. Hint: sign in with a commission account of that agreement.",
    },
}

STATUS_LABELS: dict[str, dict[Lang, str]] = {
    "target_met": {"nl": "Doel gehaald", "en": "Target met"},
    "on_track": {"nl": "Op koers", "en": "On track"},
    "moderate": {"nl": "Matige vooruitgang", "en": "Moderate progress"},
    "insufficient": {"nl": "Onvoldoende vooruitgang", "en": "Insufficient progress"},
    "moving_away": {"nl": "Beweegt van het doel af", "en": "Moving away from the target"},
    "insufficient_data": {"nl": "Onvoldoende gegevens", "en": "Insufficient data"},
}

METHOD_LABELS: dict[str, dict[Lang, str]] = {
    "cagr": {"nl": "Eurostat/Open SDG: waargenomen t.o.v. benodigde jaarlijkse groei",
             "en": "Eurostat/Open SDG: observed versus required annual growth"},
    "cagr_zero_adjusted": {
        "nl": "Eurostat/Open SDG: waargenomen t.o.v. benodigde jaarlijkse groei, "
              "met een basis- of doelwaarde van 0 vervangen door 0,001",
        "en": "Eurostat/Open SDG: observed versus required annual growth, "
              "with a baseline or target of 0 replaced by 0.001",
    },
    "too_few_points": {"nl": "Niet beoordeeld: geen waarneming na het basisjaar",
                       "en": "Not assessed: no observation after the baseline year"},
    "mixed_signs": {"nl": "Niet beoordeeld: basis-, laatste of doelwaarde verschillen in teken",
                    "en": "Not assessed: baseline, latest and target values differ in sign"},
    "series_break": {"nl": "Niet beoordeeld: te weinig waarnemingen sinds de trendbreuk",
                     "en": "Not assessed: too few observations since the series break"},
}

# Stored reasons look like "min_contributors:3"; the part after the colon fills `{n}`.
REASON_LABELS: dict[str, dict[Lang, str]] = {
    "min_contributors": {"nl": "minder dan {n} bijdragende leden",
                         "en": "fewer than {n} contributing members"},
    "dominance": {"nl": "enkele leden domineren het totaal",
                  "en": "a few members dominate the total"},
    "secondary": {"nl": "secundaire onderdrukking (anders af te leiden uit het totaal)",
                  "en": "secondary suppression (else derivable from the total)"},
}


def parse_lang(value: object) -> Lang:
    """Return the language a query-string value asks for, Dutch when it names none we know."""
    return value if value in LANGS else DEFAULT_LANG


def fill(texts: dict[str, dict[Lang, str]], key: str, lang: Lang, **values: object) -> str:
    """Return a text of a table in a language, with `{name}` placeholders filled in."""
    text = texts[key][lang]
    return text.format(**values) if values else text


def t(key: str, lang: Lang, **values: object) -> str:
    """Return a text of the dashboard in a language."""
    return fill(TEXT, key, lang, **values)


def status_label(status: str, lang: Lang) -> str:
    """Return the name of a progress status."""
    return STATUS_LABELS.get(status, {}).get(lang, status)


def method_label(method: str, lang: Lang) -> str:
    """Return the description of the method that produced a status."""
    return METHOD_LABELS.get(method, {}).get(lang, method)


def reason_label(reason: str | None, lang: Lang) -> str:
    """Return why a value is suppressed, the stored reason itself when it has no translation."""
    if not reason:
        return t("suppressed", lang)
    code, _, n = reason.partition(":")
    label = REASON_LABELS.get(code, {}).get(lang)
    return label.format(n=n) if label else reason


# Column headers of the data tables, by column name.
COLUMN_LABELS: dict[str, dict[Lang, str]] = {
    "covenant": {"nl": "Convenant", "en": "Agreement"},
    "kpi": {"nl": "KPI", "en": "KPI"},
    "year": {"nl": "Jaar", "en": "Year"},
    "member_id": {"nl": "Lidnummer", "en": "Member ID"},
    "name": {"nl": "Naam", "en": "Name"},
    "size_class": {"nl": "Grootte", "en": "Size class"},
    "breakdown": {"nl": "Uitsplitsing", "en": "Breakdown"},
    "category": {"nl": "Categorie", "en": "Category"},
    "contributors": {"nl": "Bijdragende leden", "en": "Contributing members"},
    "counted": {"nl": "Telt mee", "en": "Counted"},
    "value": {"nl": "Waarde", "en": "Value"},
    "numerator": {"nl": "Teller", "en": "Numerator"},
    "denominator": {"nl": "Noemer", "en": "Denominator"},
    "members_bound": {"nl": "Gebonden leden", "en": "Members bound"},
    "members_submitted": {"nl": "Ingeleverd", "en": "Submitted"},
    "coverage": {"nl": "Dekking", "en": "Coverage"},
    "files_loaded": {"nl": "Bestanden geladen", "en": "Files loaded"},
    "resubmissions": {"nl": "Herzieningen", "en": "Resubmissions"},
    "rows_quarantined": {"nl": "Regels in quarantaine", "en": "Rows quarantined"},
    "version": {"nl": "Versie", "en": "Version"},
    "is_current": {"nl": "Geldend", "en": "Current"},
    "ingested_at": {"nl": "Ingelezen", "en": "Ingested"},
    "file_name": {"nl": "Bestand", "en": "File"},
    "sha256": {"nl": "SHA-256", "en": "SHA-256"},
    "rows_in": {"nl": "Regels", "en": "Rows"},
    "rows_loaded": {"nl": "Geladen", "en": "Loaded"},
    "rows_rejected": {"nl": "Afgewezen", "en": "Rejected"},
    "sheet": {"nl": "Blad", "en": "Sheet"},
    "row_number": {"nl": "Regel", "en": "Row"},
    "column_name": {"nl": "Kolom", "en": "Column"},
    "rule": {"nl": "Controle", "en": "Rule"},
    "message_nl": {"nl": "Melding", "en": "Message (Dutch)"},
    "message_en": {"nl": "Melding (Engels)", "en": "Message"},
    "suppressed": {"nl": "Onderdrukt", "en": "Suppressed"},
    "suppression_reason": {"nl": "Reden", "en": "Reason"},
    "status": {"nl": "Status", "en": "Status"},
}
