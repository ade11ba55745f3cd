import logging

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


def after_migrate(**kwargs):
    """Pages written by data migrations have no stored HTML yet; and migrated content is published again."""
    from content import publishing  # noqa: PLC0415  (models are loaded now)
    from content.models import Page, rederive  # noqa: PLC0415

    rederive(Page.objects.filter(body_html="").exclude(body=""))
    try:
        publishing.render_all()
    except Exception:  # e.g. before collectstatic: readers get live pages until `render_pages` runs
        logger.warning("The public pages were not stored after migrate; run `manage.py render_pages`.", exc_info=True)


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = _("Content")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from content import publishing  # noqa: F401, PLC0415  (connects the receivers that publish every change)
        from content.admin import hide_sign_in_records_from_editors  # noqa: PLC0415  (the admin is loaded now)

        hide_sign_in_records_from_editors()
        post_migrate.connect(after_migrate, sender=self, dispatch_uid="content_after_migrate")
