"""What a company reads when a value is rejected: per rule, in Dutch and English, with the fix."""

from dataclasses import dataclass

from imvo.definitions.models import Text

MESSAGES: dict[str, tuple[str, str]] = {
    "excel_error": (
        "'{value}' in {column} is een Excel-foutwaarde. Vul het getal zelf in.",
        "'{value}' in {column} is an Excel error value. Enter the number itself.",
    ),
    "not_a_number": (
        "'{value}' in {column} is geen getal. Vul een getal in, bijvoorbeeld 12,5.",
        "'{value}' in {column} is not a number. Enter a number, for example 12.5.",
    ),
    "ambiguous_number": (
        "'{value}' in {column} kan op twee manieren gelezen worden. "
        "Schrijf het zonder scheidingsteken voor duizendtallen, bijvoorbeeld 1234 of 1,234.",
        "'{value}' in {column} can be read two ways. "
        "Write it without a thousands separator, for example 1234 or 1.234.",
    ),
    "not_whole": (
        "'{value}' in {column} moet een geheel getal zijn.",
        "'{value}' in {column} must be a whole number.",
    ),
    "ambiguous_percent": (
        "'{value}' in {column} kan 1 % of 100 % betekenen. Schrijf 1 % of 100 %.",
        "'{value}' in {column} can mean 1% or 100%. Write 1% or 100%.",
    ),
    "not_yes_no": (
        "'{value}' in {column} is geen ja of nee. Vul ja of nee in.",
        "'{value}' in {column} is not a yes or a no. Enter yes or no.",
    ),
    "unknown_country": (
        "'{value}' in {column} is geen bekend land. Gebruik de ISO-code, bijvoorbeeld BD.",
        "'{value}' in {column} is not a known country. Use the ISO code, for example BD.",
    ),
    "below_min": (
        "'{value}' in {column} is kleiner dan {limit}. Controleer het getal.",
        "'{value}' in {column} is below {limit}. Check the number.",
    ),
    "above_max": (
        "'{value}' in {column} is groter dan {limit}. Controleer het getal.",
        "'{value}' in {column} is above {limit}. Check the number.",
    ),
    "above_other": (
        "{column} ({value}) is groter dan {limit}. Het deel kan niet groter zijn dan het geheel.",
        "{column} ({value}) is larger than {limit}. The part cannot exceed the whole.",
    ),
    "missing_key": (
        "Deze regel heeft geen {column}. Vul {column} in, of verwijder de regel.",
        "This row has no {column}. Fill in {column}, or delete the row.",
    ),
    "duplicate_key": (
        "{column} '{value}' staat al op een eerdere regel. Geef elke regel een eigen {column}.",
        "{column} '{value}' is already on an earlier row. Give every row its own {column}.",
    ),
    "missing_meta": (
        "{column} is niet ingevuld. Vul {column} in bovenaan het blad Bedrijf.",
        "{column} is empty. Fill in {column} at the top of the Company sheet.",
    ),
    "unknown_covenant": (
        "Convenant '{value}' bestaat niet. Gebruik de vragenlijst van uw convenant.",
        "Covenant '{value}' does not exist. Use the questionnaire of your covenant.",
    ),
    "year_outside_period": (
        "Jaar {value} valt buiten de looptijd van het convenant ({limit}).",
        "Year {value} is outside the covenant's period ({limit}).",
    ),
    "unknown_member": (
        "Lidnummer '{value}' is niet bekend bij dit convenant. Vraag het secretariaat om uw "
        "lidnummer.",
        "Member ID '{value}' is not known to this covenant. Ask the secretariat for your member "
        "ID.",
    ),
    "member_not_bound": (
        "Lid '{value}' was in {limit} niet aan het convenant gebonden. Controleer het jaar.",
        "Member '{value}' was not bound to the covenant in {limit}. Check the year.",
    ),
    "unreadable": (
        "Het bestand kon niet worden gelezen: {value}",
        "The file could not be read: {value}",
    ),
}


@dataclass(frozen=True)
class Reject:
    """One rejected value or row, with where it was and why."""

    sheet: str | None
    row: int | None
    column: str | None
    value: str | None
    rule: str
    message_nl: str
    message_en: str


def reject(rule: str, *, sheet: str | None, row: int | None, column: str | None,
           value: object = None, limit: object = None, label: Text | None = None) -> Reject:
    """Return a reject with its messages; `label` names the column as the company sees it."""
    nl, en = MESSAGES[rule]
    text = "" if value is None else str(value)
    parts = {"value": text, "limit": "" if limit is None else limit}
    names = (label.nl, label.en) if label else (column or "", column or "")
    return Reject(sheet, row, column, value if value is None else text, rule,
                  nl.format(column=names[0], **parts), en.format(column=names[1], **parts))
