"""
Glossary marking happens when page HTML is produced, not per request.

- A page being rendered (on save, in previews): `Page.render()` passes the
  sanitised HTML through `glossary.marking.mark_with_current_terms`, listed
  in settings.CONTENT_HTML_FILTERS.
- The glossary changing: every page of the term's language is re-rendered and re-marked, and each
  page whose HTML changes is saved again (body HTML only, so its "updated"
  date, which the sitemap reports, stays the same); any cache invalidated by
  page saves is invalidated for exactly those pages.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from content import markdown
from content.models import Page
from glossary.marking import entries_from, mark_terms
from glossary.models import Term


@receiver(post_save, sender=Term, dispatch_uid="glossary_term_saved")
@receiver(post_delete, sender=Term, dispatch_uid="glossary_term_deleted")
def remark_all_pages(sender, instance, raw=False, **kwargs):
    if raw:
        return
    language = instance.language
    entries = entries_from(Term.objects.filter(language=language), language)
    for page in Page.objects.filter(language=language):
        # Saving is what re-indexes the page and invalidates caches: only
        # pages whose marked HTML actually changes are saved.
        marked = mark_terms(markdown.render(page.body, language=language).html, entries, language=language, page=page)
        if marked != page.body_html:
            page.save(update_fields=["body_html"])
