"""Methodologists run communities and form mentoring pairs (domain.md, «People»): they get the
permissions of the communities' admin screens; administrators get all of them (their group
was given every permission before these models existed)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

METHODOLOGIST = "Методист"
ADMINISTRATOR = "Администратор"
MODELS = ["membership", "event", "eventregistration", "mentoringpair", "mentorprofile", "material"]
METHODOLOGIST_ACTIONS = ["add", "change", "delete", "view"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("communities")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    own = Permission.objects.filter(content_type__app_label="communities")
    methodologist = Group.objects.filter(name=METHODOLOGIST).first()
    if methodologist is not None:
        codenames = [f"{action}_{model}" for model in MODELS for action in METHODOLOGIST_ACTIONS]
        methodologist.permissions.add(*own.filter(codename__in=codenames))
    administrator = Group.objects.filter(name=ADMINISTRATOR).first()
    if administrator is not None:
        administrator.permissions.add(*own)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    own = Permission.objects.filter(content_type__app_label="communities")
    for group in Group.objects.filter(name__in=[METHODOLOGIST, ADMINISTRATOR]):
        group.permissions.remove(*own)


class Migration(migrations.Migration):
    dependencies = [
        ("communities", "0001_initial"),
        ("portal", "0003_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
