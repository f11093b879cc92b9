from django.contrib.auth.models import Group, Permission

from portal import roles


def grant_administrators_everything(sender, using="default", **kwargs):
    """«Администратор» may do everything (domain.md): every permission that exists now."""
    group = Group.objects.using(using).filter(name=roles.ADMINISTRATOR).first()
    if group is not None:
        group.permissions.set(Permission.objects.using(using).all())
