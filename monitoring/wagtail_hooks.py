# ruff: noqa: RUF100 (the E402 of the lines below matters once other parts add code above)
from . import hooks_analysis  # noqa: F401,E402
