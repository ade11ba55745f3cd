"""
The content's fingerprint: a short string that changes whenever anything a
reader can be shown changes, read from the database in two cheap queries.
Responses kept in a cache under a key that carries it (the sitemap, search
results) are never stale, in any worker or container, and need no invalidation:
a change makes a new key and old keys expire.

It never repeats a value for different content:
- every save and every deletion of a page writes a history row
  (django-simple-history), so the newest history id only grows;
- between two saves, what is published changes only when a publish-at time
  passes, which only raises `Page.objects.published().count()`;
- the page count and the sum of versions catch changes made without history
  (bulk operations).
Search results also depend on the glossary marks in the page HTML: a glossary
change re-saves the pages whose HTML changes, which writes history too.
"""

from django.db.models import Count, Max, Subquery, Sum

from content.models import Page


def content_fingerprint():
    newest_version = Page.history.order_by("-history_id").values("history_id")[:1]
    totals = Page.objects.aggregate(latest=Max(Subquery(newest_version)), count=Count("pk"), versions=Sum("version"))
    published = Page.objects.published().count()
    return f"{totals['latest'] or 0}.{published}.{totals['count']}.{totals['versions'] or 0}"
