"""Storage of private files: agreements' PDFs and attachments, discussion attachments.

They live outside MEDIA_ROOT (PRIVATE_MEDIA_ROOT), so no web server serves them by URL;
views hand them out with FileResponse after checking who asks.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    def __init__(self):
        super().__init__(base_url=None)

    # Read from the settings each time, so tests that move the directory are followed.
    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("A private file has no URL: serve it through a view that checks access.")


_private = PrivateStorage()


def private_storage() -> PrivateStorage:
    """For FileField(storage=private_storage): migrations keep the reference, not a path."""
    return _private
