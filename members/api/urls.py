"""Routes of the members API; ``portal.api_urls`` mounts them at ``/api/v1/``."""

from django.urls import path

from .intake import WorkerBulkUpsertView

urlpatterns = [
    path("workers/bulk/", WorkerBulkUpsertView.as_view(), name="worker-bulk"),
]
