"""The nodes of an EDC that describe what was learnt: the course as a learning
activity, each competence as a learning achievement, and the small shared
pieces (language maps, legal identifiers, dates)."""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings

from ..content import LABELS
from . import vocab


def moment(day: str, *, end: bool = False) -> str:
    """A certificate's date as an xsd:dateTime at the school's midnight (the
    day's last second for an end)."""
    time = datetime.time(23, 59, 59) if end else datetime.time(0, 0)
    value = datetime.datetime.combine(
        datetime.date.fromisoformat(day), time, ZoneInfo(settings.TIME_ZONE)
    )
    return value.isoformat()


def lang_map(italian: str, english: str = "") -> dict:
    """A language map of the non-empty texts."""
    texts = {"it": italian, "en": english}
    return {code: text for code, text in texts.items() if text}


def legal_identifier(node_id: str, notation: str, country: str) -> dict:
    return {
        "id": node_id,
        "type": "LegalIdentifier",
        "notation": notation,
        "spatial": vocab.country(country),
    }


def identifier(node_id: str, notation: str, scheme: str) -> dict:
    return {
        "id": node_id,
        "type": "Identifier",
        "notation": notation,
        "schemeName": scheme,
    }


def _venue(course: dict) -> dict:
    return {
        "id": "urn:epass:location:2",
        "type": "Location",
        "address": {
            "id": "urn:epass:address:2",
            "type": "Address",
            "countryCode": vocab.country("IT"),
            "fullAddress": {
                "id": "urn:epass:note:3",
                "type": "Note",
                "noteLiteral": {"it": course["venue"]},
            },
        },
    }


def activity(printed: dict, *, awarding: str) -> dict:
    """The course as attended: its hours, dates, venue and attendance."""
    course = printed["course"]
    title = lang_map(course["title"], course["title_en"])
    hours = f"PT{int(course['hours'])}H"
    node = {
        "id": "urn:epass:activity:1",
        "type": "LearningActivity",
        "title": title,
        "awardedBy": awarding,
        "workload": hours,
        "identifier": identifier(
            "urn:epass:identifier:3", course["edition"], "Edizione / Edition"
        ),
        "temporal": {
            "id": "urn:epass:period:1",
            "type": "PeriodOfTime",
            "startDate": moment(course["start"]),
            "endDate": moment(course["end"], end=True),
        },
        "specifiedBy": {
            "id": "urn:epass:learningActivitySpec:1",
            "type": "LearningActivitySpecification",
            "title": title,
            "volumeOfLearning": hours,
            "language": vocab.language(course["teaching_language"]),
            "identifier": identifier(
                "urn:epass:identifier:4", course["code"], "Codice corso / Course code"
            ),
        },
    }
    if course["venue"]:
        node["location"] = _venue(course)
    percent = round(float(course["attendance_percent"]))
    if percent >= 1:
        node["levelOfCompletion"] = percent
    return node


def _references(item: dict) -> list[tuple[str, str]]:
    """(label key, value) of the Italian references a competence carries."""
    ateco = " ".join(filter(None, (item["ateco_code"], item["ateco_version"])))
    pairs = [
        ("ada", item["ada_code"]),
        ("qualification", item["qualification"]),
        ("ateco", ateco),
        ("cp_istat", item["cp_istat_code"]),
    ]
    return [(key, value) for key, value in pairs if value]


def _note(node_id: str, item: dict) -> dict | None:
    pairs = _references(item)
    lines = {
        index: [f"{LABELS[key][index]}: {value}" for key, value in pairs]
        for index in (0, 1)
    }
    if item["assessment_method"]:
        lines[0].append(f"{LABELS['assessment'][0]}: {item['assessment_method']}")
        method = item["assessment_method_en"] or item["assessment_method"]
        lines[1].append(f"{LABELS['assessment'][1]}: {method}")
    if not lines[0]:
        return None
    return {
        "id": node_id,
        "type": "Note",
        "noteLiteral": lang_map("\n".join(lines[0]), "\n".join(lines[1])),
    }


def _specification(item: dict, index: int) -> dict:
    title = lang_map(item["title"], item["title_en"])
    outcome = {
        "id": f"urn:epass:learningOutcome:{index}",
        "type": "LearningOutcome",
        "title": title,
    }
    if item["esco_uri"]:
        outcome["relatedESCOSkill"] = vocab.esco_skill(item["esco_uri"])
    node = {
        "id": f"urn:epass:learningAchievementSpec:{index}",
        "type": "LearningAchievementSpecification",
        "title": title,
        "learningOutcome": outcome,
    }
    description = lang_map(item["description"], item["description_en"])
    if description:
        node["description"] = description
    if item["eqf_level"]:
        node["eqfLevel"] = vocab.eqf_level(item["eqf_level"])
    return node


def competence_achievement(item: dict, *, index: int, awarding: str) -> dict:
    """One competence of a certificate of competence, as a learning achievement."""
    node = {
        "id": f"urn:epass:learningAchievement:{index}",
        "type": "LearningAchievement",
        "title": lang_map(item["title"], item["title_en"]),
        "awardedBy": awarding,
        "specifiedBy": _specification(item, index),
    }
    if item["code"]:
        node["identifier"] = identifier(
            f"urn:epass:identifier:{index + 3}", item["code"], "Codice / Code"
        )
    note = _note(f"urn:epass:note:{index + 2}", item)
    if note:
        node["additionalNote"] = note
    return node
