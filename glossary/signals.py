"""
A term is printed in the pages that use it (glossary.marking, when the page's
HTML is rendered). When what readers see of a term changes (it is published,
its published text changes, or it goes), those pages are marked again and
publishing renders them and the glossary page (workflow/signals.py logs the
change). An author's held change or a draft term changes nothing readers see,
so it costs nothing here.

Marking again is bounded work however many pages print the term: the candidate
pages are read in one query, the terms once (`marking.terms_read_once`), the
changed HTML written in one query. Only the HTML and the reading time change
with a term: the cross-links and the content checks read the author's text.
"""

import contextvars

from django.db.models import Q
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from content import markdown, publishing
from content.models import Page, derived_fields_changed
from content.scoped import scoped
from glossary import marking
from glossary.models import Term

# Whether a term's pages are rendered after the commit, the live view answering them meanwhile: for an editor's
# publication in the admin or an approval (the request stays short). Elsewhere (seeding, the shell) they render
# as page changes do.
_render_later = contextvars.ContextVar("glossary_render_later", default=False)


def pages_rendered_after_commit():
    return scoped(_render_later, True)


def seen_by_readers(term):
    """What readers see of `term`, and whether the pages printing it keep their reviewer; None for a draft."""
    if term is None or not term.is_published:
        return None
    shown = (getattr(term, name) for name in ("language", "status", *Term.DRAFTABLE_FIELDS))
    return (*shown, term.review_is_current)


@receiver(pre_save, sender=Term, dispatch_uid="glossary_term_before_save")
def remember_what_readers_saw(sender, instance, raw=False, **kwargs):
    # A caller that has just read the stored row (the admin, an approval) hands it over: no second read.
    stored = instance.__dict__.pop("_as_stored", None)
    if stored is None and instance.pk and not raw:
        stored = Term.objects.filter(pk=instance.pk).first()
    instance._old = stored


@receiver(post_save, sender=Term, dispatch_uid="glossary_term_saved")
def publish_what_readers_see(sender, instance, raw=False, **kwargs):
    if raw:
        return
    before, after = seen_by_readers(instance._old), seen_by_readers(instance)
    if before == after:
        return  # a draft, or a change held for review: readers see nothing new
    mark_pages_again(instance._old if before else None, instance if after else None)


@receiver(post_delete, sender=Term, dispatch_uid="glossary_term_deleted")
def unmark_a_deleted_term(sender, instance, **kwargs):
    if instance.is_published:
        mark_pages_again(instance)


def mark_pages_again(*terms):
    """Mark again the pages that use (or may now use) these versions of a term; publish them and the glossary."""
    terms = [term for term in terms if term is not None]
    languages = {term.language for term in terms}
    uses = Q()
    for term in terms:
        uses |= Q(body_html__contains=f'#term-{term.slug}"')
        for word in (term.term, *term.synonym_list):
            # SQLite's LIKE ignores case for ASCII only: "Æ" and "æ" are asked for apart.
            uses |= Q(body__icontains=word) | Q(body__icontains=word.lower()) | Q(body__icontains=word.title())
    pages = Page.objects.filter(uses, language__in=languages).only(
        "language", "slug", "title", "summary", "body", "body_html"
    )
    changed = []
    with publishing.batch(), marking.terms_read_once():
        for page in pages:
            _rendered, body_html = markdown.render_page(page.body, page.language, page=page)
            if body_html != page.body_html:
                page.body_html = body_html
                page.reading_minutes = page.reading_time()
                changed.append(page)
        Page.objects.bulk_update(changed, ["body_html", "reading_minutes"])
        if changed:
            derived_fields_changed.send(sender=Page, pages=[page.pk for page in changed])
        # The glossary page lists every term; the pages and the pages showing them follow from their change.
        glossary_paths = [publishing.language_paths(language)[2] for language in sorted(languages)]
        publishing.record(paths=glossary_paths, render_later=_render_later.get())
