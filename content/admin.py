from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from markdownx.admin import MarkdownxModelAdmin

from content.models import Page, Source


class SourceInline(admin.TabularInline):
    model = Source
    extra = 1
    fields = ["title", "publisher", "url", "accessed", "order"]


@admin.register(Page)
class PageAdmin(MarkdownxModelAdmin):
    list_display = ["title", "status", "family", "parent", "updated_at", "next_review_due"]
    list_filter = ["status", "family"]
    list_select_related = ["parent"]
    search_fields = ["title", "slug", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["parent"]
    filter_horizontal = ["related"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [SourceInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "status", "summary", "body"]}),
        (_("Place in the site"), {"fields": ["family", "parent", "order", "related"]}),
        (_("Review"), {"fields": ["last_reviewed", "next_review_due", "created_at", "updated_at"]}),
    ]
