"""Create the portal's roles as groups, with the permissions of domain.md («People»).

Teachers and heads act on the public site only; their rights there are checked per object
(a head edits their own school). Methodologists and administrators work in the Wagtail admin.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

TEACHER = "Учитель"
SCHOOL_HEAD = "Руководитель ОО"
METHODOLOGIST = "Методист"
ADMINISTRATOR = "Администратор"

METHODOLOGIST_MODEL_PERMISSIONS = {
    ("wagtailadmin", "admin"): ["access_admin"],
    ("portal", "school"): ["add_school", "change_school", "view_school"],
    ("portal", "schoolstatus"): [
        "add_schoolstatus",
        "change_schoolstatus",
        "delete_schoolstatus",
        "view_schoolstatus",
    ],
    ("portal", "user"): ["view_user", "confirm_membership"],
}
METHODOLOGIST_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page"]
METHODOLOGIST_COLLECTION_PERMISSIONS = {
    ("wagtaildocs", "document"): ["add_document", "change_document", "choose_document"],
    ("wagtailimages", "image"): ["add_image", "change_image", "choose_image"],
}
ADMINISTRATOR_PAGE_PERMISSIONS = [
    "add_page",
    "change_page",
    "publish_page",
    "bulk_delete_page",
    "lock_page",
    "unlock_page",
]


def ensure_permissions(apps):
    # Permissions are normally created after migrate; create them now so the groups can
    # reference them on a fresh database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def create_roles(apps, schema_editor):
    ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    def perms(app_label, model, codenames):
        return list(
            Permission.objects.filter(
                content_type__app_label=app_label,
                content_type__model=model,
                codename__in=codenames,
            )
        )

    for name in (TEACHER, SCHOOL_HEAD):
        Group.objects.get_or_create(name=name)

    root_page = Page.objects.filter(depth=1).first()
    root_collection = Collection.objects.filter(depth=1).first()

    methodologist, _ = Group.objects.get_or_create(name=METHODOLOGIST)
    for (app_label, model), codenames in METHODOLOGIST_MODEL_PERMISSIONS.items():
        methodologist.permissions.add(*perms(app_label, model, codenames))

    administrator, _ = Group.objects.get_or_create(name=ADMINISTRATOR)
    # Administrators may do everything, including managing users and site settings.
    administrator.permissions.set(Permission.objects.all())

    for group, page_codenames in (
        (methodologist, METHODOLOGIST_PAGE_PERMISSIONS),
        (administrator, ADMINISTRATOR_PAGE_PERMISSIONS),
    ):
        if root_page is not None:
            for permission in perms("wagtailcore", "page", page_codenames):
                GroupPagePermission.objects.get_or_create(
                    group=group, page=root_page, permission=permission
                )
        if root_collection is not None:
            for (app_label, model), codenames in METHODOLOGIST_COLLECTION_PERMISSIONS.items():
                for permission in perms(app_label, model, codenames):
                    GroupCollectionPermission.objects.get_or_create(
                        group=group, collection=root_collection, permission=permission
                    )
            if group is administrator:
                for app_label, model in (("wagtaildocs", "document"), ("wagtailimages", "image")):
                    for permission in perms(app_label, model, [f"delete_{model}"]):
                        GroupCollectionPermission.objects.get_or_create(
                            group=group, collection=root_collection, permission=permission
                        )


def remove_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=[TEACHER, SCHOOL_HEAD, METHODOLOGIST, ADMINISTRATOR]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0002_site_pages"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
