"""Every text of the meeting pack in Dutch and English (the dashboard's own texts are reused)."""

from dashboard.text import Lang, fill

REPORT_TEXT: dict[str, dict[Lang, str]] = {
    "pack": {"nl": "Vergaderstuk", "en": "Meeting pack"},
    "subtitle": {"nl": "Stuurgroepoverleg · verslagjaar {year}",
                 "en": "Steering group meeting · reporting year {year}"},
    "made_on": {"nl": "Gemaakt op", "en": "Made on"},
    "made_for": {"nl": "Gemaakt voor", "en": "Made for"},
    "public_edition": {
        "nl": "Openbare editie: een waarde die op minder dan {n} bijdragende leden rust, of "
              "waarvan de {top} grootste bijdragers samen meer dan {percent} van het totaal "
              "leveren, is onderdrukt en staat als 'onderdrukt' vermeld, nooit als nul.",
        "en": "Public edition: a value resting on fewer than {n} contributing members, or whose "
              "{top} largest contributors make up more than {percent} of the total, is "
              "suppressed and shown as 'suppressed', never as zero.",
    },
    "confidential_edition": {
        "nl": "Vertrouwelijk: bevat waarden onder de onthullingsdrempel. Alleen voor de "
              "monitoringscommissie en het secretariaat van dit convenant.",
        "en": "Confidential: contains values below the disclosure threshold. For the monitoring "
              "commission and secretariat of this agreement only.",
    },
    "confidential_mark": {"nl": "VERTROUWELIJK", "en": "CONFIDENTIAL"},
    "status_title": {"nl": "Stand van zaken: KPI's tegenover de doelen",
                     "en": "Status: KPIs against their targets"},
    "status_intro": {
        "nl": "Laatste waarde tot en met {year}, beoordeeld op de eerstvolgende mijlpaal.",
        "en": "Latest value up to {year}, assessed against the next milestone.",
    },
    "kpi": {"nl": "KPI", "en": "KPI"},
    "status": {"nl": "Status", "en": "Status"},
    "coverage": {"nl": "Dekking", "en": "Coverage"},
    "pace": {"nl": "Tempo", "en": "Pace"},
    "suppressed_year": {"nl": "{year}: onderdrukt ({reason})",
                        "en": "{year}: suppressed ({reason})"},
    "confidential_year": {
        "nl": "{year}: {value}, vertrouwelijk; in openbare edities onderdrukt ({reason})",
        "en": "{year}: {value}, confidential; suppressed in public editions ({reason})",
    },
    "rebased": {"nl": "(herijkt na de trendbreuk van {year})",
                "en": "(re-based after the series break of {year})"},
    "coverage_title": {"nl": "Dekking en actualiteit van de gegevens",
                       "en": "Coverage and data freshness"},
    "coverage_intro": {
        "nl": "Leden die een zelfevaluatie inleverden tegenover de gebonden leden. Onder een "
              "dekking van {share} kan een waarde een artefact zijn.",
        "en": "Members that submitted a self-assessment against the members bound. Below a "
              "coverage of {share} a value may be an artefact.",
    },
    "members_bound": {"nl": "Gebonden leden", "en": "Members bound"},
    "members_submitted": {"nl": "Ingeleverd", "en": "Submitted"},
    "latest_year": {"nl": "Laatste jaar met gegevens", "en": "Latest year with data"},
    "low": {"nl": "laag", "en": "low"},
    "goals_intro": {"nl": "De doelen van het convenant en de KPI-doelen die erbij horen.",
                    "en": "The agreement's goals and the KPI targets that serve them."},
    "milestones": {"nl": "mijlpalen", "en": "milestones"},
    "source": {"nl": "bron", "en": "source"},
    "no_targets": {"nl": "Geen KPI-doel gekoppeld.", "en": "No KPI target linked."},
    "appendix_title": {"nl": "Bijlage: definities van de KPI's",
                       "en": "Appendix: definitions of the KPIs"},
    "unit": {"nl": "Eenheid", "en": "Unit"},
    "direction": {"nl": "Richting", "en": "Direction"},
    "formula": {"nl": "Berekening", "en": "Calculation"},
    "breakdowns": {"nl": "Uitsplitsingen", "en": "Breakdowns"},
    "weighting": {"nl": "Weging", "en": "Weighting"},
    "series_breaks": {"nl": "Trendbreuken", "en": "Series breaks"},
    "fields": {"nl": "Vragen", "en": "Questions"},
    "page": {"nl": "Pagina {n} van {total}", "en": "Page {n} of {total}"},
    "stage_read": {"nl": "Gegevens lezen", "en": "Reading the data"},
    "stage_draw": {"nl": "Grafieken tekenen", "en": "Drawing the charts"},
    "stage_chart": {"nl": "Grafiek {n} van {total}", "en": "Chart {n} of {total}"},
    "stage_layout": {"nl": "Document opmaken", "en": "Laying out the document"},
    "queued": {"nl": "In de wachtrij", "en": "Queued"},
    "busy_you": {"nl": "U laat al het hoogste aantal vergaderstukken tegelijk maken. Tip: wacht "
                       "tot er een klaar is en probeer het dan opnieuw.",
                 "en": "You already have as many meeting packs in the making as allowed. Hint: "
                       "wait until one is ready, then try again."},
    "busy_all": {"nl": "Er worden nu te veel vergaderstukken gemaakt. Tip: probeer het over een "
                       "minuut opnieuw.",
                 "en": "Too many meeting packs are being made right now. Hint: try again in a "
                       "minute."},
    "ready": {"nl": "Klaar: {file}", "en": "Ready: {file}"},
    "failed": {"nl": "Het vergaderstuk kon niet worden gemaakt: {error}",
               "en": "The meeting pack could not be made: {error}"},
    "lost": {"nl": "Deze opdracht is niet meer bekend; maak het vergaderstuk opnieuw.",
             "en": "This request is no longer known; make the meeting pack again."},
    "control_intro": {
        "nl": "Het vergaderstuk voor de stuurgroep als PDF of PowerPoint, met dezelfde "
              "onthullingsregels als dit scherm.",
        "en": "The steering group's meeting pack as PDF or PowerPoint, under the same "
              "disclosure rules as this screen.",
    },
    "make": {"nl": "Maak vergaderstuk", "en": "Make meeting pack"},
    "format": {"nl": "Formaat", "en": "Format"},
    "file_stem": {"nl": "vergaderstuk", "en": "meeting-pack"},
}

ROLE_LABELS: dict[str, dict[Lang, str]] = {
    "public": {"nl": "het publiek", "en": "the public"},
    "steering": {"nl": "de stuurgroep", "en": "the steering group"},
    "evaluator": {"nl": "SER-evaluatoren", "en": "SER evaluators"},
    "commission": {"nl": "de monitoringscommissie", "en": "the monitoring commission"},
    "admin": {"nl": "beheer", "en": "administrators"},
}

WORDS: dict[str, dict[Lang, str]] = {
    "percent": {"nl": "percentage", "en": "percentage"},
    "count": {"nl": "aantal", "en": "count"},
    "number": {"nl": "getal", "en": "number"},
    "higher": {"nl": "hoger is beter", "en": "higher is better"},
    "lower": {"nl": "lager is beter", "en": "lower is better"},
    "country": {"nl": "land", "en": "country"},
    "material": {"nl": "grondstof", "en": "raw material"},
    "size_class": {"nl": "grootteklasse", "en": "size class"},
    "members": {"nl": "aantal leden", "en": "number of members"},
    "bound_members": {"nl": "aantal gebonden leden", "en": "number of members bound"},
    "sites": {"nl": "aantal productielocaties", "en": "number of production locations"},
    "materials": {"nl": "aantal grondstofregels", "en": "number of raw material rows"},
    "by_members": {"nl": "per lid", "en": "by member"},
    "by_volume": {"nl": "naar volume (ook de dominantieregel geldt)",
                  "en": "by volume (the dominance rule also applies)"},
    "sum": {"nl": "som van", "en": "sum of"},
    "where": {"nl": "waarbij", "en": "where"},
    "and": {"nl": "en", "en": "and"},
    "divided": {"nl": "gedeeld door", "en": "divided by"},
    "times_100": {"nl": "maal 100", "en": "times 100"},
    "yes": {"nl": "ja", "en": "yes"},
    "no": {"nl": "nee", "en": "no"},
    "one_of": {"nl": "is een van", "en": "is one of"},
    "answered": {"nl": "is beantwoord", "en": "is answered"},
    "unanswered": {"nl": "is niet beantwoord", "en": "is not answered"},
}


def rt(key: str, lang: Lang, **values: object) -> str:
    """Return a text of the meeting pack in a language."""
    return fill(REPORT_TEXT, key, lang, **values)


def word(key: str, lang: Lang) -> str:
    """Return a word used in the pack's descriptions (units, directions, formula parts)."""
    return WORDS[key][lang]


def role_label(role: str, lang: Lang) -> str:
    """Return whom a pack is made for, e.g. 'the steering group'."""
    return ROLE_LABELS[role][lang]
