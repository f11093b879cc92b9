import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from portal import roles
from portal.models import MembershipState, School, SchoolStatus, Status, User

DEFAULT_PASSWORD = "Пароль-для-тестов-1"


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"9{n:05d}")
    short_name = factory.Sequence(lambda n: f"МБОУ «СОШ № {n + 100}»")
    name = factory.LazyAttribute(
        lambda school: (
            f"Муниципальное бюджетное общеобразовательное учреждение {school.short_name[5:]}"
        )
    )
    kind = "СОШ"
    district = "Центральный"
    address = factory.Faker("address", locale="ru_RU")
    head = factory.Faker("name", locale="ru_RU")


class SchoolStatusFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolStatus

    school = factory.SubFactory(SchoolFactory)
    year = 2024
    status = Status.SHNOR
    basis = "по данным Рособрнадзора"
    confirmed = True


def role_hook(default: str | None):
    """A post-generation hook that puts the user in a role group: `role=` overrides it."""

    def add_role(user, create, extracted, **kwargs):
        name = extracted or default
        if create and name:
            user.groups.add(Group.objects.get(name=name))

    return factory.PostGeneration(add_role)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.ru")
    last_name = factory.Faker("last_name_male", locale="ru_RU")
    first_name = factory.Faker("first_name_male", locale="ru_RU")
    patronymic = factory.Faker("middle_name_male", locale="ru_RU")
    position = "учитель"
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    role = role_hook(None)

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        # allauth requires a verified address to log in (ACCOUNT_EMAIL_VERIFICATION).
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)
        if create:
            self.save()


class TeacherFactory(UserFactory):
    school = factory.SubFactory(SchoolFactory)
    membership = MembershipState.CONFIRMED
    role = role_hook(roles.TEACHER)


class SchoolHeadFactory(UserFactory):
    school = factory.SubFactory(SchoolFactory)
    membership = MembershipState.CONFIRMED
    position = "директор"
    role = role_hook(roles.SCHOOL_HEAD)


class MethodologistFactory(UserFactory):
    position = "методист"
    role = role_hook(roles.METHODOLOGIST)
