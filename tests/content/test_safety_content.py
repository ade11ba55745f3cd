"""
What a patient must know to stay safe (issue 21), read from the public pages
as a reader gets them: 112 first, the full list of signs with its time frame,
the help card on the CAR-T pages, and the new pages in both languages, linked
and found by search.
"""

import re

import pytest
from django.test import Client

from content.models import Page
from tests.support import html

pytestmark = pytest.mark.django_db


def main_text(language, slug):
    response = Client(headers={"accept-language": language}).get(f"/{language}/{slug}/")
    assert response.status_code == 200
    main = re.search(r"<main\b.*?</main>", response.content.decode(), re.S).group(0)
    # The glossary's "(glossary)" for screen readers is not part of the sentence a reader sees.
    main = re.sub(r'<span class="visually-hidden">.*?</span>', "", main)
    # Inline tags (<strong>, <a>) do not split a sentence: "**Ring 112**, hvis" reads "Ring 112, hvis".
    main = re.sub(r"</?(strong|em|a|sup)\b[^>]*>", "", main)
    return " ".join(" ".join(html.parse(main).text_parts).split())


EMERGENCY = {
    "en": "Call 112 if you have a seizure (fit), cannot be woken, are very confused, or have trouble breathing. "
    "Tell them you have had CAR-T and show your patient card.",
    "da": "Ring 112, hvis du får kramper, ikke kan vækkes, er meget forvirret eller har svært ved at trække vejret. "
    "Fortæl, at du har fået CAR-T, og vis patientkortet.",
}

# Rigshospitalet's after-care list (review §7 items 1, 2 and 8), each sign as the page words it.
SIGNS = {
    "en": [
        "a temperature over 38.3 °C, or over 38.0 °C twice, one hour apart",
        "feel dizzy",
        "confused about the time, the place or who you are",
        "see things that are not there",
        "hard to speak or to find words",
        "problems with your vision",
        "a severe headache",
        "your handwriting is harder to read",
        "signs of infection where your central line goes in",
        "your relatives notice that you are changing",
        "for about 4 weeks after you go home from hospital",
        "Your relatives should know these signs too.",
    ],
    "da": [
        "en temperatur over 38,3 °C, eller over 38,0 °C to gange med en times mellemrum",
        "bliver svimmel",
        "forvirret om tid, sted eller hvem du er",
        "ser ting, som ikke er der",
        "svært ved at tale eller finde ordene",
        "problemer med synet",
        "stærk hovedpine",
        "en håndskrift, som er sværere at læse",
        "tegn på infektion, der hvor dit centrale kateter sidder",
        "dine pårørende mærker, at du forandrer dig",
        "i cirka 4 uger, efter du er kommet hjem fra hospitalet",
        "Dine pårørende skal også kende tegnene.",
    ],
}

# The tiers, each named by its own heading words (not by colour alone), in this order.
TIERS = {
    "en": ["Emergency: call 112", "Call your department now", "Tell your team"],
    "da": ["Akut: ring 112", "Ring til din afdeling nu", "Fortæl det til dit behandlerteam"],
}

# Warnings the review found missing (§7 items 3–7), one phrase each.
WARNINGS = {
    "en": [
        "tumour flare",
        "graft-versus-host disease",
        "a transplanted organ is not working",
        "checked for new cancers for the rest of their lives",
        "do not drive or use machines until your doctor says you may",
        "do not donate blood, organs, tissues or cells",
        "you can get infections more easily",
    ],
    "da": [
        "tumor flare",
        "graft-versus-host-sygdom",
        "et transplanteret organ ikke virker",
        "kontrolleres for ny kræft resten af livet",
        "Kør derfor ikke bil, og brug ikke maskiner",
        "må du ikke give blod, organer, væv eller celler",
        "får du lettere infektioner",
    ],
}

SIDE_EFFECTS = {"en": "side-effects", "da": "bivirkninger"}


@pytest.mark.parametrize("language", ["en", "da"])
def test_the_side_effects_page_puts_112_first_in_when_to_get_help(language):
    text = main_text(language, SIDE_EFFECTS[language])
    assert EMERGENCY[language] in text
    page = Page.objects.get(slug=SIDE_EFFECTS[language])
    headings = [section["title"] for section in page.sections]
    assert headings[1] == ("When to get help" if language == "en" else "Hvornår du skal søge hjælp")
    # 112 comes before any other advice on what to do.
    tiers = [text.index(tier) for tier in TIERS[language]]
    assert tiers == sorted(tiers)
    assert text.index(EMERGENCY[language]) < text.index(TIERS[language][1])


@pytest.mark.parametrize("language", ["en", "da"])
def test_the_side_effects_page_lists_every_sign_with_its_time_frame(language):
    text = main_text(language, SIDE_EFFECTS[language])
    missing = [sign for sign in SIGNS[language] if sign not in text]
    assert missing == []


@pytest.mark.parametrize("language", ["en", "da"])
def test_the_side_effects_page_gives_the_warnings_the_review_found_missing(language):
    text = main_text(language, SIDE_EFFECTS[language])
    missing = [warning for warning in WARNINGS[language] if warning.lower() not in text.lower()]
    assert missing == []


@pytest.mark.parametrize(
    ("language", "slug"),
    [("en", "car-t"), ("da", "car-t-behandling"), ("en", "car-t-treatment-journey"), ("da", "forloebet-ved-car-t")],
)
def test_the_car_t_pages_carry_the_short_help_card_with_112(language, slug):
    text = main_text(language, slug)
    assert EMERGENCY[language].split(" Tell them")[0].split(" Fortæl")[0] in text
    assert ("show your patient card" if language == "en" else "vis patientkortet") in text


def test_the_journey_gives_the_help_card_at_the_step_after_discharge():
    for language, slug, step, next_step in (
        ("en", "car-t-treatment-journey", "8. After you go home", "9. Follow-up"),
        ("da", "forloebet-ved-car-t", "8. Når du kommer hjem", "9. Opfølgning"),
    ):
        text = main_text(language, slug)
        # The last occurrences: the headings in the text, not in the "On this page" list.
        assert text.rindex(step) < text.index("112", text.rindex(step)) < text.rindex(next_step)


NEW_PAGES = {
    "atmps-approved-in-the-eu": "godkendte-atmper-i-eu",
    "daily-life-with-car-t": "hverdagen-med-car-t",
    "for-relatives-and-parents": "for-paaroerende-og-foraeldre",
    "report-a-side-effect": "indberet-en-bivirkning",
}


@pytest.mark.parametrize(("english", "danish"), NEW_PAGES.items())
def test_each_new_page_is_paired_linked_and_not_yet_approved(english, danish):
    for language, slug, other in (("en", english, danish), ("da", danish, english)):
        page = Page.objects.get(slug=slug)
        assert page.language == language and page.is_published and page.translation.slug == other
        assert page.sources.exists() and page.last_reviewed
        assert all(source.accessed <= page.last_reviewed for source in page.sources.all())
        # In the menu under "What is ATMP?", and in "Explore" on the pages of the ATMP families.
        assert page.parent.slug == ("what-is-atmp" if language == "en" else "hvad-er-atmp")
        family_page = "gene-therapy" if language == "en" else "genterapi"
        content = Client(headers={"accept-language": language}).get(f"/{language}/{family_page}/").content
        explore = content.decode().split('id="explore-heading"', 1)[1].split("</section>", 1)[0]
        assert f"/{language}/{slug}/" in html.links(explore)
        # New text goes through sign-off: no named reviewer yet, and the page says so.
        assert page.reviewed_by is None
        pending = "Not yet medically approved." if language == "en" else "Endnu ikke fagligt godkendt."
        assert pending in Client(headers={"accept-language": language}).get(f"/{language}/{slug}/").content.decode()


SEARCHES = [
    ("en", "112", "side-effects"),
    ("da", "112", "bivirkninger"),
    ("en", "driving", "daily-life-with-car-t"),
    ("da", "kørsel", "hverdagen-med-car-t"),
    ("en", "side effect", "report-a-side-effect"),
    ("da", "bivirkning", "indberet-en-bivirkning"),
    ("en", "Kymriah", "atmps-approved-in-the-eu"),
    ("da", "Kymriah", "godkendte-atmper-i-eu"),
]


@pytest.mark.parametrize(("language", "query", "slug"), SEARCHES)
def test_search_finds_the_new_safety_content_in_both_languages(language, query, slug):
    path = "/en/search/" if language == "en" else "/da/soeg/"
    response = Client(headers={"accept-language": language}).get(path, {"q": query})
    assert response.status_code == 200
    results = response.content.decode().split('<ol class="search-results">', 1)[1].split("</ol>", 1)[0]
    assert f"/{language}/{slug}/" in html.links(results)
