"""
The content's fingerprint: a short string that changes whenever what a reader
can be shown changes, read in one small query (an index range scan). Responses
kept in a cache under a key that carries it (the sitemap, search results) are
never stale in any worker or container and need no invalidation: a change
makes a new key, and old keys expire.

Why it never repeats for different content:
- every save and every deletion of a page writes a history row
  (django-simple-history), so the newest history id grows. Ids are handed out
  before commit, so a slow transaction can commit an id below the newest one:
  the count of rows among the newest `WINDOW` ids catches that;
- between two saves, what is published changes only when a publish-at time
  passes: the fingerprint counts the scheduled times that have passed, from
  the list of them kept in the cache per content state (read once per change).
Read it before rendering what is cached under it, so content newer than the
fingerprint may be kept under it, never older content.

Changes that bypass `Page.save()` and its history (`bulk_create()`,
`QuerySet.update()`, raw SQL) are not seen: follow them with a save, as the
admin, `import_pages`, `seed_site` and `publish_due` all do.
"""

import bisect

from django.core.cache import cache
from django.db.models import Count, Max, Subquery
from django.utils import timezone

from content.models import Page

WINDOW = 1000
CACHE_SECONDS = 24 * 60 * 60


def content_fingerprint():
    newest = Page.history.order_by("-history_id").values("history_id")[:1]
    recent = Page.history.filter(history_id__gt=Subquery(newest) - WINDOW).aggregate(
        newest=Max("history_id"), count=Count("history_id")
    )
    state = f"{recent['newest'] or 0}.{recent['count']}"
    key = f"publish-times:{state}"
    times = cache.get(key)
    if times is None:
        times = sorted(Page.objects.filter(publish_at__isnull=False).values_list("publish_at", flat=True))
        cache.set(key, times, CACHE_SECONDS)
    return f"{state}.{bisect.bisect_right(times, timezone.now())}"
