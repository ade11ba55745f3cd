"""
The editors' admin for pages: content checks, unpublished changes, preview,
history with compare and restore, recovery of deleted pages, and a clear
message instead of a lost edit when two editors save the same page.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import csrf_protect_m
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, When
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone, translation
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from markdownx.admin import MarkdownxModelAdmin
from markdownx.widgets import AdminMarkdownxWidget

from content import callouts, history, linkcheck, markdown, publishing, quality
from content.models import Page, Source, broken_cross_links
from content.rendering import page_context

# The admin speaks the editor's language: "ATMP-redaktion" in Danish.
admin.site.site_header = _("ATMP editorial office")
admin.site.site_title = _("ATMP editorial office")
admin.site.index_title = _("Pages, glossary and reader feedback")


class LivePreviewWidget(AdminMarkdownxWidget):
    """The markdownx editor, previewing in the page's language with a save's glossary marks and link checks."""

    template_name = "content/markdownx_widget.html"

    def __init__(self, preview_url, *args, **kwargs):
        self.preview_url = preview_url
        super().__init__(*args, **kwargs)

    def get_context(self, name, value, attrs=None):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["data-markdownx-urls-path"] = self.preview_url
        return context


class SourceFormSet(BaseInlineFormSet):
    """The page's sources, read in one query (Django checks each source form's id with a query of its own)."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        field = form.fields[self.model._meta.pk.name]

        def existing_source(value):
            if value in field.empty_values:
                return None
            source = self._existing_object(self.model._meta.pk.to_python(value))
            if source is None:
                raise ValidationError(field.error_messages["invalid_choice"], code="invalid_choice")
            return source

        field.to_python = existing_source


class SourceInline(admin.TabularInline):
    model = Source
    formset = SourceFormSet
    extra = 1
    fields = ["title", "publisher", "url", "accessed", "order"]


class PageForm(forms.ModelForm):
    """
    The page form. django-concurrency refuses a stale save in the database; this form finds the conflict
    first, so the editor keeps what they typed and sees what the other editor changed, field by field.
    """

    # A top-level page is in the main menu, and the first is the home page's introduction: never by accident.
    top_level = forms.BooleanField(
        label=_("Show in the main menu and on the home page"),
        required=False,
        help_text=_(
            "Only for a page without a parent page. A top-level page appears in the main menu, and the first "
            "one by order becomes the introduction on the home page."
        ),
    )
    # Set by PageAdmin.get_form: who is saving (to tell "you, in another tab" from "another editor").
    editor = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["top_level"].initial = bool(self.instance.pk and self.instance.parent_id is None)
        if "body" in self.fields:
            language = self.instance.language or settings.LANGUAGE_CODE
            url = reverse("admin:content_page_live_preview") + f"?language={language}&slug={self.instance.slug}"
            self.fields["body"].widget = LivePreviewWidget(url)
            self.fields["body"].help_text = format_html(
                "{} {}",
                self.fields["body"].help_text,
                _(
                    "To add an image, use “Add image” below the text, or drag a picture into the text. "
                    "Give every image a short description: ![What the picture shows](address)."
                ),
            )

    def _get_validation_exclusions(self):
        # The model's checks that cost a query (a chosen page exists, a slug is free) only for changed values:
        # a stored value passed them, and the database's constraints still hold it.
        excluded = super()._get_validation_exclusions()
        known = self.instance.__dict__.get("known_before_save")
        if known is not None:
            excluded |= {
                field.name
                for field in Page._meta.fields
                if (field.is_relation or field.unique)
                and getattr(self.instance, field.attname) == known[field.attname]
            }
        return excluded

    def clean(self):
        cleaned = super().clean()
        self._check_placement(cleaned)
        self._check_links_and_images(cleaned)
        opened = cleaned.get("version")
        if not self.instance.pk or opened is None:
            return cleaned
        # The admin validates and saves in one transaction, with the row locked
        # (PageAdmin.get_object): no other save can slip in between this check and ours.
        current = self.instance.stored_copy() or Page.objects.select_for_update().get(pk=self.instance.pk)
        self.live = current  # the page as it is before this save (PageAdmin.live_page)
        if opened == current.version:
            return cleaned
        base = self.instance.history.filter(version=opened).order_by("-history_date").first()
        latest = current.history.order_by("-history_date").first()
        by = latest.history_user if latest else None
        self.conflict = {
            "current": current,
            "by": by,
            "by_me": by is not None and self.editor is not None and by.pk == self.editor.pk,
            "when": latest.history_date if latest else None,
            "changes": history.compare(base, current) if base else None,
            "can_merge": base is not None,
        }
        if base is not None:
            if "_merge" in self.data:
                self._merge(base, current, cleaned)
            changed = (
                _("You changed this in another tab after opening this form (see above).")
                if self.conflict["by_me"]
                else _("Another editor changed this after you opened the page (see above).")
            )
            for name in history.COMPARED_FIELDS + ("body",):
                field = name.removesuffix("_id")
                if field in self.fields and getattr(base, name) != getattr(current, name):
                    self.add_error(field, changed)
        raise ValidationError(
            _(
                "Not saved: someone else saved this page after you opened it. Your text is still in the form "
                "below. The changes they made are listed above the form; copy your changes into the latest "
                "version (open the page again in a new tab) so that neither edit is lost."
            ),
            code="edit_conflict",
        )

    def _check_placement(self, cleaned):
        if "parent" in self.fields and not cleaned.get("parent") and not cleaned.get("top_level"):
            self.add_error(
                "parent",
                _(
                    "Choose a parent page, or tick “Show in the main menu and on the home page”. Without a parent "
                    "the page becomes a top-level page: it appears in the main menu, and the first one by order "
                    "is the introduction on the home page."
                ),
            )
        # "Read next" lists related pages of the page's own language only: another language's page would
        # be dropped without a word (the picker searches both languages).
        language = cleaned.get("language") or self.instance.language
        other = [page for page in cleaned.get("related") or () if page.language != language]
        if "related" in self.fields and other:
            self.add_error(
                "related",
                _("Related pages must be in this page's language. Not in it: %(pages)s.")
                % {"pages": ", ".join(page_label(page) for page in other)},
            )

    def _check_links_and_images(self, cleaned):
        body, language = cleaned.get("body"), cleaned.get("language") or self.instance.language
        # An over-long body is refused by the model's length check, with its message: nothing here renders it.
        if body is None or not language or len(body) > markdown.BODY_MAX_LENGTH:
            return
        # The model refuses unknown slugs too; this adds "did you mean ...?" and checks the #anchors.
        try:
            problems = linkcheck.link_problems(body, language, own_slug=cleaned.get("slug") or "")
        except markdown.BodyRejected as error:
            self.add_error("body", error)
            return
        unknown = [problem for problem in problems if problem.kind == "page"]
        if unknown:
            # The model's own message (it cannot check a body the form has refused), with suggestions.
            message = broken_cross_links(problem.target.partition("#")[0] for problem in unknown).messages[0]
            suggestions = ", ".join(f"page:{problem.suggestion}" for problem in unknown if problem.suggestion)
            if suggestions:
                message += " " + _("Did you mean %(slugs)s?") % {"slugs": suggestions}
            self.add_error("body", message)
        for problem in problems:
            if problem.kind == "anchor":
                self.add_error("body", problem.message)
        missing_alt = linkcheck.images_without_alt_text(body)
        if missing_alt and (cleaned.get("status") == Page.Status.PUBLISHED or cleaned.get("publish_at")):
            self.add_error(
                "body",
                _(
                    "%(count)s image(s) have no description. Write what the picture shows between the square "
                    "brackets, ![like this](address), so that readers who cannot see it get the same "
                    "information. A page with an undescribed image cannot be published."
                )
                % {"count": missing_alt},
            )

    # The fields a merge takes from the latest version when only the other save changed them.
    MERGED_FIELDS = ("title", "slug", "summary", "family", "parent", "order", "last_reviewed", "next_review_due")

    def _merge(self, base, current, cleaned):
        """
        A three-way merge onto the latest version (base: the version the form was opened at), of the body
        by lines and of each other field as a whole, put back into the form to check and save.
        """
        import merge3  # noqa: PLC0415  (only an edit conflict needs it)

        data = self.data.copy()
        clashes = []

        def lines(text):
            # The form strips the final newline: bodies must not differ by that alone.
            return ((text or "").replace("\r\n", "\n").rstrip() + "\n").splitlines(keepends=True)

        merge = merge3.Merge3(lines(base.body), lines(cleaned.get("body")), lines(current.body))
        conflicts = [region[3] + 1 for region in merge.merge_regions() if region[0] == "conflict"]
        if conflicts:
            clashes.append(
                _("the body (you both changed the text around line %(lines)s of your version)")
                % {"lines": ", ".join(str(line) for line in conflicts)}
            )
        else:
            data["body"] = "".join(merge.merge_lines()).rstrip("\n")
        for name in (name for name in self.MERGED_FIELDS if name in self.fields):
            attname = Page._meta.get_field(name).attname
            before, theirs = getattr(base, attname), getattr(current, attname)
            mine = getattr(cleaned.get(name), "pk", cleaned.get(name))  # the parent page by its id
            if theirs == before or mine == theirs:
                continue
            if mine == before:
                data[name] = "" if theirs is None else str(theirs)
            else:
                clashes.append(str(self.fields[name].label))
        if clashes:
            self.merge_result = {"merged": False, "clashes": clashes}
            raise ValidationError(
                _(
                    "Not merged: you and the other save changed the same part of %(parts)s. Nothing is saved and "
                    "your text is still in the form. Compare with the latest version (open it in a new tab) and "
                    "copy your changes into it."
                )
                % {"parts": "; ".join(clashes)},
                code="merge_conflict",
            )
        data["version"] = self.fields["version"].prepare_value(current.version)
        self.data = data
        self.merge_result = {"merged": True, "version": current.version}
        raise ValidationError(
            _(
                "Your changes are now applied on top of the latest version (%(version)s). Nothing is saved yet: "
                "check the text below, then save."
            )
            % {"version": current.version},
            code="merged",
        )


def person_label(user):
    """People by name in the admin (issue 23): "Bente Bach", the username only when there is no name."""
    return user.get_full_name().strip() or user.get_username()


def page_label(page):
    """A page in a picker: title, language and parent, so two "CAR-T" pages are told apart (issue 23)."""
    parent = page.parent.title if page.parent_id and page.parent else "—"
    return f"{page.title} ({page.language}, {parent} › {page.slug})"


class PageAutocompleteJsonView(AutocompleteJsonView):
    """The page pickers' search results, labelled by page_label; titles that start with the words typed first."""

    def get_queryset(self):
        queryset = super().get_queryset()
        if queryset.model is not Page:
            return queryset
        starts = Case(When(title__istartswith=self.term, then=0), default=1, output_field=IntegerField())
        return queryset.select_related("parent").order_by(starts, "title", "language")

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        if isinstance(obj, Page):
            result["text"] = page_label(obj)
        return result


# The admin site's one autocomplete view, for every model: pages get their language and parent.
admin.site.autocomplete_view = PageAutocompleteJsonView.as_view(admin_site=admin.site)


class ReviewDueFilter(admin.SimpleListFilter):
    title = _("medical review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [
            ("never", _("Never medically approved")),
            ("overdue", _("Review overdue")),
            ("soon", _("Due in %(days)s days") % {"days": settings.CONTENT_REVIEW_DUE_SOON_DAYS}),
        ]

    def queryset(self, request, queryset):
        if self.value() == "never":
            return queryset.never_approved()
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
        return [("missing", _("No translation yet")), ("behind", _("Translation reviewed more recently"))]

    def queryset(self, request, queryset):
        if self.value() == "missing":
            return queryset.filter(translation__isnull=True)
        if self.value() == "behind":
            return queryset.filter(translation__last_reviewed__gt=F("last_reviewed"))
        return queryset


class PageChangeList(ChangeList):
    """The page list: the stored figures and whether a page has sources, without the pages' text."""

    def get_queryset(self, request, exclude_parameters=None):
        # Whether it has sources, not how many: a count grouped the rows by every column (0.4 s at 10,000 pages).
        text = ("body", "body_html", "sections")
        return (
            super()
            .get_queryset(request, exclude_parameters)
            .annotate(has_sources=Exists(Source.objects.filter(page=OuterRef("pk"))))
            .defer(*text, *(f"{page}__{name}" for page in ("parent", "translation") for name in (*text, "summary")))
        )


class PublishesChanges:
    """Whatever an admin view changes is published once, at its end, inside its transaction."""

    @csrf_protect_m
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # The batch's transaction is the one ModelAdmin.changeform_view would open: one transaction for the
        # form and the publication, not the admin's nested in the batch's (a savepoint pair per save).
        with publishing.batch(), markdown.rendering_once():
            return self._changeform_view(request, object_id, form_url, extra_context)

    def delete_view(self, *args, **kwargs):
        with publishing.batch():
            return super().delete_view(*args, **kwargs)

    def changelist_view(self, *args, **kwargs):
        # Bulk actions ("Delete selected") run here.
        with publishing.batch():
            return super().changelist_view(*args, **kwargs)


class PageAdmin(PublishesChanges, MarkdownxModelAdmin):
    """The page admin; the workflow app registers it, with the sign-off rules on top (workflow.admin)."""

    form = PageForm
    # Fits 1,280 px without sideways scrolling (tests/browser/test_editor_admin.py): words and reading time are
    # on the change form's content checks; family is a filter; the language is the text of the public page's link.
    list_display = [
        "title", "on_site", "translation_status", "status",
        "lix_with_band", "content_warnings", "review_due",
    ]  # fmt: skip
    list_filter = [ReviewDueFilter, TranslationFilter, "language", "status", "family"]
    list_select_related = ["parent", "translation"]
    search_fields = ["title", "slug", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    # Searched as the editor types: the form lists only the chosen pages, not all of them (10,000 at most).
    autocomplete_fields = ["parent", "translation", "related"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [SourceInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "language", "status", "publish_at", "summary", "body", "version"]}),
        (_("Place in the site"), {"fields": ["family", "parent", "top_level", "order", "related", "translation"]}),
        (_("Review"), {"fields": ["last_reviewed", "reviewed_by", "next_review_due", "created_at", "updated_at"]}),
    ]

    class Media:
        css = {"all": ["css/editorial-admin.css"]}
        js = ["js/editor.js", "js/upload-errors.js"]  # the live preview and "Add image"; why an upload was refused

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.editor = request.user
        return form

    # --- The pickers: pages with their language and parent ----------------------

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in ("parent", "translation", "related"):
            field.queryset = field.queryset.select_related("parent")
            field.label_from_instance = page_label
        return field

    # --- The list -------------------------------------------------------------

    def get_changelist(self, request, **kwargs):
        return PageChangeList

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
        return f"{page.lix:g} ({quality.translated_lix_band(page.lix)})"

    @admin.display(description=_("next review due"), ordering="next_review_due")
    def review_due(self, page):
        # A short date: "24. november 2027" in three lines made the list wider than the screen.
        return page.next_review_due.isoformat() if page.next_review_due else "—"

    @admin.display(description=_("On the site"), ordering="language")
    def on_site(self, page):
        return format_html(
            '<a href="{}">{}<span class="visually-hidden">: {}</span></a>',
            page.get_absolute_url(),
            page.get_language_display(),
            _("view “%(page)s” on the site") % {"page": page.title},
        )

    @admin.display(description=_("Content checks"))
    def content_warnings(self, page):
        # From the figures stored at save time: the list renders no markdown.
        warnings = quality.page_warnings(page, has_sources=page.has_sources)
        if not warnings:
            return "✓"
        items = format_html_join("", "<li>{}</li>", ((warning.message,) for warning in warnings))
        return format_html('<ul class="check-list">{}</ul>', items)

    # --- The change form -------------------------------------------------------

    def get_object(self, request, object_id, from_field=None):
        if from_field is not None or request.resolver_match.url_name != "content_page_change":
            return super().get_object(request, object_id, from_field)
        # The change form needs the row, not the list's counts. A save locks it in its transaction
        # (changeform_view's), and the form checks and saves against it without reading it again.
        page = self._page(object_id, locked=request.method == "POST")
        if page is None:
            return None
        page.known_before_save = {field.attname: getattr(page, field.attname) for field in Page._meta.concrete_fields}
        return page.show_unpublished_changes()  # the change form continues from the unpublished changes

    @staticmethod
    def _page(object_id, locked=False):
        """The page with this admin id, or None: also for an id that is not a number (a stray relative URL)."""
        pages = Page.objects.select_for_update() if locked else Page.objects
        try:
            return pages.filter(pk=unquote(object_id)).first()
        except (ValueError, ValidationError):
            return None

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # Only when the form is shown (not on a successful save): the checks and feedback panels.
        if obj is not None and obj.pk:
            stored = obj.stored_copy() or Page.objects.get(pk=obj.pk)  # the row get_object read
            shown = stored.with_unpublished_changes() if stored.unpublished_changes else stored
            context["content_report"] = quality.check_page(shown)
            context["has_draft"] = bool(stored.unpublished_changes)
            answers = stored.feedback.all()  # what readers said about this page
            counts = answers.aggregate(
                yes=Count("pk", filter=Q(helpful=True)), no=Count("pk", filter=Q(helpful=False))
            )
            context["feedback"] = {
                "helpful": counts["yes"],
                "not_helpful": counts["no"],
                "comments": list(answers.exclude(comment="")[:10]),
            }
        return super().render_change_form(request, context, add, change, form_url, obj)

    @staticmethod
    def live_page(form, obj):
        """The page as it is before this save (read, and locked, by the form's clean), or None for a new one."""
        return (getattr(form, "live", None) or Page.objects.filter(pk=obj.pk).first()) if obj.pk else None

    def save_model(self, request, obj, form, change):
        live = self.live_page(form, obj) if change else None
        scheduled = obj.publish_at is not None and obj.publish_at > timezone.now()
        if live is not None and live.is_published and ("_save_draft" in request.POST or scheduled):
            # Keep the public page as it is; hold the edited text as a draft of
            # changes, published by hand or at the publish-at time.
            obj.unpublished_changes = {name: getattr(obj, name) for name in Page.DRAFTABLE_FIELDS}
            obj.unpublished_changes["body"] = obj.body.replace("\r\n", "\n")
            for name in Page.DRAFTABLE_FIELDS:
                setattr(obj, name, getattr(live, name))
            obj.status = live.status
            obj._change_reason = _("Saved unpublished changes (not public)")
        else:
            obj.unpublished_changes = {}
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        # Django writes every many-to-many field again (a read and a write each): only those the editor changed.
        if change:
            for name, field in form.fields.items():
                if isinstance(field, forms.ModelMultipleChoiceField) and name not in form.changed_data:
                    form.cleaned_data.pop(name, None)
        super().save_related(request, form, formsets, change)

    def response_change(self, request, obj):
        if obj.unpublished_changes:
            if obj.publish_at:
                when = formats.date_format(timezone.localtime(obj.publish_at), "DATETIME_FORMAT")
                message = _("Unpublished changes saved; they will be published at %(when)s.") % {"when": when}
            else:
                message = _("Unpublished changes saved. The public still sees the published page. Preview the "
                            "changes, then “Save” to publish them or set a publish-at time.")  # fmt: skip
            self.message_user(request, message, messages.SUCCESS)
            return redirect("admin:content_page_change", obj.pk)
        return super().response_change(request, obj)

    def delete_queryset(self, request, queryset):
        # One by one, so each page's sources are kept in history for recovery.
        for page in queryset:
            page.delete()

    # --- Extra views: preview, history, restore, deleted pages -----------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("live-preview/", wrap(require_POST(self.live_preview_view)), name="content_page_live_preview"),
            path("<path:object_id>/preview/", wrap(self.preview_view), name="content_page_preview"),
            path(
                "<path:object_id>/history/<int:history_id>/restore/",
                wrap(self.restore_view),
                name="content_page_restore",
            ),
            path("deleted/", wrap(self.deleted_view), name="content_page_deleted"),
            path(
                "deleted/<int:history_id>/recover/", wrap(require_POST(self.recover_view)), name="content_page_recover"
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

    def live_preview_view(self, request):
        """
        The markdownx live preview of the change form: the body as saving would
        render it (`markdown.render_page`, glossary marking included) in the
        page's language, with its links checked and where the page will appear.
        """
        if not (self.has_change_permission(request) or self.has_add_permission(request)):
            raise PermissionDenied
        languages = dict(settings.LANGUAGES)
        language = request.GET.get("language", "")
        language = language if language in languages else settings.LANGUAGE_CODE
        text = request.POST.get("content", "")
        slug = request.GET.get("slug", "")
        try:
            # No text may hold a worker: the length cap and the render time limit (issue 15).
            markdown.check_body_length(text)
            rendered, body_html = markdown.render_page(text, language, time_limit=markdown.PREVIEW_TIME_LIMIT)
            problems = linkcheck.link_problems(text, language, own_slug=slug, own_html=rendered.html)
        except markdown.BodyRejected as error:
            return HttpResponseBadRequest(f'<p class="errornote">{escape(" ".join(error.messages))}</p>')
        # Where the page will appear: under its parent, in the main menu, or nowhere chosen yet.
        parent_id = request.GET.get("parent", "")
        parent = Page.objects.filter(pk=parent_id).first() if parent_id.isdigit() else None
        with translation.override(language):
            return render(
                request,
                "admin/content/page/live_preview.html",
                {
                    "body_html": mark_safe(body_html),  # sanitised by markdown.render()  # noqa: S308
                    "problems": problems,
                    "placement": {"parent": parent} if parent else {"top_level": request.GET.get("top_level") == "1"},
                    "missing_alt": linkcheck.images_without_alt_text(text),
                    "language_name": languages[language],
                    "page_language": language,
                    "unknown_callouts": callouts.unknown_types(text),
                },
            )

    def history_view(self, request, object_id, extra_context=None):
        """Every version of the page, a diff between any two, and restore buttons."""
        page = self._page(object_id)
        if page is None:
            return redirect("admin:content_page_deleted")
        if not self.has_view_or_change_permission(request, page):
            raise PermissionDenied
        versions = list(page.history.select_related("history_user").order_by("-history_date", "-history_id"))
        for version in versions:
            version.description = history.describe(version)
        comparison = None
        by_id = {str(v.history_id): v for v in versions}
        old, new = by_id.get(request.GET.get("from", "")), by_id.get(request.GET.get("to", ""))
        if old and new:
            old, new = sorted((old, new), key=lambda version: (version.history_date, version.history_id))
            comparison = {"old": old, "new": new, **history.compare(old, new)}
        elif len(versions) > 1:
            old, new = versions[1], versions[0]
        return self._admin_page(
            request,
            "history",
            _("History of “%(page)s”") % {"page": page},
            original=page,
            page=page,
            versions=versions,
            comparison=comparison,
            selected_old=old.history_id if old else None,
            selected_new=new.history_id if new else None,
            can_restore=self.has_change_permission(request, page),
            **(extra_context or {}),
        )

    def _admin_page(self, request, template, title, **context):
        """One of the page admin's own pages (history, restore, deleted pages), in the admin's frame."""
        context = {**self.admin_site.each_context(request), "title": title, "opts": self.model._meta, **context}
        return TemplateResponse(request, f"admin/content/page/{template}.html", context)

    def restore_view(self, request, object_id, history_id):
        """GET: what restoring would change, and a button to confirm. POST: restore."""
        page = self._page_or_404(request, object_id, self.has_change_permission)
        record = get_object_or_404(page.history, history_id=history_id)
        if request.method != "POST":
            return self._admin_page(
                request,
                "restore_confirm",
                _("Restore this version?"),
                original=page,
                page=page,
                record=record,
                changes=history.compare(page, record),
            )
        try:
            history.restore(page, record, request.user)
        except ValidationError as error:
            self.message_user(request, _("Not restored: %s") % " ".join(error.messages), messages.ERROR)
            return redirect("admin:content_page_history", page.pk)
        when = formats.date_format(timezone.localtime(record.history_date), "DATETIME_FORMAT")
        if page.is_published:
            message = _(
                "The text of the version of %(date)s is now a draft of changes: the public still sees the "
                "published page. Check it, then publish it."
            )
        else:
            message = _("Restored the version of %(date)s as a new version. The version before the restore is kept.")
        self.message_user(request, message % {"date": when}, messages.SUCCESS)
        return redirect("admin:content_page_change", page.pk)

    def deleted_view(self, request):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        deleted = history.deleted_pages().select_related("history_user")
        can_recover = self.has_add_permission(request)
        return self._admin_page(request, "deleted", _("Deleted pages"), deleted=deleted, can_recover=can_recover)

    def recover_view(self, request, history_id):
        if not self.has_add_permission(request):
            raise PermissionDenied
        record = get_object_or_404(history.deleted_pages(), history_id=history_id)
        try:
            page = history.recover(record)
        except ValidationError as error:
            self.message_user(request, _("Not recovered: %s") % " ".join(error.messages), messages.ERROR)
            return redirect("admin:content_page_deleted")
        self.message_user(request, _("Recovered “%(page)s” with its history.") % {"page": page}, messages.SUCCESS)
        return redirect("admin:content_page_change", page.pk)


# --- Sign-in records (django-axes): superusers only ---------------------------
# Editors have no business with other people's failed log-ins; the tables are
# hidden from everyone who is not a superuser, whatever permissions they hold.


class SuperusersOnly:
    """Mixed into each of axes' model admins, in front of it."""

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)


def hide_sign_in_records_from_editors():
    """Called by ContentConfig.ready(), when every app's admin (axes' included) is registered."""
    for model, model_admin in list(admin.site._registry.items()):
        if model._meta.app_label == "axes":
            admin.site.unregister(model)
            axes_admin = type(model_admin)
            admin.site.register(model, type(axes_admin.__name__, (SuperusersOnly, axes_admin), {}))
