from django.db import migrations

# School subjects of the Russian curriculum (ФГОС), in the usual order of a timetable.
SUBJECTS = [
    ("Русский язык", "russkij-yazyk"),
    ("Литература", "literatura"),
    ("Родной язык и литература", "rodnoj-yazyk"),
    ("Математика", "matematika"),
    ("Алгебра", "algebra"),
    ("Геометрия", "geometriya"),
    ("Вероятность и статистика", "veroyatnost-i-statistika"),
    ("Информатика", "informatika"),
    ("Физика", "fizika"),
    ("Химия", "himiya"),
    ("Биология", "biologiya"),
    ("География", "geografiya"),
    ("История", "istoriya"),
    ("Обществознание", "obshchestvoznanie"),
    ("Иностранный язык", "inostrannyj-yazyk"),
    ("Окружающий мир", "okruzhayushchij-mir"),
    ("Изобразительное искусство", "izo"),
    ("Музыка", "muzyka"),
    ("Труд (технология)", "trud-tehnologiya"),
    ("Физическая культура", "fizicheskaya-kultura"),
    ("Основы безопасности и защиты Родины", "obzr"),
    ("Начальные классы", "nachalnye-klassy"),
    ("Воспитательная работа", "vospitatelnaya-rabota"),
    ("Управление школой", "upravlenie-shkoloj"),
]


def seed(apps, schema_editor):
    Subject = apps.get_model("portal", "Subject")
    for order, (name, slug) in enumerate(SUBJECTS):
        Subject.objects.update_or_create(slug=slug, defaults={"name": name, "sort_order": order * 10})


def unseed(apps, schema_editor):
    apps.get_model("portal", "Subject").objects.filter(slug__in=[slug for _name, slug in SUBJECTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("portal", "0004_subjects_and_feature_cards")]

    operations = [migrations.RunPython(seed, unseed)]
