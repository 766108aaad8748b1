"""Shared pieces of the demo course texts: funding notes and the course builder."""

from .blocks import heading, paragraph, stream

VOUCHER_IT = (
    "<p>Indicato come ammissibile al voucher Regione Piemonte per le imprese: le "
    "regole esatte sono nel bando regionale in vigore.</p>"
)
VOUCHER_EN = (
    "<p>Marked as eligible for the Regione Piemonte voucher for companies: the exact "
    "rules are in the regional call in force.</p>"
)
FREE_IT = (
    "<p>Gratuito: finanziato dalla Camera di commercio di Torino per chi è in cerca "
    "di occupazione o in riqualificazione.</p>"
)
FREE_EN = (
    "<p>Free: funded by the Turin Chamber of Commerce for job seekers and people "
    "retraining.</p>"
)


def _body(it_what: str, it_how: str, en_what: str, en_how: str) -> dict[str, str]:
    return {
        "it": stream(
            heading("Che cosa imparerai"),
            paragraph(it_what),
            heading("Come si svolge"),
            paragraph(it_how),
        ),
        "en": stream(
            heading("What you will learn"),
            paragraph(en_what),
            heading("How it works"),
            paragraph(en_how),
        ),
    }


def _course(code, area, hours, eqf, price, lang, competencies, image, **texts):
    body = _body(*texts.pop("body"))
    return {
        "code": code,
        "area": area,
        "hours": hours,
        "eqf_level": eqf,
        "price": price,
        "teaching_language": lang,
        "competencies": competencies,
        "image": image,
        "voucher": texts.pop("voucher", False),
        "requires": texts.pop("requires", []),
        "topics": texts.pop("topics"),
        "it": {**texts["it"], "body": body["it"]},
        "en": {**texts["en"], "body": body["en"]},
    }


LAB_IT = (
    "<p>Metà delle ore in laboratorio, in gruppi di due o tre persone per "
    "postazione. Verifica finale pratica.</p>"
)
LAB_EN = (
    "<p>Half of the hours in the lab, two or three people per workstation. "
    "Practical final assessment.</p>"
)
