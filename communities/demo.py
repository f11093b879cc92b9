"""Demo data of the communities: the section page, nine communities of all kinds (from the
seed documents 003 and 004), their members, past and upcoming events with attendance,
discussions and materials, and mentoring pairs in every state between teachers of leader
schools and of ШНОР/ШНСУ schools. Idempotent like load_demo: everything is keyed by a natural
key (e-mail, slug, title); written directly, so no e-mails are sent."""

import datetime

from allauth.account.models import EmailAddress
from anyascii import anyascii
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from portal import roles
from portal.demo.builder import stream_data
from portal.models import MembershipState, School, Subject, User

from . import services
from .models import (
    CommunityIndexPage,
    CommunityPage,
    Event,
    EventRegistration,
    Material,
    MeetingLog,
    Membership,
    MentoringPair,
    MentorProfile,
    PlanStep,
    Post,
    Topic,
)

DEMO_PASSWORD = "Teacher-2026!"
INTRO = (
    "Методические объединения, сетевые сообщества, проблемные группы и экспертный совет "
    "педагогов округа: встречи, семинары, обсуждения и материалы. Здесь же — наставничество "
    "педагогов школ с низкими результатами коллегами из школ-лидеров."
)

# (last, first, middle, position, school code, strengths for a mentor profile)
MENTORS = [
    (
        "Ковалёва",
        "Ирина",
        "Викторовна",
        "учитель математики",
        "250401",
        ["решение текстовых задач", "геометрия"],
    ),
    (
        "Лебедев",
        "Сергей",
        "Александрович",
        "учитель математики",
        "250516",
        ["подготовка к ОГЭ", "функциональная грамотность"],
    ),
    (
        "Морозова",
        "Елена",
        "Николаевна",
        "учитель русского языка",
        "250428",
        ["сочинение-рассуждение", "орфография"],
    ),
    ("Никитина", "Ольга", "Петровна", "учитель начальных классов", "250104", ["смысловое чтение"]),
    ("Фёдоров", "Алексей", "Игоревич", "учитель физики", "250110", ["формирующее оценивание"]),
    (
        "Зайцева",
        "Марина",
        "Юрьевна",
        "педагог-психолог",
        "250106",
        ["работа с тревожностью", "мотивация"],
    ),
    ("Орлов", "Дмитрий", "Сергеевич", "учитель русского языка", "250635", ["подготовка к ЕГЭ"]),
    ("Гусева", "Татьяна", "Андреевна", "учитель математики", "250125", ["работа с отстающими"]),
]
MENTEES = [
    ("Волкова", "Дарья", "Олеговна", "учитель математики", "250103"),
    ("Соловьёв", "Павел", "Андреевич", "учитель математики", "250112"),
    ("Кузнецова", "Юлия", "Сергеевна", "учитель русского языка", "250150"),
    ("Попова", "Светлана", "Ивановна", "учитель начальных классов", "250105"),
    ("Васильев", "Игорь", "Петрович", "учитель физики", "250214"),
    ("Смирнова", "Алина", "Романовна", "педагог-психолог", "250231"),
    ("Егорова", "Ксения", "Викторовна", "учитель русского языка", "250120"),
    ("Михайлов", "Артём", "Денисович", "учитель математики", "250150"),
    ("Андреева", "Вера", "Николаевна", "учитель русского языка", "250103"),
    ("Тихонов", "Максим", "Олегович", "учитель математики", "250112"),
]

COMMUNITIES = [
    {
        "slug": "effektivnye-praktiki",
        "title": "Эффективные практики школ-лидеров",
        "kind": "network",
        "topic": "Перенос успешных практик в школы с низкими результатами",
        "summary": "Сетевое сообщество школ-лидеров округа: открытые уроки, стажировки и разбор практик, которые помогают школам с низкими результатами.",
        "policy": "open",
        "coordinator": 1,
        "members": ["m0", "m1", "m2", "m4", "e0", "e1", "e2", "teacher"],
        "tags": ["практики", "школы-лидеры"],
    },
    {
        "slug": "shkolnye-psihologi",
        "title": "Сообщество школьных психологов",
        "kind": "network",
        "topic": "Психологическое сопровождение обучающихся и педагогов",
        "summary": "Педагоги-психологи школ округа: тревожность перед ГИА, мотивация, социальное благополучие школ со сложным контингентом.",
        "policy": "request",
        "coordinator": 5,
        "members": ["m5", "e5"],
        "requests": ["e3"],
        "tags": ["психология", "ГИА"],
    },
    {
        "slug": "ekspertnyj-sovet",
        "title": "Экспертный совет по оценке практик",
        "kind": "council",
        "topic": "Экспертиза практик банка и программ повышения качества",
        "summary": "Экспертный совет управления образования: рецензирует практики для банка и программы повышения качества образования школ.",
        "policy": "request",
        "coordinator": "metodist",
        "members": ["m0", "m2", "m4"],
        "requests": ["m6"],
        "tags": ["экспертиза"],
    },
    {
        "slug": "mo-matematiki",
        "title": "МО учителей математики",
        "kind": "mo",
        "subject": "matematika",
        "summary": "Городское методическое объединение учителей математики: подготовка к ОГЭ и ЕГЭ, разбор ВПР, обмен заданиями.",
        "policy": "open",
        "coordinator": 0,
        "members": ["m1", "m7", "e0", "e1", "e7", "e9", "teacher"],
        "tags": ["ОГЭ", "математика"],
    },
    {
        "slug": "mo-russkogo-yazyka",
        "title": "МО учителей русского языка и литературы",
        "kind": "mo",
        "subject": "russkij-yazyk",
        "summary": "Методическое объединение: сочинение, функциональное чтение, подготовка к итоговому собеседованию и ГИА.",
        "policy": "open",
        "coordinator": 2,
        "members": ["m6", "e2", "e6", "e8"],
        "tags": ["русский язык", "сочинение"],
    },
    {
        "slug": "mo-nachalnyh-klassov",
        "title": "МО учителей начальных классов",
        "kind": "mo",
        "topic": "Смысловое чтение и ВПР в 4 классе",
        "summary": "Учителя начальных классов: смысловое чтение, подготовка к ВПР, преемственность с основной школой.",
        "policy": "open",
        "coordinator": 3,
        "members": ["e3"],
        "tags": ["ВПР", "начальная школа"],
    },
    {
        "slug": "nastavnichestvo",
        "title": "Проблемная группа «Наставничество»",
        "kind": "group",
        "topic": "Модели наставничества педагогов ШНОР и ШНСУ",
        "summary": "Проблемная группа наставников и методистов: планы наставничества, журнал встреч, итоги пар.",
        "policy": "open",
        "coordinator": 7,
        "members": ["m0", "m1", "m3", "e0", "e4"],
        "tags": ["наставничество"],
    },
    {
        "slug": "funkcionalnaya-gramotnost",
        "title": "Творческая группа «Функциональная грамотность»",
        "kind": "group",
        "topic": "Функциональная грамотность на уроках",
        "summary": "Творческая группа: задания на функциональную грамотность по предметам и их проверка.",
        "policy": "open",
        "coordinator": 1,
        "members": ["m4", "e4", "e7"],
        "tags": ["функциональная грамотность"],
    },
    {
        "slug": "molodye-pedagogi",
        "title": "Сетевое сообщество молодых педагогов",
        "kind": "network",
        "topic": "Первые годы в профессии",
        "summary": "Педагоги со стажем до трёх лет: вопросы, разборы уроков, поддержка наставников.",
        "policy": "open",
        "coordinator": 6,
        "members": ["e1", "e9", "e8"],
        "tags": ["молодые педагоги"],
    },
]

EVENT_PLAN = [
    # (days from today, hour, kind, format, title)
    (-40, 15, "meeting", "offline", "Заседание: итоги мониторинга и план на полугодие"),
    (-12, 16, "seminar", "online", "Семинар: разбор типичных ошибок"),
    (9, 15, "open_lesson", "offline", "Открытый урок коллеги из школы-лидера"),
    (23, 16, "webinar", "online", "Вебинар: задания с развёрнутым ответом"),
]


def _user(last, first, middle, position, school, role=roles.TEACHER) -> User:
    email = f"{slugify(anyascii(last))}.{slugify(anyascii(first))[:1]}{slugify(anyascii(middle))[:1]}@{school.code}.demo.example.ru"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email, last_name=last, first_name=first, patronymic=middle)
        user.set_password(DEMO_PASSWORD)
    user.position = position
    user.school = school
    user.membership = MembershipState.CONFIRMED
    user.save()
    user.groups.add(Group.objects.get(name=role))
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


SUBJECT_BY_POSITION = {
    "математики": "matematika",
    "русского языка": "russkij-yazyk",
    "физики": "fizika",
}
SUBJECT_NAMES = {"matematika": "Математика", "russkij-yazyk": "Русский язык", "fizika": "Физика"}


def _subject_of(position: str) -> str:
    return next((slug for key, slug in SUBJECT_BY_POSITION.items() if key in position), "")


def _diagnostic(user: User, position: str, score: int, deficits: list[str]) -> None:
    """A monitoring teacher record linked to the demo user, with one diagnostic of this year,
    for the mentor suggestions. No staff-list entry: the indicators' teachers are unchanged."""
    from monitoring.models import Diagnostic, Teacher

    teacher, _created = Teacher.objects.update_or_create(
        code=f"demo-{user.email.split('@')[0]}-{user.school.code}",
        defaults={"full_name": user.get_full_name(), "user": user},
    )
    subject = SUBJECT_NAMES.get(_subject_of(position), "")
    Diagnostic.objects.update_or_create(
        teacher=teacher,
        date=datetime.date(timezone.localdate().year, 9, 20),
        kind="предметная" if subject else "методическая",
        subject=subject,
        defaults={"score": score, "deficits": deficits},
    )


def _at(days: int, hour: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


@transaction.atomic
def build(stdout=None) -> None:
    from portal.models import HomePage

    home = HomePage.objects.first()
    if home is None:
        return
    schools = {school.code: school for school in School.objects.all()}
    subjects = {subject.slug: subject for subject in Subject.objects.all()}
    methodologist = User.objects.filter(groups__name=roles.METHODOLOGIST).order_by("pk").first()
    teacher = User.objects.filter(email="teacher@demo.example.ru").first()

    people: dict[str, User] = {}
    for number, (last, first, middle, position, code, strengths) in enumerate(MENTORS):
        user = _user(last, first, middle, position, schools[code])
        profile, _created = MentorProfile.objects.get_or_create(user=user)
        profile.strengths = strengths
        profile.save()
        subject = _subject_of(position)
        profile.subjects.set([subjects[subject]] if subject in subjects else [])
        _diagnostic(user, position, score=88 + number % 7, deficits=[])
        people[f"m{number}"] = user
    for number, (last, first, middle, position, code) in enumerate(MENTEES):
        user = _user(last, first, middle, position, schools[code])
        # The mentee's deficits are what the paired mentor is strong in, so the
        # suggestions have something to match.
        mentor_strengths = MENTORS[number % len(MENTORS)][5]
        _diagnostic(user, position, score=38 + number * 3, deficits=mentor_strengths)
        people[f"e{number}"] = user
    if teacher is not None:
        people["teacher"] = teacher
    if methodologist is not None:
        people["metodist"] = methodologist

    index = CommunityIndexPage.objects.first()
    if index is None:
        index = CommunityIndexPage(title="Сообщества педагогов", slug="communities", intro=INTRO)
        home.add_child(instance=index)
        index.save_revision().publish()

    for item in COMMUNITIES:
        coordinator_key = item["coordinator"]
        coordinator = people.get(
            coordinator_key if isinstance(coordinator_key, str) else f"m{coordinator_key}"
        )
        community = CommunityPage.objects.child_of(index).filter(slug=item["slug"]).first()
        fields = {
            "title": item["title"],
            "kind": item["kind"],
            "topic": item.get("topic", ""),
            "subject": subjects.get(item.get("subject", "")),
            "summary": item["summary"],
            "coordinator": coordinator,
            "join_policy": item["policy"],
            "description": stream_data([("paragraph", f"<p>{item['summary']}</p>")]),
        }
        if community is None:
            community = CommunityPage(slug=item["slug"], **fields)
            index.add_child(instance=community)
        else:
            for name, value in fields.items():
                setattr(community, name, value)
        community.save_revision().publish()
        community.refresh_from_db()
        _members(community, coordinator, item, people)
        _events(community, item, people)
        _discussion(community, item, people)
        _materials(community, item, coordinator)

    _pairs(people, subjects, methodologist)
    _ensure_menu_item(index)
    if stdout is not None:
        stdout.write(
            f"Сообщества: {CommunityPage.objects.count()}, мероприятий: {Event.objects.count()}, "
            f"пар наставничества: {MentoringPair.objects.count()}"
        )


def _members(community, coordinator, item, people) -> None:
    if coordinator is not None and coordinator.groups.filter(name=roles.TEACHER).exists():
        Membership.objects.update_or_create(
            user=coordinator,
            community=community,
            defaults={"state": "member", "role": "coordinator"},
        )
    for key in item["members"]:
        if key in people:
            Membership.objects.update_or_create(
                user=people[key],
                community=community,
                defaults={"state": "member", "role": "member"},
            )
    for key in item.get("requests", []):
        Membership.objects.update_or_create(
            user=people[key], community=community, defaults={"state": "requested", "role": "member"}
        )


def _events(community, item, people) -> None:
    members = [m.user for m in community.memberships.filter(state="member").select_related("user")]
    for number, (days, hour, kind, fmt, title) in enumerate(EVENT_PLAN):
        # Spread the communities' events over different days.
        shift = (community.pk % 5) - 2
        event, _created = Event.objects.update_or_create(
            community=community,
            title=title,
            defaults={
                "kind": kind,
                "starts_at": _at(days + shift, hour),
                "ends_at": _at(days + shift, hour) + datetime.timedelta(minutes=90),
                "format": fmt,
                "link": f"https://vks.demo.example.ru/room-{community.pk}-{number}"
                if fmt == "online"
                else "",
                "place": ""
                if fmt == "online"
                else "МКУ «Центр развития образования», ул. Ленинская, 1, ауд. 2",
                "agenda": "1. Вступительное слово координатора.\n2. Выступления участников.\n3. Обсуждение и решения.",
            },
        )
        for member in members:
            EventRegistration.objects.get_or_create(event=event, user=member)
        if days < 0:
            # Everyone but the last registered attended the past events; recorded through the
            # service so that attendance becomes support records of linked teachers (IND-2).
            present = {m.pk for m in members[:-1]} if len(members) > 1 else {m.pk for m in members}
            coordinator = community.coordinator or people.get("metodist")
            if coordinator is not None:
                services.attendance_mark(event=event, present_user_ids=present, by=coordinator)


DISCUSSIONS = [
    "Как организовать повторение перед пробным экзаменом?",
    "Поделитесь заданиями для работы в малых группах",
]


def _discussion(community, item, people) -> None:
    members = [m.user for m in community.memberships.filter(state="member").select_related("user")]
    if len(members) < 2:
        return
    title = DISCUSSIONS[community.pk % 2]
    topic, created = Topic.objects.get_or_create(
        community=community, title=title, defaults={"author": members[0]}
    )
    if not created:
        return
    texts = [
        "Коллеги, поделитесь опытом: что у вас сработало в прошлом году?",
        "Мы делим класс на группы по результатам диагностики и даём разные задания. Через месяц видна динамика.",
        "Спасибо! Попробуем у себя и расскажем на следующем заседании.",
    ]
    now = timezone.now()
    for number, text in enumerate(texts):
        Post.objects.create(
            topic=topic,
            author=members[number % len(members)],
            body=text,
            created_at=now - datetime.timedelta(days=10 - number * 3),
        )
    topic.last_post_at = now - datetime.timedelta(days=4)
    topic.save(update_fields=["last_post_at"])


def _materials(community, item, coordinator) -> None:
    entries = [
        (
            "Демонстрационные варианты и спецификации ФИПИ",
            "https://fipi.ru/oge/demoversii-specifikacii-kodifikatory",
            "Официальные материалы для подготовки к ГИА.",
        ),
        (
            f"План работы: {community.title}",
            "https://demo.example.ru/plan-raboty",
            "План заседаний и мероприятий на учебный год.",
        ),
    ]
    for title, url, description in entries:
        material, _created = Material.objects.update_or_create(
            community=community,
            title=title,
            defaults={"url": url, "description": description, "added_by": coordinator},
        )
        material.tags.set(item["tags"])


# (mentor, mentee, state, days since proposed, subject slug, goals)
PAIRS = [
    ("m0", "e0", "active", 120, "matematika", "Подготовка к ОГЭ: текстовые задачи и геометрия"),
    ("m1", "e1", "active", 90, "matematika", "Функциональная грамотность на уроках математики"),
    ("m2", "e2", "active", 100, "russkij-yazyk", "Сочинение-рассуждение в 9 классе"),
    ("m3", "e3", "active", 150, "", "Смысловое чтение в начальной школе"),
    ("m4", "e4", "active", 80, "fizika", "Формирующее оценивание на уроках физики"),
    ("m5", "e5", "active", 200, "", "Работа с тревожностью обучающихся перед ГИА"),
    ("m6", "e6", "agreed", 12, "russkij-yazyk", "Подготовка к ЕГЭ по русскому языку"),
    ("m7", "e7", "agreed", 8, "matematika", "Работа с отстающими учениками"),
    ("m0", "e9", "agreed", 5, "matematika", "Первые годы в профессии: планирование уроков"),
    ("m1", "e7", "proposed", 3, "matematika", "Подготовка к ОГЭ по математике"),
    ("m2", "e8", "proposed", 2, "russkij-yazyk", "Орфография и пунктуация: система повторения"),
    ("m7", "teacher", "proposed", 1, "matematika", "Работа с группой риска по математике"),
    ("m1", "e0", "completed", 400, "matematika", "Подготовка к ВПР в 6–7 классах"),
    ("m2", "e6", "completed", 380, "russkij-yazyk", "Итоговое собеседование в 9 классе"),
    ("m4", "e9", "interrupted", 300, "fizika", "Лабораторные работы по физике"),
    ("m6", "e2", "interrupted", 40, "russkij-yazyk", "Подготовка к ЕГЭ"),
]

OUTCOMES = {
    "completed": "План выполнен: доля неудовлетворительных результатов в классе наставляемого снизилась; наставляемый провёл открытый урок.",
    "interrupted": "Пара прервана: наставляемый перешёл в другую школу.",
}


def _pairs(people, subjects, methodologist) -> None:
    today = timezone.localdate()
    now = timezone.now()
    for number, (mentor_key, mentee_key, state, days, subject, goals) in enumerate(PAIRS):
        mentor, mentee = people.get(mentor_key), people.get(mentee_key)
        if mentor is None or mentee is None:
            continue
        proposed = today - datetime.timedelta(days=days)
        start = proposed + datetime.timedelta(days=7)
        end = start + datetime.timedelta(days=270)
        pair = MentoringPair.objects.filter(mentor=mentor, mentee=mentee, goals=goals).first()
        if pair is None:
            pair = MentoringPair(mentor=mentor, mentee=mentee, goals=goals)
        pair.deficits = "; ".join(MENTORS[int(mentor_key[1:])][5])
        pair.start_date, pair.end_date = start, end
        pair.state = state
        pair.proposed_by = methodologist
        pair.proposed_at = now - datetime.timedelta(days=days)
        accepted = now - datetime.timedelta(days=max(days - 3, 0))
        pair.mentor_accepted_at = accepted if state != "proposed" or number % 2 else None
        pair.mentee_accepted_at = accepted if state != "proposed" else None
        if state in ("active", "completed") or (state == "interrupted" and days > 100):
            pair.activated_on = start
            pair.approved_by = methodologist
        else:
            pair.activated_on = None
            pair.approved_by = None
        if state in ("completed", "interrupted"):
            pair.ended_on = min(end, today - datetime.timedelta(days=5))
            pair.outcome = OUTCOMES[state]
        else:
            pair.ended_on, pair.outcome = None, ""
        pair.save()
        services.mentoring_support_sync(pair)
        if subject in subjects:
            pair.subjects.set([subjects[subject]])
        if pair.steps.exists():
            continue
        for step, (title, offset) in enumerate(
            [
                ("Диагностика затруднений и согласование плана", 10),
                ("Взаимопосещение уроков", 60),
                ("Открытый урок наставляемого", 150),
                ("Итоговая встреча и отчёт", 260),
            ]
        ):
            due = start + datetime.timedelta(days=offset)
            PlanStep.objects.create(
                pair=pair, title=title, due_date=due, done=due < today and step < 3
            )
        if pair.activated_on:
            # The fourth active pair has gone quiet: its last meeting is two months ago.
            last = today - datetime.timedelta(days=60 if number == 3 else 9)
            for meeting in range(3):
                date = last - datetime.timedelta(days=meeting * 21)
                if date >= start and (pair.ended_on is None or date <= pair.ended_on):
                    MeetingLog.objects.create(
                        pair=pair,
                        date=date,
                        topic=[
                            "Разбор урока",
                            "Подготовка открытого урока",
                            "Анализ диагностической работы",
                        ][meeting],
                        notes="Обсудили результаты, наметили следующие шаги.",
                        author=mentor,
                    )


def _ensure_menu_item(index) -> None:
    from wagtail.models import Site

    from portal.models import MenuItem, NavigationSettings

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return
    nav = NavigationSettings.for_site(site)
    if not nav.menu_items.filter(link_page=index).exists():
        order = nav.menu_items.count()
        MenuItem.objects.create(setting=nav, sort_order=order, title="Сообщества", link_page=index)
