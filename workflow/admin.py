"""
Clinical sign-off in the admin.

- The page admin by role: authors submit changes for medical review; medical
  reviewers approve (publish) them or request changes on the review page;
  publishers may publish directly, but never a page that fails its checks.
  It is content's PageAdmin, extended and registered here, so the content app
  does not depend on the workflow.
- The audit log, exported as CSV; redirects from old slugs; the "due for
  review" panel on the admin index.
"""

import csv

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Subquery
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from content.admin import PageAdmin, SourceInline, person_label
from content.models import Page, Source
from workflow import actions
from workflow.models import AuditEntry, ReviewRequest, SlugRedirect, TranslationUpdate

# The admin index shows the "due for review" panel above the apps.
admin.site.index_template = "admin/workflow/index.html"

PUBLISH_PERMISSION = "workflow.publish_page"
APPROVE_PERMISSION = "workflow.approve_change"


# Where a page stands in sign-off: the page list's filter, and the notes of its status column.
# Each is (label, lookup on the annotations of WorkflowPageAdmin.get_queryset).
SIGNOFF_STATES = {
    "waiting": (_("Waiting for medical review"), {"latest_review_state": ReviewRequest.State.PENDING}),
    "changes": (_("Changes requested"), {"latest_review_state": ReviewRequest.State.CHANGES_REQUESTED}),
    "translation": (_("Translation needs update"), {"translation_outdated": True}),
}


class WorkflowStateFilter(admin.SimpleListFilter):
    title = _("medical sign-off")
    parameter_name = "signoff"

    def lookups(self, request, model_admin):
        return [(value, label) for value, (label, _lookup) in SIGNOFF_STATES.items()]

    def queryset(self, request, queryset):
        if self.value() in SIGNOFF_STATES:
            return queryset.filter(**SIGNOFF_STATES[self.value()][1])
        return queryset


class ReadOnly:
    """Shown in the admin, never added, changed or deleted there."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ListedSourceInline(ReadOnly, SourceInline):
    """The sources of a published page, shown to an author who may not change them (a publisher may)."""

    extra = 0


def _latest_review(page_ref):
    return ReviewRequest.objects.filter(page=page_ref).exclude(state=ReviewRequest.State.WITHDRAWN)


def can_publish(request):
    return request.user.has_perm(PUBLISH_PERMISSION)


def signoff_panel(request, subject):
    """The sign-off panel of a page's or a glossary term's change form; `subject` None for a new one."""
    open_review = ReviewRequest.open_for(subject) if subject else None
    latest = ReviewRequest.of(subject).exclude(state=ReviewRequest.State.WITHDRAWN).first() if subject else None
    user = request.user
    return {
        "open_review": open_review,
        "changes_requested": latest if latest and latest.state == ReviewRequest.State.CHANGES_REQUESTED else None,
        "can_decide": bool(
            open_review
            and user.has_perm(APPROVE_PERMISSION)
            and user.pk not in actions.authors_of_change(subject, open_review)
        ),
        "can_publish": can_publish(request),
    }


class WorkflowPageAdmin(PageAdmin):
    """Content's page admin with the sign-off rules on top."""

    def get_queryset(self, request):
        latest_state = _latest_review(OuterRef("pk")).order_by("-submitted_at", "-pk").values("state")[:1]
        outdated = Exists(TranslationUpdate.objects.filter(page=OuterRef("pk")))
        pages = super().get_queryset(request)
        return pages.annotate(latest_review_state=Subquery(latest_state), translation_outdated=outdated)

    def get_list_display(self, request):
        # Where the page stands, in one column (published or draft, and its sign-off),
        # so the list still fits a 1,280 px screen.
        return [("signoff_state" if name == "status" else name) for name in super().get_list_display(request)]

    def get_list_filter(self, request):
        return [WorkflowStateFilter, *super().get_list_filter(request)]

    @admin.display(description=_("status"), ordering="status")
    def signoff_state(self, page):
        notes = [
            str(label)
            for label, lookup in SIGNOFF_STATES.values()
            if all(getattr(page, name, None) == value for name, value in lookup.items())
        ]
        if not notes:
            return page.get_status_display()
        return format_html('{}<br><span class="check-warning">{}</span>', page.get_status_display(), "; ".join(notes))

    # --- Who may change what --------------------------------------------------

    can_publish = staticmethod(can_publish)

    def get_readonly_fields(self, request, obj=None):
        # The review record comes from a medical reviewer's approval only, for everyone.
        fields = [*super().get_readonly_fields(request, obj), "last_reviewed", "reviewed_by"]
        if not self.can_publish(request):
            fields += ["status", "publish_at", "next_review_due"]
            if obj is not None and obj.is_published:
                # What readers see of a published page changes only through review: the
                # text is held as unpublished changes; the rest only a publisher changes.
                fields += ["slug", "language", "family", "parent", "order", "related", "translation"]
        return fields

    def get_prepopulated_fields(self, request, obj=None):
        if "slug" in self.get_readonly_fields(request, obj):
            return {}
        return super().get_prepopulated_fields(request, obj)

    def get_inlines(self, request, obj):
        if obj is not None and obj.is_published and not self.can_publish(request):
            return [ListedSourceInline]
        return super().get_inlines(request, obj)

    # --- Saving -----------------------------------------------------------------

    def _create_formsets(self, request, obj, change):
        # Django's hook that builds (and then validates) the inline formsets:
        # kept on the request so save_model knows whether the page will have sources.
        formsets, inline_instances = super()._create_formsets(request, obj, change)
        request._workflow_formsets = formsets
        return formsets, inline_instances

    @staticmethod
    def _will_have_sources(request, obj):
        for formset in getattr(request, "_workflow_formsets", []):
            if formset.model is Source:
                return any(form.cleaned_data and not form.cleaned_data.get("DELETE") for form in formset.forms)
        return obj.pk is not None and obj.sources.exists()

    def save_model(self, request, obj, form, change):
        live = self.live_page(form, obj) if change else None
        submitting = "_submit_review" in request.POST
        if "_publish" in request.POST and self.can_publish(request):
            obj.status = Page.Status.PUBLISHED
        scheduled = obj.publish_at is not None and obj.publish_at > timezone.now()
        hold = submitting or "_save_draft" in request.POST
        if obj.status == Page.Status.PUBLISHED and not hold and not scheduled:
            if not self.can_publish(request):
                hold = True
                self.message_user(
                    request,
                    _("Saved as unpublished changes. Submit them for medical review to have them published."),
                    messages.WARNING,
                )
            else:
                obj.render()
                problems = obj.publication_problems(has_sources=self._will_have_sources(request, obj))
                if problems:
                    hold = True
                    self.message_user(
                        request,
                        _("Not published: %(problems)s Your text is saved as unpublished changes.")
                        % {"problems": " ".join(problems)},
                        messages.ERROR,
                    )
        if hold:
            if live is not None and live.is_published:
                request.POST = request.POST.copy()
                request.POST["_save_draft"] = "1"  # content's PageAdmin keeps it as unpublished changes
            else:
                obj.status = Page.Status.DRAFT
        super().save_model(request, obj, form, change)
        if submitting:
            actions.submit(obj, request.user)
            self.message_user(
                request,
                _("Submitted for medical review. A medical reviewer will approve it or ask for changes."),
                messages.SUCCESS,
            )

    def response_add(self, request, obj, post_url_continue=None):
        if {"_submit_review", "_save_draft", "_publish"} & set(request.POST):
            return redirect("admin:content_page_change", obj.pk)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if {"_submit_review", "_publish"} & set(request.POST):
            return redirect("admin:content_page_change", obj.pk)
        return super().response_change(request, obj)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        response = super().render_change_form(request, context, add, change, form_url, obj)
        context = response.context_data
        stored = obj is not None and obj.pk is not None
        context["workflow"] = {
            **signoff_panel(request, obj if stored else None),
            "translation_update": TranslationUpdate.objects.filter(page=obj).select_related("because_of").first()
            if stored
            else None,
        }
        if context.get("has_draft") and not self.can_publish(request):
            # Content's notice tells a publisher that "Save" publishes; an author gets this one instead.
            context["has_draft"] = False
            context["workflow"]["unpublished_changes"] = True
        response.template_name = "admin/workflow/page_change_form.html"
        return response

    # --- Restore: a publisher's decision, logged --------------------------------

    def restore_view(self, request, object_id, history_id):
        if not self.can_publish(request):
            raise PermissionDenied
        page = self._page(object_id)
        before = page.history.count() if page else 0
        response = super().restore_view(request, object_id, history_id)
        if page is not None and page.history.count() > before:
            actions.log(AuditEntry.Action.RESTORE, Page.objects.get(pk=page.pk), request.user)
        return response

    def recover_view(self, request, history_id):
        # A recovered page comes back as it was, published or not: a publisher's decision too.
        if not self.can_publish(request):
            raise PermissionDenied
        return super().recover_view(request, history_id)


admin.site.register(Page, WorkflowPageAdmin)


class DecisionForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment for the author"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when you request changes: say what the author should change."),
    )


@admin.register(ReviewRequest)
class ReviewRequestAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["subject", "state", "submitted_by_name", "submitted_at", "decided_by_name", "decided_at"]
    list_filter = ["state"]
    list_select_related = ["page", "term", "submitted_by", "decided_by"]
    search_fields = ["page__title", "term__term", "comment"]
    fields = ["page", "term", "state", "submitted_by", "submitted_at", "decided_by", "decided_at", "comment"]
    readonly_fields = fields

    def has_delete_permission(self, request, obj=None):
        # Deleted only with their page (the admin asks before deleting a page);
        # the audit log keeps the record of each step.
        return request.user.has_perm("content.delete_page")

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:review_id>/review/", wrap(self.review_view), name="workflow_reviewrequest_review"),
            *super().get_urls(),
        ]

    def review_view(self, request, review_id):
        """The reviewer's page: the diff against the published version, the checks, and the decision."""
        review = get_object_or_404(ReviewRequest.objects.select_related("page", "term", "submitted_by"), pk=review_id)
        if not self.has_view_permission(request, review):
            raise PermissionDenied
        page = review.subject  # a page, or a glossary term (issue 22)
        form = DecisionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            comment = form.cleaned_data["comment"]
            try:
                if "_approve" in request.POST:
                    page = actions.approve(review, request.user, comment)
                    if review.term_id:
                        message = _(
                            "Approved and published: readers now see the term, in the glossary and in the pages "
                            "that use it, with you as its medical reviewer."
                        )
                    elif page.is_published and not page.unpublished_changes:
                        message = _("Approved and published: readers now see it, with you as its medical reviewer.")
                    else:
                        message = _("Approved. It will be published at its publish-at time.")
                    self.message_user(request, message, messages.SUCCESS)
                    return redirect(review.edit_url)
                if "_request_changes" in request.POST:
                    actions.request_changes(review, request.user, comment)
                    self.message_user(request, _("Changes requested. The author sees your comment."), messages.SUCCESS)
                    return redirect("admin:workflow_reviewrequest_changelist")
            except ValidationError as error:
                form.add_error(None, error)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Medical review of “%(page)s”") % {"page": page},
            "opts": self.model._meta,
            "review": review,
            "page": page,
            "term": page,
            "form": form,
            "material": actions.term_review_material(page) if review.term_id else actions.review_material(page),
            "can_decide": review.state == ReviewRequest.State.PENDING
            and request.user.has_perm(APPROVE_PERMISSION)
            and request.user.pk not in actions.authors_of_change(page, review),
        }
        template = "admin/glossary/term/review.html" if review.term_id else "admin/workflow/review.html"
        return TemplateResponse(request, template, context)

    @admin.display(description=_("page or term"))
    def subject(self, review):
        return review.subject

    # People by full name, not username (issue 23).
    @admin.display(description=_("submitted by"), ordering="submitted_by__last_name")
    def submitted_by_name(self, review):
        return person_label(review.submitted_by) if review.submitted_by_id else "—"

    @admin.display(description=_("decided by"), ordering="decided_by__last_name")
    def decided_by_name(self, review):
        return person_label(review.decided_by) if review.decided_by_id else "—"


# Notes the site writes into the log (workflow/signals.py), alone or together: shown translated.
SITE_COMMENTS = {"unpublished changes", "without medical review"}


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["at", "action", "page_title", "who", "comment_shown"]
    list_select_related = ["user"]
    list_filter = [
        "action",
        ("user", admin.RelatedOnlyFieldListFilter),
        ("page", admin.RelatedOnlyFieldListFilter),
        ("term", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["page_title", "page_slug", "username", "comment"]
    date_hierarchy = "at"
    change_list_template = "admin/workflow/auditentry/change_list.html"

    @admin.display(description=AuditEntry._meta.get_field("comment").verbose_name)
    def comment_shown(self, entry):
        # The comments the site writes itself are stored in English: shown in the editor's language.
        notes = sorted((note for note in SITE_COMMENTS if note in entry.comment), key=entry.comment.index)
        if entry.action == AuditEntry.Action.PUBLISH and notes and entry.comment == " ".join(notes):
            return ", ".join(gettext(note) for note in notes)
        return entry.comment

    @admin.display(description=_("by"), ordering="username")
    def who(self, entry):
        """The person by full name while the account exists; the username the entry recorded otherwise."""
        return person_label(entry.user) if entry.user_id else entry.username

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [path("export.csv", wrap(self.export_csv), name="workflow_auditentry_export"), *super().get_urls()]

    def export_csv(self, request):
        """The entries the list shows (same filters and search), as a spreadsheet-safe CSV file."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        entries = self.get_changelist_instance(request).get_queryset(request)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="audit-log.csv"'
        response.write("\ufeff")  # so spreadsheet programs read the Danish letters right
        writer = csv.writer(response)
        writer.writerow(["when", "action", "page", "slug", "user", "comment"])
        for entry in entries:
            row = [
                timezone.localtime(entry.at).isoformat(timespec="seconds"),
                entry.get_action_display(),
                entry.page_title,
                entry.page_slug,
                entry.username,
                entry.comment,
            ]
            # A cell a spreadsheet would run as a formula is quoted (CSV injection).
            writer.writerow(["'" + cell if cell[:1] in FORMULA_STARTS else cell for cell in map(str, row)])
        return response


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@admin.register(SlugRedirect)
class SlugRedirectAdmin(admin.ModelAdmin):
    list_display = ["old_slug", "page", "created_at"]
    search_fields = ["old_slug", "page__title", "page__slug"]
    autocomplete_fields = ["page"]
