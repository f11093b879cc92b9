# ruff: noqa: RUF100 -- the import lines below carry E402 for the hooks merged above them.
from . import hooks_indicators  # noqa: F401,E402
