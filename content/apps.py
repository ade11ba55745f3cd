from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = _("Content")

    def ready(self):
        from content.admin import hide_sign_in_records_from_editors  # noqa: PLC0415  (the admin is loaded now)

        hide_sign_in_records_from_editors()
