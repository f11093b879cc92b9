A11Y_FONT_SIZES = ("normal", "large", "xlarge")
A11Y_SCHEMES = ("default", "contrast", "inverted")


def accessibility(request):
    """Expose the accessibility mode (версия для слабовидящих) chosen by the visitor.

    The cookie comes from the browser, so only known values reach the page's classes.
    """
    value = request.COOKIES.get("a11y", "")
    size, _sep, scheme = value.partition(":")
    enabled = size in A11Y_FONT_SIZES and scheme in A11Y_SCHEMES
    return {
        "a11y": {
            "enabled": enabled,
            "size": size if enabled else "normal",
            "scheme": scheme if enabled else "default",
        }
    }
