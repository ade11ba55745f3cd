from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")

    def ready(self):
        from search.models import reindex_page

        post_save.connect(reindex_page, sender="content.Page", dispatch_uid="search_index_page")
