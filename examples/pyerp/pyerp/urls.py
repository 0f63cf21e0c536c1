from django.contrib import admin
from django.urls import path

from core import views

urlpatterns = [
    path("health/", views.health, name="health"),
    path("documents/sample.pdf", views.sample_pdf, name="sample-pdf"),
    path("admin/", admin.site.urls),
]
