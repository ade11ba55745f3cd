"""Editors see feedback two ways: every answer, and a per-page summary with recent comments."""

from django.contrib import admin
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from feedback.models import Feedback, PageFeedbackSummary


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Feedback)
class FeedbackAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["page", "helpful", "comment", "created_at"]
    list_filter = ["helpful", "page"]
    list_select_related = ["page"]
    search_fields = ["comment", "page__title"]
    date_hierarchy = "created_at"


class RecentCommentInline(ReadOnlyMixin, admin.TabularInline):
    model = Feedback
    fields = ["created_at", "helpful", "comment"]
    readonly_fields = fields
    can_delete = False  # no add or change either: the admin then shows no empty rows
    verbose_name_plural = _("answers, newest first")


@admin.register(PageFeedbackSummary)
class PageFeedbackSummaryAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["title", "helpful_count", "not_helpful_count", "comment_count"]
    ordering = ["title"]
    fields = ["title", "status"]
    readonly_fields = fields
    inlines = [RecentCommentInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                helpful_total=Count("feedback", filter=Q(feedback__helpful=True)),
                not_helpful_total=Count("feedback", filter=Q(feedback__helpful=False)),
                comment_total=Count("feedback", filter=~Q(feedback__comment="")),
            )
        )

    @admin.display(description=_("Yes"), ordering="helpful_total")
    def helpful_count(self, page):
        return page.helpful_total

    @admin.display(description=_("No"), ordering="not_helpful_total")
    def not_helpful_count(self, page):
        return page.not_helpful_total

    @admin.display(description=_("comments"), ordering="comment_total")
    def comment_count(self, page):
        return page.comment_total
