"""What a company reads when a value is rejected: per rule, in Dutch and English, with the fix.

Every reject has a scope: `file` (the file was not loaded), `row` (a table row was quarantined
whole), `answer` (a company answer was quarantined and left empty) or `notice` (something in the
file was not read, while the rest was loaded).
"""

from dataclasses import dataclass
from typing import Literal

from imvo.definitions.models import Text
from imvo.errors import IngestError

Scope = Literal["file", "row", "answer", "notice", "version"]

MESSAGES: dict[str, tuple[str, str]] = {
    "excel_error": (
        "'{value}' in {column} is een Excel-foutwaarde. Vul {limit} zelf in.",
        "'{value}' in {column} is an Excel error value. Enter {limit} itself.",
    ),
    "not_a_number": (
        "'{value}' in {column} is geen getal. Vul een getal in, bijvoorbeeld {limit}.",
        "'{value}' in {column} is not a number. Enter a number, for example {limit}.",
    ),
    "ambiguous_number": (
        "'{value}' in {column} kan op twee manieren gelezen worden. Schrijf {limit}.",
        "'{value}' in {column} can be read two ways. Write {limit}.",
    ),
    "not_whole": (
        "'{value}' in {column} moet een geheel getal zijn, bijvoorbeeld {limit}.",
        "'{value}' in {column} must be a whole number, for example {limit}.",
    ),
    "ambiguous_percent": (
        "'{value}' in {column} kan {limit} betekenen. Schrijf {limit}.",
        "'{value}' in {column} can mean {limit}. Write {limit}.",
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
        "Deze regel heeft geen {column} en is niet ingelezen. Vul {column} in; is het een "
        "totaal of een opmerking, verwijder de regel dan.",
        "This row has no {column} and was not loaded. Fill in {column}; if it is a total or a "
        "note, delete the row.",
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
        "Convenant '{value}' bestaat niet. Schrijf de code van uw convenant: {limit}.",
        "Covenant '{value}' does not exist. Write the code of your covenant: {limit}.",
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
        "Het bestand kon niet worden gelezen ({value}). Sla het opnieuw op vanuit Excel als "
        ".xlsx of als 'CSV UTF-8'.",
        "The file could not be read ({value}). Save it again from Excel as .xlsx or as "
        "'CSV UTF-8'.",
    ),
    "not_xlsx": (
        "Dit is geen xlsx-bestand dat geopend kan worden ({value}). Sla het opnieuw op vanuit "
        "Excel als .xlsx, zonder wachtwoord.",
        "This is not an xlsx file that can be opened ({value}). Save it again from Excel as "
        ".xlsx, without a password.",
    ),
    "not_text": (
        "Dit bestand is geen UTF-8- of Windows-1252-tekst. Sla het op als 'CSV UTF-8'.",
        "This file is not UTF-8 or Windows-1252 text. Save it as 'CSV UTF-8'.",
    ),
    "wrong_type": (
        "Bestanden van het type '{value}' kunnen niet worden ingelezen. Stuur de vragenlijst "
        "als .xlsx, .csv, .json of .parquet.",
        "Files of type '{value}' cannot be read. Send the questionnaire as .xlsx, .csv, .json "
        "or .parquet.",
    ),
    "too_large": (
        "'{value}' in {column} is te groot. Controleer het getal.",
        "'{value}' in {column} is too large. Check the number.",
    ),
    "file_too_large": (
        "Het bestand is {value} groot; de grens is {limit}. Stuur alleen de vragenlijst, "
        "zonder afbeeldingen of extra bladen.",
        "The file is {value}; the limit is {limit}. Send only the questionnaire, without "
        "images or extra sheets.",
    ),
    "zip_bomb": (
        "Het bestand pakt uit tot {value} (grens {limit}) en wordt niet geopend. Sla de "
        "vragenlijst opnieuw op vanuit Excel.",
        "The file unpacks to {value} (limit {limit}) and is not opened. Save the questionnaire "
        "again from Excel.",
    ),
    "missing_sheet": (
        "Het blad {column} ontbreekt. Gebruik de vragenlijst van 'imvo template' en houd de "
        "bladnamen aan.",
        "The sheet {column} is missing. Use the questionnaire from 'imvo template' and keep its "
        "sheet names.",
    ),
    "ambiguous_sheet": (
        "Er zijn meerdere bladen {column} ({value}). Houd er één over.",
        "There are several sheets {column} ({value}). Keep only one.",
    ),
    "missing_header": (
        "Het blad {column} heeft geen kopregel met de kolommen van de vragenlijst. Houd de "
        "kopregel van de vragenlijst boven de gegevens.",
        "The sheet {column} has no header row with the questionnaire's columns. Keep the "
        "questionnaire's header row above the data.",
    ),
    "missing_column": (
        "De kolom {column} ontbreekt. Zet de kolommen van de vragenlijst terug, ook als u ze "
        "leeg laat.",
        "The column {column} is missing. Put the questionnaire's columns back, even if you "
        "leave them empty.",
    ),
    "duplicate_column": (
        "De kolom {column} staat er twee keer in ({value}). Houd er één over.",
        "The column {column} appears twice ({value}). Keep only one.",
    ),
    "duplicate_answer": (
        "De vraag {column} staat er meer dan eens in. Beantwoord elke vraag één keer.",
        "The question {column} appears more than once. Answer every question once.",
    ),
    "unknown_record": (
        "Regel met soort '{value}' hoort niet bij de vragenlijst. Vul in de kolom record "
        "bedrijf, locatie of grondstof in.",
        "A row of kind '{value}' is not part of the questionnaire. Put company, site or "
        "material in the record column.",
    ),
    "unknown_column": (
        "De kolom '{value}' hoort niet bij de vragenlijst; de {limit} waarden erin zijn niet "
        "ingelezen. Geef de kolom de naam van een vraag, of verwijder hem.",
        "The column '{value}' is not part of the questionnaire; its {limit} values were not "
        "read. Give it the name of a question, or delete it.",
    ),
    "misplaced_value": (
        "'{value}' in {column} staat op een regel van een andere soort en is niet ingelezen. "
        "Zet het op de regel waar het bij hoort.",
        "'{value}' in {column} is on a row of another kind and was not read. Put it on the row "
        "it belongs to.",
    ),
    "missing_question": (
        "De vraag '{column}' ontbreekt en telt als niet beantwoord. Neem de vraag op als u "
        "haar kunt beantwoorden.",
        "The question '{column}' is missing and counts as not answered. Include it if you can "
        "answer it.",
    ),
    "unknown_sheet": (
        "Het blad '{value}' hoort niet bij de vragenlijst en is niet ingelezen. Zet gegevens "
        "die meetellen op de bladen van de vragenlijst.",
        "The sheet '{value}' is not part of the questionnaire and was not read. Put data that "
        "should count on the questionnaire's sheets.",
    ),
    "unknown_question": (
        "Het antwoord '{value}' staat bij een onbekende vraag ({column}) en is niet ingelezen. "
        "Gebruik de vraagcodes van de vragenlijst.",
        "The answer '{value}' is next to an unknown question ({column}) and was not read. Use "
        "the question codes of the questionnaire.",
    ),
    "too_many_cells": (
        "Het bestand heeft {value} cellen; de grens is {limit}. Stuur alleen de vragenlijst "
        "van één lid en één jaar.",
        "The file holds {value} cells; the limit is {limit}. Send only the questionnaire of one "
        "member and one year.",
    ),
    "decodes_too_large": (
        "Het bestand wordt bij het lezen {value} tekst (grens {limit}) en wordt niet gelezen. "
        "Stuur alleen de vragenlijst van één lid en één jaar.",
        "The file decodes to {value} of text (limit {limit}) and is not read. Send only the "
        "questionnaire of one member and one year.",
    ),
    "lock_file": (
        "Dit is het slotbestand dat Excel of LibreOffice maakt zolang '{value}' open is, geen "
        "vragenlijst. Sluit het bestand en stuur '{value}' zelf.",
        "This is the lock file Excel or LibreOffice keeps while '{value}' is open, not a "
        "questionnaire. Close the workbook and send '{value}' itself.",
    ),
    "no_extension": (
        "Het bestand heeft geen extensie, dus het type is onbekend. Sla de vragenlijst op als "
        ".xlsx (of stuur .csv, .json of .parquet).",
        "The file has no extension, so its type is unknown. Save the questionnaire as .xlsx "
        "(or send .csv, .json or .parquet).",
    ),
    "numbers_file": (
        "Numbers-bestanden kunnen niet worden ingelezen. Kies in Numbers Archief > Exporteer "
        "naar > Excel en stuur het .xlsx-bestand.",
        "Numbers files cannot be read. In Numbers choose File > Export To > Excel and send the "
        ".xlsx file.",
    ),
    "current_in_run": (
        "Er kwamen meer bestanden van dit lid en jaar tegelijk binnen; dit bestand telt, want "
        "het is het laatst opgeslagen: {value} {column} (de andere: {limit}).",
        "Several files of this member and year arrived at once; this file counts, as it was "
        "saved last: {value} {column} (the others: {limit}).",
    ),
    "superseded_in_run": (
        "Er kwamen meer bestanden van dit lid en jaar tegelijk binnen; '{limit}' telt, want "
        "dat is later opgeslagen: {value} {column}. Dit bestand blijft in de geschiedenis.",
        "Several files of this member and year arrived at once; '{limit}' counts, as it was "
        "saved later: {value} {column}. This file is kept in the history.",
    ),
    "undecided_in_run": (
        "Er kwamen meer bestanden van dit lid en jaar tegelijk binnen ({limit}) en welk het "
        "laatst is opgeslagen is niet te zeggen: {value} {column}. Geen ervan telt; stuur één "
        "gecorrigeerd bestand.",
        "Several files of this member and year arrived at once ({limit}) and which was saved "
        "last cannot be told: {value} {column}. None of them counts; send one corrected file.",
    ),
    "formula_without_value": (
        "'{value}' in {column} is een formule zonder waarde: het bestand is niet door Excel "
        "opgeslagen. Open het bestand in Excel en sla het op, of vul {limit} zelf in.",
        "'{value}' in {column} is a formula without a value: the file was not saved by Excel. "
        "Open and save the file in Excel, or enter {limit} itself.",
    ),
    "total_row": (
        "De regel met '{value}' is gelezen als totaal en niet ingelezen. Is het geen totaal, "
        "laat woorden als totaal of som dan weg.",
        "The row with '{value}' was read as a total and not loaded. If it is not a total, "
        "leave out words like total or sum.",
    ),
    "total_row_sum": (
        "De regel met '{value}' is gelezen als totaal en niet ingelezen; de getallen erop zijn "
        "de som van de regels erboven.",
        "The row with '{value}' was read as a total and not loaded; its numbers are the sum of "
        "the rows above.",
    ),
    "merged_rows": (
        "'{value}' in {column} staat in cellen die over de regels {limit} zijn samengevoegd; "
        "een getal kan niet bij meer regels horen. Maak de samenvoeging ongedaan en geef elke "
        "regel een eigen getal.",
        "'{value}' in {column} is in cells merged over rows {limit}; a number cannot belong to "
        "several rows. Unmerge the cells and give every row its own number.",
    ),
    "merged_columns": (
        "'{value}' staat in cellen die over de kolommen {limit} zijn samengevoegd en is niet "
        "ingelezen. Maak de samenvoeging ongedaan en vul elke kolom apart in.",
        "'{value}' is in cells merged over the columns {limit} and was not read. Unmerge the "
        "cells and fill in every column on its own.",
    ),
    "missing_meta_record": (
        "{column} is niet ingevuld. Vul {column} in op de regel van het bedrijf (record "
        "bedrijf).",
        "{column} is empty. Fill in {column} on the company row (record company).",
    ),
    "duplicate_company_row": (
        "Er staat meer dan één regel van het bedrijf in (record {value}). Zet alle antwoorden "
        "van het bedrijf op één regel.",
        "There is more than one company row (record {value}). Put all of the company's answers "
        "on one row.",
    ),
    "unnamed_column": (
        "Kolom {value} heeft geen kop; de {limit} waarden erin zijn niet ingelezen. Geef de "
        "kolom de naam van een vraag, of verwijder hem.",
        "Column {value} has no header; its {limit} values were not read. Give it the name of a "
        "question, or delete it.",
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
    scope: Scope = "row"


def reject(rule: str, *, sheet: str | None, row: int | None, column: str | None,
           value: object = None, limit: object = None, label: Text | None = None,
           scope: Scope = "row") -> Reject:
    """Return a reject with its messages; `label` names the column as the company sees it.

    A `limit` given as a Text is written in each message's own language.
    """
    nl, en = MESSAGES[rule]
    text = "" if value is None else str(value)
    if isinstance(limit, Text):
        limits: tuple[object, object] = (limit.nl, limit.en)
    else:
        limits = ("" if limit is None else limit,) * 2
    names = (label.nl, label.en) if label else (column or "", column or "")
    return Reject(sheet, row, column, value if value is None else text, rule,
                  nl.format(column=names[0], value=text, limit=limits[0]),
                  en.format(column=names[1], value=text, limit=limits[1]), scope)


def file_reject(rule: str, *, value: object = None, limit: object = None,
                column: str | None = None, sheet: str | None = None,
                row: int | None = None, label: Text | None = None) -> Reject:
    """Return a reject that keeps the whole file out of the warehouse."""
    return reject(rule, sheet=sheet, row=row, column=column, value=value, limit=limit,
                  label=label, scope="file")


class SubmissionRejected(IngestError):
    """The file as a whole cannot be loaded; its rejects say why."""

    def __init__(self, rejects: list[Reject]) -> None:
        self.rejects = rejects
        super().__init__("; ".join(r.message_en for r in rejects),
                         hint="see the rejected rows with 'imvo ingest --report'")
