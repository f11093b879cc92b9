from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission

from portal import roles


def grant_administrators_everything(sender, using="default", apps=None, **kwargs):
    """«Администратор» may do everything (domain.md): every permission that exists now.

    Runs for every app after migrate. This receiver is connected before auth's own, so the
    sender's permissions are created here first (create_permissions is idempotent).
    """
    create_permissions(sender, verbosity=0, using=using)
    group = Group.objects.using(using).filter(name=roles.ADMINISTRATOR).first()
    if group is not None:
        group.permissions.set(Permission.objects.using(using).all())
