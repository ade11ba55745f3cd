"""
An editor who drops a file that is not an image onto the markdownx editor sees
why it was refused (issue 15), in a real browser under the strict CSP.
"""

import shutil

import pytest

from tests.operations.test_xss_browser import chromium_page, editor_session  # noqa: F401  (the fixtures)
from tests.support.chromium import CHROMIUM

pytestmark = [
    pytest.mark.slow,
    pytest.mark.browser,
    pytest.mark.skipif(not shutil.which(str(CHROMIUM)), reason=f"{CHROMIUM} is missing: run make chromium"),
]

DROP = """
([name, type, text]) => {
  const transfer = new DataTransfer();
  transfer.items.add(new File([text], name, {type}));
  document.querySelector("textarea.markdownx-editor")
    .dispatchEvent(new DragEvent("drop", {dataTransfer: transfer, bubbles: true, cancelable: true}));
}
"""


def test_a_refused_upload_tells_the_editor_why(live_server, editor_session, chromium_page, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path
    session_key, page_pk = editor_session
    chromium_page.context.add_cookies([{"name": "sessionid", "value": session_key, "url": live_server.url}])
    chromium_page.set_extra_http_headers({"Accept-Language": "en"})
    chromium_page.goto(f"{live_server.url}/admin/content/page/{page_pk}/change/")
    chromium_page.evaluate(DROP, ["x.html", "image/gif", "<script>alert(1)</script>"])

    alert = chromium_page.get_by_role("alert").filter(has_text="not a JPEG, PNG, WebP or GIF image")
    alert.wait_for(timeout=10_000)
    assert alert.is_visible()
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
    assert chromium_page.evaluate("window.__cspViolations") == []
    assert chromium_page.dialogs == []
