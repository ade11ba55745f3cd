"""
Glossary terms in the admin, by role, as pages are (workflow/admin.py; issue 22).

An author's save of a published term is held as unpublished changes, and a new
term is a draft; "Submit for medical review" asks a medical reviewer, who
approves (and so publishes) or requests changes on the review page that pages
use too. A publisher may publish a change without review: the audit log says
so, and the pages printing the term stop naming their reviewer. Every save is
a version (the "History" view lists them, read-only). Only publishers delete.
"""

import copy

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from content.admin import PublishesChanges, person_label
from glossary.models import Term
from glossary.signals import pages_rendered_after_commit
from workflow import actions
from workflow.admin import can_publish, signoff_panel

# The buttons that decide what a save does ("_save_draft" is the plain save).
SUBMIT, PUBLISH = "_submit_review", "_publish"


class TermForm(forms.ModelForm):
    class Meta:
        model = Term
        fields = ["language", "term", "slug", "definition", "synonyms", "page", "version"]

    def clean(self):
        cleaned = super().clean()
        opened = cleaned.get("version")
        if self.instance.pk and opened is not None and opened != self.instance.version:
            raise ValidationError(
                _(
                    "Not saved: someone else saved this term after you opened it. Copy your text, open the term "
                    "again and make your change there."
                ),
                code="edit_conflict",
            )
        return cleaned


@admin.register(Term)
class TermAdmin(PublishesChanges, SimpleHistoryAdmin):
    form = TermForm
    list_display = ["term", "language", "signoff_state", "synonyms", "page"]
    list_filter = ["language", "status"]
    list_select_related = ["page", "reviewed_by"]
    search_fields = ["term", "synonyms", "definition"]
    prepopulated_fields = {"slug": ["term"]}
    autocomplete_fields = ["page"]
    change_form_template = "admin/glossary/term/change_form.html"

    # An editor's publication marks the term's pages in the request and renders them after it.
    def changeform_view(self, *args, **kwargs):
        with pages_rendered_after_commit():
            return super().changeform_view(*args, **kwargs)

    def delete_view(self, *args, **kwargs):
        with pages_rendered_after_commit():
            return super().delete_view(*args, **kwargs)

    def changelist_view(self, *args, **kwargs):
        with pages_rendered_after_commit():
            return super().changelist_view(*args, **kwargs)

    can_publish = staticmethod(can_publish)

    def revert_disabled(self, request, obj=None):
        # An old version comes back as a new change, through review like any other.
        return True

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        # A published term's language stays (a term in the other language is a new term); shown, and
        # still in the form, so a word or slug another term of the language has is refused there.
        form.base_fields["language"].disabled = obj is not None and obj.is_published
        return form

    @admin.display(description=_("status"), ordering="status")
    def signoff_state(self, term):
        if not term.is_published:
            return gettext("Draft (not public)")
        if not term.review_is_current:
            return gettext("Published without medical review")
        if term.reviewed_by_id:
            return gettext("Medically reviewed by %(name)s on %(date)s") % {
                "name": person_label(term.reviewed_by),
                "date": term.last_reviewed,
            }
        return gettext("Published (starting text)")

    # --- The change form shows the proposed change -----------------------------

    def get_object(self, request, object_id, from_field=None):
        term = super().get_object(request, object_id, from_field)
        if term is not None:
            # What readers see now, before the form's proposed values cover it (save_model holds them back).
            term._as_stored = copy.copy(term)
            term.live_values = {name: getattr(term, name) for name in Term.DRAFTABLE_FIELDS}
            if request.resolver_match.url_name == "glossary_term_change":
                term.show_unpublished_changes()
        return term

    def save_model(self, request, obj, form, change):
        publishing = PUBLISH in request.POST and self.can_publish(request)
        if publishing:
            obj.unpublished_changes, obj.status = {}, Term.Status.PUBLISHED
            obj._change_reason = gettext("Published without medical review")
        elif change and obj.is_published:
            # Readers keep the published term; the edit waits for review.
            proposed = {name: getattr(obj, name) for name in Term.DRAFTABLE_FIELDS}
            obj.unpublished_changes = {} if proposed == obj.live_values else proposed
            for name, value in obj.live_values.items():
                setattr(obj, name, value)
            obj._change_reason = gettext("Saved unpublished changes (not public)")
        else:
            obj.status = Term.Status.DRAFT
        super().save_model(request, obj, form, change)
        level = messages.SUCCESS
        if SUBMIT in request.POST:
            actions.submit(obj, request.user)
            message = _("Submitted for medical review. A medical reviewer will approve it or ask for changes.")
        elif publishing:
            level = messages.WARNING
            message = _(
                "Published without medical review. Readers see it now; the pages that use it no longer say "
                "“Medically reviewed by” until a medical reviewer approves the term."
            )
        elif obj.unpublished_changes:
            message = _(
                "Saved as unpublished changes. Readers still see the published term. Submit it for medical review."
            )
        elif not obj.is_published:
            message = _("Saved as a draft. Readers do not see it until it is published. Submit it for medical review.")
        else:
            return
        self.message_user(request, message, level)

    # Back to the term, where the sign-off panel says what happens next (save_model's message says what happened).
    def response_add(self, request, obj, post_url_continue=None):
        return redirect("admin:glossary_term_change", obj.pk)

    def response_change(self, request, obj):
        return redirect("admin:glossary_term_change", obj.pk)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        stored = Term.objects.filter(pk=obj.pk).select_related("reviewed_by").first() if obj else None
        context["workflow"] = {"stored": stored, **signoff_panel(request, stored)}
        return super().render_change_form(request, context, add, change, form_url, obj)
