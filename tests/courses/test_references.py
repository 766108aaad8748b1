"""Competency references: ESCO URI, Atlante del Lavoro ADA, ATECO, CP ISTAT 2011.

Each format is checked at its edges by the validator (the message staff see)
and by the database (what a bulk import or a shell slips past the forms); staff
edit them in the admin; the demo's codes are all in the shipped snapshot.
"""

import pytest
import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from courses.models import Competency
from courses.references import (
    ada_code_validator,
    ateco_code_validator,
    cp_istat_code_validator,
    esco_uri_validator,
    reference_label,
    references_snapshot,
)
from tests.factories import CompetencyFactory, StaffFactory

UUID = "bf942c60-8539-4951-83ee-63f770da1cb8"

CASES = {
    "esco_uri": (
        esco_uri_validator,
        [
            f"http://data.europa.eu/esco/skill/{UUID}",
            f"https://data.europa.eu/esco/occupation/{UUID.upper()}",
        ],
        [
            f"http://data.europa.eu/esco/isco/{UUID}",  # not a skill or occupation
            f"http://data.europa.eu/esco/skill/{UUID[:-1]}",  # one digit short
            f"http://data.europa.eu/esco/skill/{UUID}0",  # one digit more
            f"http://example.org/esco/skill/{UUID}",
            f"http://data.europa.eu/esco/skill/{UUID.replace('-', '')}",
        ],
    ),
    "ada_code": (
        ada_code_validator,
        ["ADA.10.01.07", "ADA.7.61.186", "ADA.10.180.5740"],
        ["ADA.10.01", "ada.10.01.07", "ADA.10.01.07.1", "ADA.100.1.1", "10.01.07"],
    ),
    "ateco_code": (
        ateco_code_validator,
        ["25", "25.6", "25.62", "25.62.0", "25.62.00"],
        ["2", "25.", "25.6.00", "25.62.000", "C25.62.00", "25,62,00"],
    ),
    "cp_istat_code": (
        cp_istat_code_validator,
        ["6", "6.2", "6.2.1.2.0", "7.2.1.1.0"],
        ["0.2.1.2.0", "6.2.1.2.0.1", "6.21.2", "6.2.1.", "62120"],
    ),
}


@pytest.mark.parametrize(
    "validator,value",
    [(case[0], value) for case in CASES.values() for value in case[1]],
)
def test_validators_accept_the_real_formats(validator, value):
    validator(value)


@pytest.mark.parametrize(
    "validator,value",
    [(case[0], value) for case in CASES.values() for value in case[2]],
)
def test_validators_refuse_just_outside_them(validator, value):
    with pytest.raises(ValidationError):
        validator(value)


def test_the_messages_say_what_is_expected():
    with pytest.raises(ValidationError) as error:
        ada_code_validator("ADA.1")
    assert "Atlante del Lavoro" in error.value.messages[0]
    with pytest.raises(ValidationError) as error:
        cp_istat_code_validator("1.23")
    assert "CP ISTAT 2011" in error.value.messages[0]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "field,value", [(field, case[2][0]) for field, case in CASES.items()]
)
def test_the_database_refuses_a_malformed_code(field, value):
    competency = CompetencyFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Competency.objects.filter(pk=competency.pk).update(**{field: value})
    competency.refresh_from_db()
    assert getattr(competency, field) == ""


@pytest.mark.django_db
def test_the_database_keeps_blank_and_valid_codes():
    competency = CompetencyFactory(
        esco_uri=CASES["esco_uri"][1][0],
        ada_code="ADA.10.01.07",
        ateco_code="25.62.00",
        cp_istat_code="7.2.1.1.0",
    )
    competency.full_clean()
    assert CompetencyFactory(ada_code="").ada_code == ""


def _edit_form(competency, **changes) -> dict:
    form = {
        "code": competency.code,
        "eqf_level": competency.eqf_level,
        "title": competency.title,
        "title_en": competency.title_en,
        "description": "",
        "description_en": "",
        "esco_uri": "",
        "ada_code": "",
        "qualification": "",
        "ateco_code": "",
        "ateco_version": "2007",
        "cp_istat_code": "",
        "assessment_method": "",
        "assessment_method_en": "",
    }
    return form | changes


@pytest.mark.django_db
def test_staff_edit_the_references_in_the_admin(client, site):
    client.force_login(StaffFactory())
    competency = CompetencyFactory()
    url = f"/admin/snippets/courses/competency/edit/{competency.pk}/"
    response = client.post(
        url,
        _edit_form(
            competency,
            esco_uri=f"http://data.europa.eu/esco/skill/{UUID}",
            ada_code="ADA.10.01.07",
            qualification="Tecnico per la programmazione di macchine CNC",
            ateco_code="25.62.00",
            cp_istat_code="7.2.1.1.0",
            assessment_method="Prova pratica",
            assessment_method_en="Practical test",
        ),
    )
    assert response.status_code == 302
    competency.refresh_from_db()
    assert competency.ada_code == "ADA.10.01.07"
    assert competency.ateco_code == "25.62.00"
    assert competency.cp_istat_code == "7.2.1.1.0"


@pytest.mark.django_db
def test_a_malformed_code_in_the_admin_is_explained_and_changes_nothing(client, site):
    client.force_login(StaffFactory())
    competency = CompetencyFactory()
    url = f"/admin/snippets/courses/competency/edit/{competency.pk}/"
    response = client.post(
        url, _edit_form(competency, ada_code="ADA-10", title="Changed")
    )
    assert response.status_code == 200
    # The admin speaks the site's default language, Italian.
    assert "ADA seguito da tre numeri separati da punti" in response.content.decode()
    competency.refresh_from_db()
    assert competency.ada_code == "" and competency.title != "Changed"


def test_the_demo_uses_only_codes_in_the_shipped_snapshot():
    catalogue = settings.BASE_DIR / "demo" / "data" / "catalogue.yaml"
    competencies = yaml.safe_load(catalogue.read_text())["competencies"]
    snapshot = references_snapshot()
    assert len(competencies) == 21
    with_esco = [c for c in competencies if c.get("esco_uri")]
    assert len(with_esco) >= 12
    for spec in competencies:
        for field, scheme in (
            ("esco_uri", "esco"),
            ("ada_code", "ada"),
            ("ateco_code", "ateco"),
            ("cp_istat_code", "cp_istat"),
        ):
            if spec.get(field):
                assert spec[field] in snapshot[scheme], (spec["code"], field)
        # A competency without ESCO URI is listed as still to be checked.
        if not spec.get("esco_uri"):
            assert spec["code"] in snapshot["esco_to_check"]
    for uri in snapshot["esco"]:
        esco_uri_validator(uri)
    for code in snapshot["ateco"]:
        ateco_code_validator(code)
    for code in snapshot["cp_istat"]:
        cp_istat_code_validator(code)
    assert reference_label(scheme="ateco", code="25.62.00") == (
        "Lavori di meccanica generale"
    )
