import datetime

import pytest

from agreements.models import AgreementParty
from agreements.services import agreement_create, plan_item_save
from portal.models import Subject
from tests.factories import MethodologistFactory, SchoolFactory, SchoolHeadFactory


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def leader():
    return SchoolFactory(code="250401", short_name="Гимназия № 1", name="МАОУ «Гимназия № 1»")


@pytest.fixture
def target():
    return SchoolFactory(code="250103", short_name="СОШ № 3", name="МБОУ «СОШ № 3»")


@pytest.fixture
def leader_head(leader):
    return SchoolHeadFactory(school=leader, last_name="Лебедева", first_name="Марина")


@pytest.fixture
def target_head(target):
    return SchoolHeadFactory(school=target, last_name="Петров", first_name="Олег")


@pytest.fixture
def methodologist():
    return MethodologistFactory()


@pytest.fixture
def maths():
    return Subject.objects.get_or_create(name="Математика", defaults={"slug": "matematika"})[0]


@pytest.fixture
def make_agreement(leader, target, leader_head, maths):
    def make(subjects=None, with_plan=True, **overrides):
        fields = {
            "user": leader_head,
            "leader": leader,
            "partners": [(target, AgreementParty.Role.TARGET)],
            "title": "Повышение качества подготовки к ОГЭ по математике",
            "purpose": "Снизить долю неудовлетворительных результатов.",
            "support_kinds": ["methodological", "consulting"],
            "subjects": [maths] if subjects is None else subjects,
            "start_date": datetime.date(2024, 9, 1),
            "end_date": datetime.date(2025, 6, 30),
        }
        fields.update(overrides)
        agreement = agreement_create(**fields)
        if with_plan:
            plan_item_save(
                agreement=agreement,
                user=fields["user"],
                action="Открытые уроки учителей математики Гимназии № 1",
                start_date=datetime.date(2024, 10, 1),
                end_date=datetime.date(2024, 10, 31),
                responsible="Зам. директора по УВР Иванова Е. А.",
                expected_result="Учителя СОШ № 3 освоили приёмы формирующего оценивания",
            )
        return agreement

    return make
