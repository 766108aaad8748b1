"""The controlled vocabularies an EDC names its concepts from (EU Vocabularies,
ESCO), as JSON-LD nodes: only the few concepts a school's credential uses."""

AUTHORITY = "http://publications.europa.eu/resource/authority"
SNB = "http://data.europa.eu/snb"
ESCO_SKILLS = "http://data.europa.eu/esco/concept-scheme/skills"

# ISO 3166 alpha-2 (Certificate.issuer_country) to the EU country authority's code.
COUNTRIES = {
    "AT": ("AUT", "Austria"),
    "BE": ("BEL", "Belgium"),
    "BG": ("BGR", "Bulgaria"),
    "CH": ("CHE", "Switzerland"),
    "CY": ("CYP", "Cyprus"),
    "CZ": ("CZE", "Czechia"),
    "DE": ("DEU", "Germany"),
    "DK": ("DNK", "Denmark"),
    "EE": ("EST", "Estonia"),
    "ES": ("ESP", "Spain"),
    "FI": ("FIN", "Finland"),
    "FR": ("FRA", "France"),
    "GR": ("GRC", "Greece"),
    "HR": ("HRV", "Croatia"),
    "HU": ("HUN", "Hungary"),
    "IE": ("IRL", "Ireland"),
    "IT": ("ITA", "Italy"),
    "LT": ("LTU", "Lithuania"),
    "LU": ("LUX", "Luxembourg"),
    "LV": ("LVA", "Latvia"),
    "MT": ("MLT", "Malta"),
    "NL": ("NLD", "Netherlands"),
    "PL": ("POL", "Poland"),
    "PT": ("PRT", "Portugal"),
    "RO": ("ROU", "Romania"),
    "SE": ("SWE", "Sweden"),
    "SI": ("SVN", "Slovenia"),
    "SK": ("SVK", "Slovakia"),
    "SM": ("SMR", "San Marino"),
    "VA": ("VAT", "Holy See"),
}
LANGUAGES = {"it": ("ITA", "Italian"), "en": ("ENG", "English")}


def concept(iri: str, scheme: str, label: str = "", notation: str = "") -> dict:
    node = {
        "id": iri,
        "type": "Concept",
        "inScheme": {"id": scheme, "type": "ConceptScheme"},
    }
    if notation:
        node["notation"] = notation
    if label:
        node["prefLabel"] = {"en": label}
    return node


def country(code: str) -> dict:
    """The country concept for an ISO alpha-2 code (Italy when unknown)."""
    alpha3, name = COUNTRIES.get((code or "IT").upper(), COUNTRIES["IT"])
    scheme = f"{AUTHORITY}/country"
    return concept(f"{scheme}/{alpha3}", scheme, name, "country")


def language(code: str) -> dict:
    """The language concept for "it" or "en" (Italian for anything else)."""
    alpha3, name = LANGUAGES.get((code or "it")[:2].lower(), LANGUAGES["it"])
    scheme = f"{AUTHORITY}/language"
    return concept(f"{scheme}/{alpha3}", scheme, name, "language")


def eqf_level(level: int) -> dict:
    """The EQF level concept, http://data.europa.eu/snb/eqf/<n>."""
    return concept(
        f"{SNB}/eqf/{int(level)}", f"{SNB}/eqf/25831c2", f"Level {int(level)}"
    )


def esco_skill(uri: str) -> dict:
    return concept(uri, ESCO_SKILLS)


def generic_profile() -> dict:
    """credentialProfiles: the EDC generic profile."""
    return concept(
        f"{SNB}/credential/e34929035b", f"{SNB}/credential/25831c2", "Generic"
    )


def png_encoding() -> tuple[dict, dict]:
    """(contentType, contentEncoding) of a base64 PNG media object."""
    file_type = f"{AUTHORITY}/file-type"
    return (
        concept(f"{file_type}/PNG", file_type, "PNG", "file-type"),
        concept(f"{SNB}/encoding/6146cde7dd", f"{SNB}/encoding/25831c2", "base64"),
    )
