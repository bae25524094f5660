"""The words of the feedback report, in Dutch and English."""

from imvo.definitions.models import Lang

LOCALES: dict[Lang, str] = {"nl": "nl_NL", "en": "en_GB"}

TEXT: dict[Lang, dict[str, str]] = {
    "nl": {
        "title": "Terugkoppeling op uw zelfevaluatie",
        "accepted": "Geaccepteerd", "partly": "Geaccepteerd, met afgewezen gegevens",
        "refused": "Niet geaccepteerd",
        "superseded": "vervangen door een latere versie van dezelfde zelfevaluatie",
        "undecided": "telt niet mee: zie welke versie telt",
        "file": "Bestand", "received": "Ontvangen", "covenant": "Convenant", "member": "Lid",
        "year": "Rapportagejaar", "version": "Versie", "rows": "Regels",
        "rows_text": "{rows_in} ontvangen, {rows_loaded} ingelezen, {rows_rejected} afgewezen",
        "sheet": "Blad", "row": "Regel", "column": "Kolom of vraag", "value": "Waarde",
        "what_to_do": "Wat te doen", "answers": "Uw antwoorden zoals ingelezen",
        "tables": "Ingelezen regels per blad", "loaded": "Regels", "yes": "ja", "no": "nee",
        "footer": "Stuur een verbeterd bestand naar het secretariaat; het vervangt dit bestand "
                  "en dit bestand blijft bewaard.",
    },
    "en": {
        "title": "Feedback on your self-assessment",
        "accepted": "Accepted", "partly": "Accepted, with rejected data",
        "refused": "Not accepted",
        "superseded": "superseded by a later version of the same self-assessment",
        "undecided": "does not count: see which version counts",
        "file": "File", "received": "Received", "covenant": "Covenant", "member": "Member",
        "year": "Reporting year", "version": "Version", "rows": "Rows",
        "rows_text": "{rows_in} received, {rows_loaded} loaded, {rows_rejected} rejected",
        "sheet": "Sheet", "row": "Row", "column": "Column or question", "value": "Value",
        "what_to_do": "What to do", "answers": "Your answers as loaded",
        "tables": "Rows loaded per sheet", "loaded": "Rows", "yes": "yes", "no": "no",
        "footer": "Send a corrected file to the secretariat; it replaces this file, which is "
                  "kept on record.",
    },
}

GROUPS: dict[Lang, list[tuple[str, str]]] = {
    "nl": [("file", "Waarom het bestand niet is ingelezen"),
           ("row", "Afgewezen regels (de hele regel is niet ingelezen)"),
           ("answer", "Afgewezen antwoorden (als niet beantwoord ingelezen)"),
           ("notice", "Niet ingelezen"),
           ("version", "Welke versie telt")],
    "en": [("file", "Why the file was not loaded"),
           ("row", "Rejected rows (the whole row was not loaded)"),
           ("answer", "Rejected answers (loaded as not answered)"),
           ("notice", "Not read"),
           ("version", "Which version counts")],
}


def status_of(status: str, rows_rejected: int, answers_rejected: bool) -> tuple[str, str]:
    """Return the text key and style of a file's status."""
    if status != "loaded":
        return "refused", "refused"
    if rows_rejected or answers_rejected:
        return "partly", "partly"
    return "accepted", "accepted"
