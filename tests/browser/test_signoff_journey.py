"""
Clinical sign-off in Chromium (issue 13): an author changes a published page
and submits it; the public still sees the old text; a medical reviewer finds
it on the admin's front page, reads the diff and the checks, and approves;
the public then sees the new text with "Medically reviewed by … on …".

Screenshots of each step go to artifacts/screenshots/signoff-*.png.
The two users are made with manage.py against the server's own database
(the browser tests never use the ORM in this process).
"""

import secrets
import subprocess
import sys

from playwright.sync_api import expect

from tests.browser.pages import console_errors
from tests.browser.server import ADMIN, ROOT, site_environment

PASSWORD = "signoff-" + secrets.token_urlsafe(12)
NEW_SENTENCE = "Tell the ward at once if you get a fever in the first weeks."


def manage(site_server, *args, code=None):
    env = site_environment(site_server.log_path.parent)
    command = [sys.executable, "manage.py", *args] + (["-c", code] if code else [])
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def log_in(browser, username):
    browser.goto(f"{ADMIN}login/")
    browser.get_by_label("Username").fill(username)
    browser.get_by_label("Password").fill(PASSWORD)
    browser.get_by_role("button", name="Log in").click()
    expect(browser.get_by_role("button", name="Log out")).to_be_visible()


def test_author_submits_and_a_medical_reviewer_approves(open_page, site_server, screenshot_dir):
    manage(
        site_server,
        "shell",
        code=(
            "from django.contrib.auth import get_user_model\n"
            "User = get_user_model()\n"
            f"User.objects.create_user('signoff-anna', password='{PASSWORD}')\n"
            f"User.objects.create_user('signoff-rikke', password='{PASSWORD}', first_name='Rikke', last_name='Holm')\n"
        ),
    )
    manage(site_server, "assign_role", "signoff-anna", "author")
    manage(site_server, "assign_role", "signoff-rikke", "reviewer")
    author, reviewer, public = open_page(fresh=True), open_page(fresh=True), open_page(fresh=True)
    errors = console_errors(author, reviewer)

    # 1. The author opens the published page's form from the page itself.
    log_in(author, "signoff-anna")
    author.goto("/en/car-t/")
    author.get_by_role("link", name="Edit this page").click()
    actions = author.locator(".workflow-actions")
    for name in ("Save as unpublished changes", "Submit for medical review"):
        expect(actions.get_by_role("button", name=name, exact=True)).to_be_visible()
    expect(actions.get_by_role("button", name="Publish now (without medical review)")).to_have_count(0)
    body = author.locator("textarea#id_body")
    body.fill(body.input_value() + "\n\n" + NEW_SENTENCE + "\n")
    author.screenshot(path=screenshot_dir / "signoff-1-author-edits.png", full_page=True)

    # 2. Submit: the public still sees the published text.
    actions.get_by_role("button", name="Submit for medical review", exact=True).click()
    expect(author.locator(".messagelist")).to_contain_text("Submitted for medical review")
    expect(author.locator(".workflow-status")).to_contain_text("Submitted for medical review by signoff-anna")
    author.screenshot(path=screenshot_dir / "signoff-2-submitted.png", full_page=True)
    public.goto("/en/car-t/")
    expect(public.locator(".prose")).not_to_contain_text(NEW_SENTENCE)

    # 3. The reviewer finds it on the admin's front page and sees the diff and the checks.
    log_in(reviewer, "signoff-rikke")
    reviewer.goto(ADMIN)
    panel = reviewer.locator(".due-panel")
    expect(panel).to_contain_text("Changes waiting for medical review")
    expect(panel).to_contain_text("Your role: Medical reviewer.")
    reviewer.screenshot(path=screenshot_dir / "signoff-0-reviewer-dashboard.png", full_page=True)
    panel.get_by_role("link", name="CAR-T", exact=False).first.click()
    expect(reviewer.locator(".diff-added", has_text=NEW_SENTENCE)).to_be_visible()
    expect(reviewer.locator(".content-checks")).to_contain_text("LIX")
    reviewer.get_by_label("Comment for the author").fill("Checked against the product information.")
    reviewer.screenshot(path=screenshot_dir / "signoff-3-review.png", full_page=True)

    # 4. Approve: the public sees the new text, and who reviewed it.
    reviewer.get_by_role("button", name="Approve and publish", exact=True).click()
    expect(reviewer.locator(".messagelist")).to_contain_text("Approved and published")
    public.goto("/en/car-t/")
    expect(public.locator(".prose")).to_contain_text(NEW_SENTENCE)
    expect(public.locator(".medical-review")).to_contain_text("Medically reviewed by Rikke Holm on")
    public.locator(".medical-review").scroll_into_view_if_needed()
    public.screenshot(path=screenshot_dir / "signoff-4-public-page.png", full_page=True)
    assert errors == [], site_server.log()
