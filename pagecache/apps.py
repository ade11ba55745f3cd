from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def migrated(**kwargs):
    # Data migrations change content without telling anyone: every cached page is out of date.
    from pagecache import invalidate

    invalidate("site")


class PageCacheConfig(AppConfig):
    name = "pagecache"
    verbose_name = _("Page cache")

    def ready(self):
        post_migrate.connect(migrated, sender=self, dispatch_uid="pagecache_migrated")
