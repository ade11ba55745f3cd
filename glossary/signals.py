"""
A term is printed in the pages that use it (glossary.marking, at render time of
the page's HTML), so a change to a term renders those pages' HTML again
(`content.models.rederive`, which tells publishing), and the glossary page.
"""

from django.db.models import Q
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from content import publishing
from content.models import Page, rederive
from glossary.models import Term


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
    with publishing.batch():
        pages = Page.objects.filter(uses, language=instance.language)
        rederive(pages)
        # The glossary page lists every term; the pages' own renders follow from rederive.
        publishing.record(paths=publishing.language_paths(instance.language)[2:])
