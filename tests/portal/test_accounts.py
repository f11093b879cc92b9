"""Registration, e-mail confirmation, login, brute-force lockout and password reset (allauth +
axes, with the portal's adapter and signup form)."""

import re

import pytest
from allauth.account.models import EmailAddress
from axes.models import AccessAttempt
from django.conf import settings
from django.core import mail

from portal import roles
from portal.models import MembershipState, User
from tests.factories import SchoolFactory, TeacherFactory
from tests.factories.people import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

SIGNUP_URL = "/accounts/signup/"
LOGIN_URL = "/accounts/login/"
PASSWORD = "Надёжный-пароль-2024"


@pytest.fixture
def school(db):
    return SchoolFactory(short_name="МБОУ «СОШ № 3»", district="Центральный")


def signup_data(school_obj, **overrides):
    data = {
        "email": "ivanova@example.ru",
        "last_name": "Иванова",
        "first_name": "Мария",
        "patronymic": "Петровна",
        "position": "учитель математики",
        "school": school_obj.pk,
        "phone": "+7 (423) 123-45-67",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "personal_data_consent": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def field_errors(response, field):
    """The error paragraphs the portal's form_field component renders under a field."""
    return re.findall(
        rf'<p class="field__error" id="id_{field}_error">(.*?)</p>', response.content.decode()
    )


def confirmation_key(message):
    match = re.search(r"/accounts/confirm-email/([-:\w]+)/", message.body)
    assert match, message.body
    return match.group(1)


def is_logged_in(client):
    return "_auth_user_id" in client.session


# --- Registration ---------------------------------------------------------------------------


def test_signup_page_renders_in_russian(client, school):
    response = client.get(SIGNUP_URL)
    assert response.status_code == 200
    text = response.content.decode()
    for label in ("Фамилия", "Отчество", "Должность", "Образовательная организация", "152-ФЗ"):
        assert label in text
    assert school.short_name in text


def test_signup_creates_pending_teacher_and_sends_russian_confirmation(client, school):
    response = client.post(SIGNUP_URL, signup_data(school))
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"

    user = User.objects.get(email="ivanova@example.ru")
    assert user.get_full_name() == "Иванова Мария Петровна"
    assert user.position == "учитель математики"
    assert user.phone == "+7 (423) 123-45-67"
    assert user.school == school
    assert user.membership == MembershipState.PENDING
    assert list(user.groups.values_list("name", flat=True)) == [roles.TEACHER]
    assert user.check_password(PASSWORD)
    assert not user.is_staff
    assert EmailAddress.objects.get(user=user).verified is False
    assert not is_logged_in(client)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ivanova@example.ru"]
    assert message.subject.startswith(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX)
    assert "подтвердите" in message.subject.lower()
    assert confirmation_key(message)
    # The body is in Russian too.
    assert (
        "Для подтверждения перейдите на http://testserver/accounts/confirm-email/" in message.body
    )
    assert "Иванова Мария Петровна" in message.body


def test_login_refused_until_email_confirmed_then_allowed(client, school):
    client.post(SIGNUP_URL, signup_data(school))
    key = confirmation_key(mail.outbox[0])

    response = client.post(LOGIN_URL, {"login": "ivanova@example.ru", "password": PASSWORD})
    assert not is_logged_in(client)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert client.get("/cabinet/").status_code == 302

    # ACCOUNT_CONFIRM_EMAIL_ON_GET is off: opening the link only shows the button.
    page = client.get(f"/accounts/confirm-email/{key}/")
    assert page.status_code == 200
    assert "ivanova@example.ru" in page.content.decode()
    assert not EmailAddress.objects.get(email="ivanova@example.ru").verified

    response = client.post(f"/accounts/confirm-email/{key}/")
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="ivanova@example.ru").verified

    client.logout()
    response = client.post(LOGIN_URL, {"login": "ivanova@example.ru", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/cabinet/"
    assert is_logged_in(client)
    cabinet = client.get("/cabinet/")
    assert cabinet.status_code == 200
    assert "Ожидает подтверждения" in cabinet.content.decode()


def test_wrong_confirmation_key_shows_russian_message(client):
    response = client.get("/accounts/confirm-email/wrong-key-123/")
    assert response.status_code == 200
    assert "Ссылка некорректна или срок её действия истек" in response.content.decode()


def test_posting_a_wrong_confirmation_key_is_a_russian_404(client):
    response = client.post("/accounts/confirm-email/wrong-key-123/")
    assert response.status_code == 404
    assert "Страница не найдена" in response.content.decode()
    assert not EmailAddress.objects.filter(verified=True).exists()


def test_signup_with_existing_email_is_refused(client, school):
    TeacherFactory(email="ivanova@example.ru")
    response = client.post(SIGNUP_URL, signup_data(school, email="IVANOVA@example.ru"))
    assert response.status_code == 200
    errors = field_errors(response, "email")
    assert errors == ["Пользователь с таким адресом электронной почты уже зарегистрирован."]
    assert User.objects.count() == 1
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"personal_data_consent": None},
            "personal_data_consent",
            "Без согласия на обработку персональных данных регистрация невозможна.",
        ),
        (
            {"school": 999999},
            "school",
            "Такой школы нет в реестре. Выберите школу из списка.",
        ),
        ({"school": ""}, "school", "Выберите школу, в которой вы работаете."),
        ({"phone": "abc"}, "phone", "Укажите телефон цифрами, от 6 до 15 цифр."),
        ({"phone": "12345"}, "phone", "Укажите телефон цифрами, от 6 до 15 цифр."),
        (
            {"phone": "+7 423 123 45 67 доб. 5"},
            "phone",
            "В номере телефона допустимы цифры, пробел, +, ( ) и -.",
        ),
        ({"last_name": ""}, "last_name", "Требуется заполнить это поле."),
        ({"position": ""}, "position", "Требуется заполнить это поле."),
    ],
)
def test_signup_field_errors_in_russian(client, school, overrides, field, message):
    response = client.post(SIGNUP_URL, signup_data(school, **overrides))
    assert response.status_code == 200
    assert message in field_errors(response, field)
    assert "Проверьте, пожалуйста, форму" in response.content.decode()
    assert not User.objects.exists()
    assert mail.outbox == []


def test_signup_password_mismatch(client, school):
    response = client.post(SIGNUP_URL, signup_data(school, password2="Другой-пароль-2024"))
    assert response.status_code == 200
    assert field_errors(response, "password2")
    assert not User.objects.exists()


def test_signup_without_patronymic_and_phone(client, school):
    response = client.post(SIGNUP_URL, signup_data(school, patronymic="", phone=""))
    assert response.status_code == 302
    user = User.objects.get()
    assert user.patronymic == ""
    assert user.phone == ""


# --- Login ------------------------------------------------------------------------------------


def test_login_with_email_and_password(client):
    user = TeacherFactory(email="petrova@example.ru")
    response = client.post(LOGIN_URL, {"login": "Petrova@Example.ru", "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/cabinet/"
    assert client.session["_auth_user_id"] == str(user.pk)


def test_login_with_wrong_password_shows_russian_error(client):
    TeacherFactory(email="petrova@example.ru")
    response = client.post(LOGIN_URL, {"login": "petrova@example.ru", "password": "неверный"})
    assert response.status_code == 200
    assert (
        "Указанные вами адрес электронной почты и/или пароль неверны." in response.content.decode()
    )
    assert not is_logged_in(client)


def _fail(client, email="petrova@example.ru"):
    return client.post(LOGIN_URL, {"login": email, "password": "неверный-пароль"})


def test_lockout_after_failure_limit(client):
    assert settings.AXES_FAILURE_LIMIT == 5
    TeacherFactory(email="petrova@example.ru")
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = _fail(client)
        assert response.status_code == 200
        assert "неверны" in response.content.decode()
    _fail(client)  # the fifth failure reaches the limit

    response = client.post(LOGIN_URL, {"login": "petrova@example.ru", "password": DEFAULT_PASSWORD})
    assert response.status_code == 429
    text = response.content.decode()
    assert "Вход временно заблокирован" in text
    assert "Слишком много неудачных попыток входа" in text
    assert 'lang="ru"' in text
    assert not is_logged_in(client)
    assert client.get("/cabinet/").status_code == 302


def test_failures_below_the_limit_do_not_lock(client):
    TeacherFactory(email="petrova@example.ru")
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        _fail(client)
    response = client.post(LOGIN_URL, {"login": "petrova@example.ru", "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert is_logged_in(client)


def test_failed_attempts_are_recorded_per_account(client):
    TeacherFactory(email="petrova@example.ru")
    _fail(client)
    attempt = AccessAttempt.objects.get()
    assert attempt.username == "petrova@example.ru"


def test_lockout_of_one_account_does_not_lock_another(client):
    TeacherFactory(email="petrova@example.ru")
    other = TeacherFactory(email="sidorov@example.ru")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _fail(client)
    response = client.post(LOGIN_URL, {"login": other.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(other.pk)


# --- Password reset ---------------------------------------------------------------------------


def test_password_reset_sends_email(client):
    TeacherFactory(email="petrova@example.ru")
    page = client.get("/accounts/password/reset/")
    assert page.status_code == 200
    response = client.post("/accounts/password/reset/", {"email": "petrova@example.ru"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/done/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["petrova@example.ru"]
    assert message.subject.startswith(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX)
    assert "Письмо для сброса пароля" in message.subject
    assert "/accounts/password/reset/key/" in message.body


def test_password_reset_for_unknown_email(client):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.ru"})
    assert response.status_code == 200
    assert field_errors(response, "email") == [
        "Адрес электронной почты не закреплен ни за одной учетной записью."
    ]
    assert mail.outbox == []


def test_password_reset_link_sets_new_password(client):
    user = TeacherFactory(email="petrova@example.ru")
    client.post("/accounts/password/reset/", {"email": "petrova@example.ru"})
    url = re.search(r"https?://[^/]+(/accounts/password/reset/key/\S+/)", mail.outbox[0].body)
    assert url, mail.outbox[0].body
    response = client.get(url.group(1), follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else url.group(1)
    response = client.post(
        form_url, {"password1": "Новый-пароль-2025", "password2": "Новый-пароль-2025"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Новый-пароль-2025")


def test_logout(client):
    user = TeacherFactory()
    client.force_login(user)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert not is_logged_in(client)


# --- Profile ----------------------------------------------------------------------------------


def test_profile_edit_saves(client):
    user = TeacherFactory(phone="")
    client.force_login(user)
    assert client.get("/cabinet/profile/").status_code == 200
    response = client.post(
        "/cabinet/profile/",
        {
            "last_name": "Петрова",
            "first_name": "Анна",
            "patronymic": "Игоревна",
            "position": "учитель математики",
            "phone": "+7 (423) 200-30-40",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/cabinet/"
    user.refresh_from_db()
    assert user.get_full_name() == "Петрова Анна Игоревна"
    assert user.phone == "+7 (423) 200-30-40"
    assert "Профиль сохранён." in client.get("/cabinet/").content.decode()


def test_profile_edit_validates_phone_and_keeps_data(client):
    user = TeacherFactory(last_name="Петрова", phone="")
    client.force_login(user)
    response = client.post(
        "/cabinet/profile/",
        {"last_name": "Иванова", "first_name": "Анна", "position": "учитель", "phone": "звоните"},
    )
    assert response.status_code == 200
    assert field_errors(response, "phone") == ["Укажите телефон цифрами, от 6 до 15 цифр."]
    user.refresh_from_db()
    assert user.last_name == "Петрова"


def test_profile_edit_requires_login(client):
    response = client.get("/cabinet/profile/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
