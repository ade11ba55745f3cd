"""
The editors' admin for pages: content checks, unpublished changes, preview,
history with compare and restore, recovery of deleted pages, and a clear
message instead of a lost edit when two editors save the same page.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from markdownx.admin import MarkdownxModelAdmin

from content import history, quality
from content.models import Page, Source
from content.views import page_context

# Created by a data migration; only its active members may be named as a page's reviewer.
REVIEWER_GROUP = "Medical reviewer"


class SourceInline(admin.TabularInline):
    model = Source
    extra = 1
    fields = ["title", "publisher", "url", "accessed", "order"]


class PageForm(forms.ModelForm):
    """
    The page form, with the optimistic-lock check made readable.

    django-concurrency refuses a stale save in the database (the model's
    version field); this form finds the conflict first, so the editor gets the
    form back with everything they typed, a message next to each field the
    other editor changed, and the other editor's changes shown as a diff.
    """

    # No Meta: the admin builds the form from PageAdmin.fieldsets.

    def clean(self):
        cleaned = super().clean()
        opened = cleaned.get("version")
        if not self.instance.pk or opened is None:
            return cleaned
        # The admin validates and saves in one transaction: locking the row here
        # means no other save can slip in between this check and our save.
        current = Page.objects.select_for_update().get(pk=self.instance.pk)
        if opened == current.version:
            return cleaned
        base = self.instance.history.filter(version=opened).order_by("-history_date").first()
        latest = current.history.order_by("-history_date").first()
        self.conflict = {
            "current": current,
            "by": latest.history_user if latest else None,
            "when": latest.history_date if latest else None,
            "changes": history.compare(base, current) if base else None,
        }
        for name in history.COMPARED_FIELDS + ("body",):
            field = name.removesuffix("_id")
            if field in self.fields and base is not None and getattr(base, name) != getattr(current, name):
                self.add_error(field, _("Another editor changed this after you opened the page (see above)."))
        raise ValidationError(
            _(
                "Not saved: someone else saved this page after you opened it. Your text is still in the form "
                "below. The changes they made are listed above the form; copy your changes into the latest "
                "version (open the page again in a new tab) so that neither edit is lost."
            ),
            code="edit_conflict",
        )


class ReviewDueFilter(admin.SimpleListFilter):
    title = _("medical review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        days = settings.CONTENT_REVIEW_DUE_SOON_DAYS
        return [("overdue", _("Review overdue")), ("soon", _("Due in %(days)s days") % {"days": days})]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.review_overdue()
        if self.value() == "soon":
            return queryset.review_due_within(settings.CONTENT_REVIEW_DUE_SOON_DAYS)
        return queryset


class TranslationFilter(admin.SimpleListFilter):
    """Which pages still need their other-language version written, or brought up to date."""

    title = _("translation")
    parameter_name = "translation"

    def lookups(self, request, model_admin):
        return [
            ("missing", _("No translation yet")),
            ("behind", _("Translation reviewed more recently")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "missing":
            return queryset.filter(translation__isnull=True)
        if self.value() == "behind":
            return queryset.filter(translation__last_reviewed__gt=F("last_reviewed"))
        return queryset


@admin.register(Page)
class PageAdmin(MarkdownxModelAdmin):
    form = PageForm
    list_display = [
        "title", "language", "translation_status", "status", "family", "word_count", "reading_minutes",
        "lix_with_band", "content_warnings", "next_review_due", "updated_at",
    ]  # fmt: skip
    list_filter = [ReviewDueFilter, TranslationFilter, "language", "status", "family"]
    list_select_related = ["parent", "translation"]
    search_fields = ["title", "slug", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["parent", "translation"]
    filter_horizontal = ["related"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [SourceInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "language", "status", "publish_at", "summary", "body", "version"]}),
        (_("Place in the site"), {"fields": ["family", "parent", "order", "related", "translation"]}),
        (_("Review"), {"fields": ["last_reviewed", "reviewed_by", "next_review_due", "created_at", "updated_at"]}),
    ]
    change_form_template = "admin/content/page/change_form.html"
    change_list_template = "admin/content/page/change_list.html"

    class Media:
        css = {"all": ["css/editorial-admin.css"]}
        js = ["js/upload-errors.js"]  # shows why an upload was refused

    # --- The reviewer ---------------------------------------------------------

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Only active medical reviewers may be named (a short list, so a plain
        # select): an id posted from outside the group is "not one of the
        # available choices", and the form never shows that user's name.
        if db_field.name == "reviewed_by":
            kwargs["queryset"] = (
                get_user_model()
                .objects.filter(is_active=True, groups__name=REVIEWER_GROUP)
                .distinct()
                .order_by("username")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    # --- The list -------------------------------------------------------------

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(source_count=Count("sources"))

    @admin.display(description=_("Translation"))
    def translation_status(self, page):
        other = page.translation
        if other is None:
            return format_html('<span class="check-warning">{}</span>', _("Missing"))
        if other.last_reviewed and (page.last_reviewed is None or other.last_reviewed > page.last_reviewed):
            return format_html(
                '{} <span class="check-warning">{}</span>',
                other.title,
                _("reviewed more recently (%(date)s): check this version") % {"date": other.last_reviewed},
            )
        return format_html("✓ {}", other.title)

    @admin.display(description=_("LIX"), ordering="lix")
    def lix_with_band(self, page):
        return f"{page.lix:g} ({page.lix_band})"

    @admin.display(description=_("Content checks"))
    def content_warnings(self, page):
        # From the figures stored at save time: the list renders no markdown.
        warnings = quality.page_warnings(page, has_sources=page.source_count > 0)
        if not warnings:
            return "✓"
        items = format_html_join("", "<li>{}</li>", ((warning.message,) for warning in warnings))
        return format_html('<ul class="check-list">{}</ul>', items)

    # --- The change form -------------------------------------------------------

    def get_object(self, request, object_id, from_field=None):
        page = super().get_object(request, object_id, from_field)
        # The change form shows the unpublished changes, so editing continues from it.
        if page is not None and page.unpublished_changes and request.resolver_match.url_name == "content_page_change":
            for name, value in page.unpublished_changes.items():
                if name in Page.DRAFTABLE_FIELDS:
                    setattr(page, name, value)
        return page

    @staticmethod
    def _page(object_id):
        """The page with this admin id, or None: also for an id that is not a number (a stray relative URL)."""
        try:
            return Page.objects.filter(pk=unquote(object_id)).first()
        except (ValueError, ValidationError):
            return None

    def change_view(self, request, object_id, form_url="", extra_context=None):
        page = self._page(object_id)
        extra_context = extra_context or {}
        if page is not None:
            shown = page.with_unpublished_changes() if page.unpublished_changes else page
            extra_context["content_report"] = quality.check_page(shown)
            extra_context["has_draft"] = bool(page.unpublished_changes)
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        live = Page.objects.filter(pk=obj.pk).first() if change else None
        scheduled = obj.publish_at is not None and obj.publish_at > timezone.now()
        if live is not None and live.is_published and ("_save_draft" in request.POST or scheduled):
            # Keep the public page as it is; hold the edited text as a draft of
            # changes, published by hand or at the publish-at time.
            obj.unpublished_changes = {
                name: getattr(obj, name).replace("\r\n", "\n") if name == "body" else getattr(obj, name)
                for name in Page.DRAFTABLE_FIELDS
            }
            for name in Page.DRAFTABLE_FIELDS:
                setattr(obj, name, getattr(live, name))
            obj.status = live.status
            obj._change_reason = _("Saved unpublished changes (not public)")
        else:
            obj.unpublished_changes = {}
        super().save_model(request, obj, form, change)

    def response_change(self, request, obj):
        if obj.unpublished_changes:
            if obj.publish_at:
                when = timezone.localtime(obj.publish_at).strftime("%Y-%m-%d %H:%M")
                message = _("Unpublished changes saved; they will be published at %(when)s.") % {"when": when}
            else:
                message = _("Unpublished changes saved. The public still sees the published page. Preview the "
                            "changes, then “Save” to publish them or set a publish-at time.")  # fmt: skip
            self.message_user(request, message, messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:content_page_change", args=[obj.pk]))
        return super().response_change(request, obj)

    def delete_queryset(self, request, queryset):
        # One by one, so each page's sources are kept in history for recovery.
        for page in queryset:
            page.delete()

    # --- Extra views: preview, history, restore, deleted pages -----------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<path:object_id>/preview/", wrap(self.preview_view), name="content_page_preview"),
            path(
                "<path:object_id>/history/<int:history_id>/restore/",
                wrap(require_POST(self.restore_view)),
                name="content_page_restore",
            ),
            path("deleted/", wrap(self.deleted_view), name="content_page_deleted"),
            path(
                "deleted/<int:history_id>/recover/",
                wrap(require_POST(self.recover_view)),
                name="content_page_recover",
            ),
            *super().get_urls(),
        ]

    def _page_or_404(self, request, object_id, permission):
        page = self._page(object_id)
        if page is None:
            raise Http404
        if not permission(request, page):
            raise PermissionDenied
        return page

    def preview_view(self, request, object_id):
        """Exactly what publishing would show: the public template, with the unpublished changes applied."""
        page = self._page_or_404(request, object_id, self.has_view_or_change_permission)
        preview = page.with_unpublished_changes()
        with translation.override(page.language):
            response = render(request, "content/page_detail.html", page_context(preview, preview=True))
        response["X-Robots-Tag"] = "noindex"
        return response

    def history_view(self, request, object_id, extra_context=None):
        """Every version of the page, a diff between any two, and restore buttons."""
        page = self._page(object_id)
        if page is None:
            return HttpResponseRedirect(reverse("admin:content_page_deleted"))
        if not self.has_view_or_change_permission(request, page):
            raise PermissionDenied
        versions = list(page.history.select_related("history_user").order_by("-history_date", "-history_id"))
        comparison = None
        by_id = {str(v.history_id): v for v in versions}
        old, new = by_id.get(request.GET.get("from", "")), by_id.get(request.GET.get("to", ""))
        if old and new:
            if (old.history_date, old.history_id) > (new.history_date, new.history_id):
                old, new = new, old
            comparison = {"old": old, "new": new, **history.compare(old, new)}
        elif len(versions) > 1:
            old, new = versions[1], versions[0]
        context = {
            **self.admin_site.each_context(request),
            "title": _("History of “%(page)s”") % {"page": page},
            "opts": self.model._meta,
            "original": page,
            "page": page,
            "versions": versions,
            "comparison": comparison,
            "selected_old": old.history_id if old else None,
            "selected_new": new.history_id if new else None,
            "can_restore": self.has_change_permission(request, page),
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/content/page/history.html", context)

    def restore_view(self, request, object_id, history_id):
        page = self._page_or_404(request, object_id, self.has_change_permission)
        record = get_object_or_404(page.history, history_id=history_id)
        try:
            history.restore(page, record, request.user)
        except ValidationError as error:
            self.message_user(request, _("Not restored: %s") % " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(reverse("admin:content_page_history", args=[page.pk]))
        self.message_user(
            request,
            _("Restored the version of %(date)s as a new version. The version before the restore is kept.")
            % {"date": timezone.localtime(record.history_date).strftime("%Y-%m-%d %H:%M")},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:content_page_change", args=[page.pk]))

    def deleted_view(self, request):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": _("Deleted pages"),
            "opts": self.model._meta,
            "deleted": history.deleted_pages().select_related("history_user"),
            "can_recover": self.has_add_permission(request),
        }
        return TemplateResponse(request, "admin/content/page/deleted.html", context)

    def recover_view(self, request, history_id):
        if not self.has_add_permission(request):
            raise PermissionDenied
        record = history.deleted_pages().filter(history_id=history_id).first()
        if record is None:
            raise Http404
        try:
            page = history.recover(record)
        except ValidationError as error:
            self.message_user(request, _("Not recovered: %s") % " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(reverse("admin:content_page_deleted"))
        self.message_user(request, _("Recovered “%(page)s” with its history.") % {"page": page}, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:content_page_change", args=[page.pk]))
