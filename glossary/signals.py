"""
Glossary marking happens when page HTML is produced, not per request.

- A page being saved: after `Page.save()` has rendered and sanitised the body
  (it sets `body_html` before the model is written), `pre_save` marks the
  terms in it.
- The glossary changing: every page is re-rendered and re-marked, and each
  page whose HTML changes is saved again (body HTML only, so its "updated"
  date, which the sitemap reports, stays the same); any cache invalidated by
  page saves is invalidated for exactly those pages.
"""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from content import markdown
from content.models import Page
from glossary.marking import entries_from, mark_terms
from glossary.models import Term


@receiver(pre_save, sender=Page, dispatch_uid="glossary_mark_page")
def mark_page(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or (update_fields is not None and "body_html" not in update_fields):
        return
    instance.body_html = mark_terms(instance.body_html, entries_from(Term.objects.all()))


@receiver(post_save, sender=Term, dispatch_uid="glossary_term_saved")
@receiver(post_delete, sender=Term, dispatch_uid="glossary_term_deleted")
def remark_all_pages(sender, raw=False, **kwargs):
    if raw:
        return
    entries = entries_from(Term.objects.all())
    for page in Page.objects.all():
        # Saving is what re-indexes the page and invalidates caches: only
        # pages whose marked HTML actually changes are saved.
        if mark_terms(markdown.render(page.body).html, entries) != page.body_html:
            page.save(update_fields=["body_html"])
