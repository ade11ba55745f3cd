"""The language switcher and hreflang links: where this page is in the other language."""

from django import template
from django.conf import settings
from django.urls import reverse, translate_url
from django.utils import translation

register = template.Library()


@register.simple_tag(takes_context=True)
def language_versions(context):
    """
    One entry per language: {code, name, url, exists, current}. An explainer page knows its
    translation (or that it has none yet); every other view exists in both languages.
    """
    request = context.get("request")
    current = translation.get_language()
    versions = []
    for code, name in settings.LANGUAGES:
        if code == current:
            url, exists = request.get_full_path() if request else "", True
        elif getattr(context.get("page"), "pk", None) and "translation" in context:
            other = context["translation"]
            exists = other is not None
            url = other.get_absolute_url() if exists else None
        else:
            url = translate_url(request.get_full_path(), code) if request else None
            exists = url is not None and url != request.get_full_path()
        if not exists:
            with translation.override(code):
                url = reverse("content:home")
        versions.append({"code": code, "name": name, "url": url, "exists": exists, "current": code == current})
    return versions
