"""
Glossary marking happens when page HTML is produced, not per request.

- A page being rendered (on save, in previews): `Page.render()` passes the
  sanitised HTML through `glossary.marking.mark_with_current_terms`, listed
  in settings.CONTENT_HTML_FILTERS.
- A term changing: only the pages of its language that use it (their text
  has one of its words, or their HTML links to it) are rendered again, through
  `content.models.rerender()`: stored with update(), no page history, no new
  "updated" date, and only those pages leave the page cache.
"""

from django.db.models import Q
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from content.models import Page, rerender
from glossary.models import Term
from pagecache import invalidate


@receiver(pre_save, sender=Term, dispatch_uid="glossary_term_before_save")
def remember_old_words(sender, instance, raw=False, **kwargs):
    instance._old = Term.objects.filter(pk=instance.pk).first() if instance.pk and not raw else None


@receiver(post_save, sender=Term, dispatch_uid="glossary_term_saved")
@receiver(post_delete, sender=Term, dispatch_uid="glossary_term_deleted")
def remark_pages_using_the_term(sender, instance, raw=False, **kwargs):
    if raw:
        return
    uses = Q()
    for term in (instance, getattr(instance, "_old", None)):
        if term is not None:
            uses |= Q(body_html__contains=f'#term-{term.slug}"')
            for word in (term.term, *term.synonym_list):
                # SQLite's LIKE ignores case for ASCII only: "Æ" and "æ" are asked for apart.
                uses |= Q(body__icontains=word) | Q(body__icontains=word.lower()) | Q(body__icontains=word.title())
    rerender(Page.objects.filter(uses, language=instance.language))
    invalidate()  # the glossary page itself (it depends on "any" change)
