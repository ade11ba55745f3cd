"""Content checks against hand-counted texts: words, sentences, long words, LIX, reading time, warnings."""

import datetime

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from content import quality
from content.markdown import render
from content.models import Page, Source
from tests.support import html

pytestmark = pytest.mark.django_db


def stats(markdown_text):
    return quality.text_stats(render(markdown_text).html)


def test_lix_of_a_plain_paragraph():
    # Words: The cat sat on the mat (6) + Treatment begins tomorrow (3) = 9.
    # Long (more than 6 letters): Treatment (9), tomorrow (8) = 2; "begins" has 6, not long.
    # Sentences: 2. LIX = 9/2 + 100*2/9 = 4.5 + 22.2 = 26.7.
    result = stats("The cat sat on the mat. Treatment begins tomorrow!")
    assert (result.words, result.long_words, result.sentences) == (9, 2, 2)
    assert result.lix == 26.7
    assert result.lix_band == "good"


def test_headings_list_items_and_colons_end_sentences():
    # Sentences: "Side effects" | "Fever" | "Infection risk" | "Ask your doctor:" | "they know." = 5.
    # Words: 10. Long: effects (7), Infection (9) = 2; doctor (6) is not long.
    # LIX = 10/5 + 100*2/10 = 22.0.
    result = stats("## Side effects\n\n- Fever\n- Infection risk\n\nAsk your doctor: they know.")
    assert (result.words, result.long_words, result.sentences) == (10, 2, 5)
    assert result.lix == 22.0


def test_a_fair_and_a_complex_text():
    # 10 words, 1 sentence, long: monitor, patients, treatment = 3. LIX = 10 + 30 = 40.0: fair.
    fair = stats("Nurses monitor patients after treatment and check their blood often.")
    assert (fair.words, fair.long_words, fair.sentences, fair.lix, fair.lix_band) == (10, 3, 1, 40.0, "fair")
    # 5 words, all long, 1 sentence. LIX = 5 + 100 = 105.0: complex.
    hard = stats("Autologous haematopoietic transplantation necessitates hospitalisation.")
    assert (hard.words, hard.long_words, hard.lix, hard.lix_band) == (5, 5, 105.0, "complex")


def test_band_edges():
    assert quality.lix_band(34.9) == "good"
    assert quality.lix_band(35) == "fair"
    assert quality.lix_band(44.9) == "fair"
    assert quality.lix_band(45) == "complex"


def test_hyphenated_words_apostrophes_and_numbers():
    # Words: In, patients, had, CAR-T, The, patient's, cells = 7 (numbers are not words).
    # Long: patients (8), patient's (8 letters) = 2; CAR-T has 4 letters.
    result = stats("In 2024, 12 patients had CAR-T. The patient's cells.")
    assert (result.words, result.long_words, result.sentences) == (7, 2, 2)


def test_reading_time_rounds_up_at_200_words_a_minute():
    assert stats("word " * 200).reading_minutes == 1
    assert stats("word " * 201).reading_minutes == 2
    assert stats("").reading_minutes == 0


def test_longest_sentences_come_longest_first():
    longest = quality.longest_sentences(render("One two. One two three four. One two three.").html, count=2)
    assert longest == [(4, "One two three four."), (3, "One two three.")]


def test_images_without_alt_text_are_found():
    body = "![](/media/uploads/a.png)\n\n![A CAR-T cell under a microscope](/media/uploads/b.png)"
    assert quality.images_without_alt(render(body).html) == ["/media/uploads/a.png"]


def test_a_page_with_problems_gets_each_warning(make_page):
    target = make_page(slug="soon-gone")
    page = make_page(body="See [that page](page:soon-gone).\n\n![](/media/uploads/x.png)")
    target.delete()
    page.next_review_due = timezone.localdate() - datetime.timedelta(days=1)
    page.save()
    codes = [warning.code for warning in quality.check_page(Page.objects.get(pk=page.pk)).warnings]
    assert codes == ["broken_cross_link", "image_without_alt", "no_sources", "review_overdue"]


def test_a_good_page_has_no_warnings(make_page):
    # Issue 21: the paragraph cites its one source ([^1]), or the source is reported as uncited.
    page = make_page(body="Short words. Clear text.[^1]", last_reviewed=timezone.localdate())
    Source.objects.create(page=page, title="T", publisher="P", url="https://example.org/", accessed="2026-01-01")
    assert quality.check_page(page).warnings == []


def test_figures_are_stored_at_save_and_reading_time_is_shown_near_the_title(make_page):
    page = make_page(body="word " * 450)
    assert (page.word_count, page.reading_minutes) == (450, 3)
    content = Client().get(page.get_absolute_url()).content.decode()
    header = content[
        content.index('<header class="page-header">') : content.index("</header>", content.index("page-header"))
    ]
    assert "Reading time: about 3 minutes" in html.text(header)


def test_the_change_form_and_list_show_the_checks(staff_client):
    page = Page.objects.get(slug="car-t")
    form = html.text(staff_client.get(f"/admin/content/page/{page.pk}/change/").content.decode())
    assert f"LIX readability {page.lix}" in form and "Longest sentences" in form and "Words 352" in form
    listing = html.text(staff_client.get("/admin/content/page/").content.decode())
    assert f"{page.lix:g} ({page.lix_band})" in listing


def test_every_seed_page_reads_under_lix_40(capsys):
    call_command("content_checks")
    out = capsys.readouterr().out
    for page in Page.objects.all():
        assert page.lix < quality.PATIENT_LIX_TARGET, page.slug
        assert page.slug in out


def test_an_uploaded_image_inserted_without_alt_text_is_flagged_in_the_editor(staff_client, settings, tmp_path):
    from tests.content.test_editing import png_upload

    settings.MEDIA_ROOT = tmp_path
    upload = staff_client.post("/markdownx/upload/", {"image": png_upload()}, HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    image_code = upload.json()["image_code"]  # markdownx inserts "![](url)": no alt text yet
    page = Page.objects.get(slug="car-t")
    page.body += f"\n\n{image_code}\n"
    page.save()
    form = html.text(staff_client.get(f"/admin/content/page/{page.pk}/change/").content.decode())
    assert "Images without alt text" in form

    page.body = page.body.replace("![](", "![A bag of CAR-T cells](")
    page.save()
    form = html.text(staff_client.get(f"/admin/content/page/{page.pk}/change/").content.decode())
    assert "Images without alt text" not in form
