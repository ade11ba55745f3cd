from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def fill_derived_fields(**kwargs):
    """Pages written by data migrations or bulk loads have no listing yet: derive them once."""
    from content.models import Page, refresh_listings

    for page in Page.objects.filter(listing={}):
        page.render()
        Page.objects.filter(pk=page.pk).update(
            body_html=page.body_html, quality_warnings=page.quality_warnings, sections=page.sections
        )
    missing = set(Page.objects.filter(listing={}).values_list("pk", flat=True))
    if missing:
        refresh_listings(missing)


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = _("Content")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from content.admin import hide_sign_in_records_from_editors  # noqa: PLC0415  (the admin is loaded now)

        hide_sign_in_records_from_editors()
        post_migrate.connect(fill_derived_fields, sender=self, dispatch_uid="content_fill_derived_fields")
