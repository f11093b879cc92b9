def accessibility(request):
    """Expose the accessibility mode (версия для слабовидящих) chosen by the visitor."""
    value = request.COOKIES.get("a11y", "")
    size, _sep, scheme = value.partition(":")
    enabled = bool(value)
    return {
        "a11y": {
            "enabled": enabled,
            "size": size if enabled else "normal",
            "scheme": scheme if enabled else "default",
        }
    }
