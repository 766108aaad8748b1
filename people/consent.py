"""The consent a graduate gives to publish a profile (art. 96 Codice privacy,
GDPR art. 7). The exact text they agreed to is stored in the consent log, so the
texts here are plain strings, not translations: a record must not change when a
translation does. Change the version when a text changes."""

CONSENT_VERSION = "2026-01"

CONSENT_TEXTS = {
    "it": (
        "Chiedo alla Makers' School di pubblicare il mio profilo di diplomato, con "
        "i soli campi che ho scelto, nella directory consultata dalle aziende "
        "verificate, a fini di orientamento e inserimento lavorativo (art. 96 del "
        "Codice in materia di protezione dei dati personali). Posso ritirare il "
        "consenso in ogni momento disattivando il profilo: sarà nascosto subito a "
        "tutte le aziende."
    ),
    "en": (
        "I ask the Makers' School to publish my graduate profile, with only the "
        "fields I chose, in the directory that verified companies search, for job "
        "placement (art. 96 of the Italian Data Protection Code). I can withdraw "
        "this consent at any time by turning the profile off: it is hidden from "
        "every company at once."
    ),
}


def consent_text(language: str) -> str:
    return CONSENT_TEXTS.get((language or "it")[:2], CONSENT_TEXTS["it"])
