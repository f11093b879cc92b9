"""Glue between allauth and django-axes."""


def axes_username(request, credentials=None) -> str | None:
    """The account a login attempt is for. allauth authenticates with `email=…`, so axes'
    default lookup of `username` would see None and lock the whole address instead."""
    credentials = credentials or {}
    value = credentials.get("email") or credentials.get("username")
    if not value and request is not None:
        value = request.POST.get("login") or request.POST.get("email")
    return value.strip().lower() if value else None
