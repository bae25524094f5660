"""The texts of signing in, uploading and the audit log, in Dutch and English."""

from dashboard.text import Lang, fill

TEXT: dict[str, dict[Lang, str]] = {
    "sign_in": {"nl": "Inloggen", "en": "Sign in"},
    "sign_out": {"nl": "Uitloggen", "en": "Sign out"},
    "sign_in_intro": {
        "nl": "Het publiek ziet de gepubliceerde cijfers zonder in te loggen. Stuurgroepen, "
              "evaluatoren, monitoringcommissies en secretariaten loggen in.",
        "en": "The public sees the published figures without signing in. Steering groups, "
              "evaluators, monitoring commissions and secretariats sign in."},
    "username": {"nl": "Gebruikersnaam", "en": "User name"},
    "password": {"nl": "Wachtwoord", "en": "Password"},
    "sign_in_with": {"nl": "Inloggen met {name}", "en": "Sign in with {name}"},
    "wrong": {"nl": "Onbekende gebruikersnaam of onjuist wachtwoord.",
              "en": "Unknown user name or wrong password."},
    "too_many": {"nl": "Te veel mislukte pogingen. Probeer het over {minutes} min. opnieuw.",
                 "en": "Too many failed attempts. Try again in {minutes} min."},
    "busy": {"nl": "Er worden nu veel inlogpogingen gecontroleerd. Probeer het over een paar "
                   "seconden opnieuw.",
             "en": "Many sign-ins are being checked right now. Try again in a few seconds."},
    "signed_in_as": {"nl": "Ingelogd als {name} ({role})", "en": "Signed in as {name} ({role})"},
    "public_view": {"nl": "Openbare weergave", "en": "Public view"},
    "expired": {"nl": "Het formulier is verlopen of kwam niet van deze site. Laad de pagina "
                      "opnieuw en probeer het nog eens.",
                "en": "The form expired or did not come from this site. Reload the page and "
                      "try again."},
    "cross_site": {"nl": "Verzoek van een andere site geweigerd.",
                   "en": "Request from another site refused."},
    "oidc_failed": {"nl": "Inloggen bij {name} is mislukt: {reason}",
                    "en": "Signing in with {name} failed: {reason}"},
    "oidc_no_role": {"nl": "uw account heeft geen rol in IMVO Monitor; vraag de beheerder u "
                           "een groep toe te wijzen",
                     "en": "your account has no role in IMVO Monitor; ask the administrator "
                           "to give you a group"},
    "role_steering": {"nl": "stuurgroep", "en": "steering group"},
    "role_evaluator": {"nl": "evaluator", "en": "evaluator"},
    "role_commission": {"nl": "monitoringcommissie en secretariaat",
                        "en": "monitoring commission and secretariat"},
    "role_admin": {"nl": "beheerder", "en": "administrator"},
    "role_public": {"nl": "publiek", "en": "public"},
    "nav_upload": {"nl": "Inleveren", "en": "Upload"},
    "nav_audit": {"nl": "Logboek", "en": "Audit log"},
    "upload_title": {"nl": "Zelfevaluaties inleveren", "en": "Upload self-assessments"},
    "upload_intro": {
        "nl": "Kies een of meer ingevulde vragenlijsten (xlsx, csv, json of parquet, elk "
              "hoogstens {limit}). Ze gaan door dezelfde controles als bij 'imvo ingest'; per "
              "bestand volgt een terugkoppelingsrapport.",
        "en": "Choose one or more filled-in questionnaires (xlsx, csv, json or parquet, each at "
              "most {limit}). They go through the same checks as 'imvo ingest'; each file gets "
              "a feedback report."},
    "upload_scope": {"nl": "U levert in voor het convenant {covenant}.",
                     "en": "You upload for the agreement {covenant}."},
    "upload_any": {"nl": "Als beheerder levert u in voor elk convenant.",
                   "en": "As an administrator you upload for any agreement."},
    "upload_button": {"nl": "Inleveren", "en": "Upload"},
    "upload_denied": {
        "nl": "Inleveren is voor het secretariaat en de monitoringcommissie van een convenant.",
        "en": "Uploading is for the secretariat and monitoring commission of an agreement."},
    "upload_done": {"nl": "Resultaat van het inleveren", "en": "Result of the upload"},
    "upload_drop": {"nl": "Sleep bestanden hierheen of klik om ze te kiezen",
                    "en": "Drag files here or click to choose them"},
    "report": {"nl": "Terugkoppelingsrapport", "en": "Feedback report"},
    "too_large": {"nl": "Het bestand is te groot: hoogstens {limit} per keer.",
                  "en": "The file is too large: at most {limit} at a time."},
    "other_covenant": {
        "nl": "{file}: geweigerd, dit bestand is van het convenant '{detail}'; u kunt alleen "
              "inleveren voor '{own}'.",
        "en": "{file}: refused, this file belongs to the agreement '{detail}'; you can only "
              "upload for '{own}'."},
    "file_too_large": {"nl": "{file}: geweigerd, groter dan {detail}.",
                       "en": "{file}: refused, larger than {detail}."},
    "register_refused": {
        "nl": "{file}: geweigerd, een ledenregister laadt de beheerder met 'imvo ingest'.",
        "en": "{file}: refused, a member register is loaded by the administrator with "
              "'imvo ingest'."},
    "wrong_type": {"nl": "{file}: geweigerd, kies een xlsx-, csv-, json- of parquet-bestand.",
                   "en": "{file}: refused, choose an xlsx, csv, json or parquet file."},
    "audit_title": {"nl": "Logboek", "en": "Audit log"},
    "audit_intro": {"nl": "Inlogpogingen, inleveringen en downloads, nieuwste eerst.",
                    "en": "Sign-ins, uploads and downloads, newest first."},
    "audit_denied": {"nl": "Het logboek is alleen voor beheerders.",
                     "en": "The audit log is for administrators only."},
    "request_too_large": {"nl": "Het verzoek is te groot: hoogstens {limit}.",
                          "en": "The request is too large: at most {limit}."},
}


def at(key: str, lang: Lang, **values: object) -> str:
    """Return a text of sign-in, upload and audit in a language."""
    return fill(TEXT, key, lang, **values)
