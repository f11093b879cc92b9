"""Registers the monitoring demo data with `manage.py load_demo`."""

from wagtail import hooks


@hooks.register("portal_load_demo")
def load_monitoring_demo(stdout):
    from .demo import build

    build(stdout)
