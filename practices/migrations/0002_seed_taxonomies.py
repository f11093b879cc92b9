from django.db import migrations

# Problems a practice addresses: the risk factors and measures of the source documents
# (seeds 000, 001, 003). Editors extend the list in the admin.
PROBLEMS = [
    ("Подготовка к ГИА", "podgotovka-k-gia"),
    ("Работа с группами риска", "gruppy-riska"),
    ("Низкая учебная мотивация", "nizkaya-motivaciya"),
    ("Индивидуальные учебные планы", "individualnye-plany"),
    ("Наставничество", "nastavnichestvo"),
    ("Управление качеством образования", "upravlenie-kachestvom"),
    ("Внутренняя система оценки качества", "vsoko"),
    ("Объективность оценивания", "obektivnost-ocenivaniya"),
    ("Профилактика деструктивного поведения", "profilaktika-destruktivnogo-povedeniya"),
    ("Работа с родителями", "rabota-s-roditelyami"),
    ("Цифровая образовательная среда", "cifrovaya-sreda"),
    ("Кадровый дефицит и профессиональный рост педагогов", "kadrovyj-deficit"),
    ("Психолого-педагогическое сопровождение", "psihologicheskoe-soprovozhdenie"),
    ("Функциональная грамотность", "funkcionalnaya-gramotnost"),
    ("Адаптация детей-мигрантов и русский язык как неродной", "adaptaciya-migrantov"),
]

GRADE_LEVELS = [
    ("Начальное общее образование", "noo", "1–4"),
    ("Основное общее образование", "ooo", "5–9"),
    ("Среднее общее образование", "soo", "10–11"),
]


def seed(apps, schema_editor):
    Problem = apps.get_model("practices", "Problem")
    GradeLevel = apps.get_model("practices", "GradeLevel")
    for order, (name, slug) in enumerate(PROBLEMS):
        Problem.objects.update_or_create(slug=slug, defaults={"name": name, "sort_order": order * 10})
    for order, (name, slug, grades) in enumerate(GRADE_LEVELS):
        GradeLevel.objects.update_or_create(
            slug=slug, defaults={"name": name, "grades": grades, "sort_order": order * 10}
        )


def unseed(apps, schema_editor):
    apps.get_model("practices", "Problem").objects.filter(slug__in=[s for _n, s in PROBLEMS]).delete()
    apps.get_model("practices", "GradeLevel").objects.filter(slug__in=[s for _n, s, _g in GRADE_LEVELS]).delete()


class Migration(migrations.Migration):
    dependencies = [("practices", "0001_practices_bank")]

    operations = [migrations.RunPython(seed, unseed)]
