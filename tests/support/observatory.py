"""
The Mozilla HTTP Observatory's score, computed from one page's responses.

The Observatory (https://developer.mozilla.org/en-US/observatory) scores a site
from its response headers by published arithmetic
(https://github.com/mozilla/http-observatory/blob/main/httpobs/docs/scoring.md,
the 2024 methodology behind the MDN Observatory): start at 100, add each test's
modifier; bonuses count only if the score without them is at least 90. The
highest possible score is 135. Each rule below names the Observatory's result
key and its modifier.

Tests that need the outside world are scored as they would be for our
deployment, and say so: HSTS preloading (the domain is not on Chromium's
preload list, so no bonus is claimed) and redirection (from the http response
we are given).
"""

import re
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

from tests.support import html

SIX_MONTHS = 15768000
# Referrer policies the Observatory counts as private (referrer-policy-private).
PRIVATE_REFERRER_POLICIES = {"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}
SESSION_COOKIE_NAME = re.compile(r"sess|login|auth|token", re.IGNORECASE)


@dataclass
class Score:
    modifiers: list = field(default_factory=list)  # (result key, modifier)

    def add(self, result, modifier):
        self.modifiers.append((result, modifier))

    @property
    def total(self):
        penalties = sum(m for _, m in self.modifiers if m < 0)
        bonuses = sum(m for _, m in self.modifiers if m > 0)
        base = max(100 + penalties, 0)
        # "Bonus points are only awarded if the site's score without them is 90 (A) or greater."
        return base + bonuses if base >= 90 else base

    def report(self):
        lines = [f"  [{m:+3d}] {result}" for result, m in self.modifiers]
        return f"Observatory score {self.total}\n" + "\n".join(lines)


def parse_csp(header):
    policy = {}
    for directive in header.split(";"):
        parts = directive.split()
        if parts:
            policy.setdefault(parts[0].lower(), [p.lower() for p in parts[1:]])
    return policy


def score_csp(score, headers):
    header = headers.get("Content-Security-Policy")
    if not header:
        return score.add("csp-not-implemented", -25)
    policy = parse_csp(header)
    default = policy.get("default-src", [])
    script = policy.get("script-src", default)
    style = policy.get("style-src", default)
    everything = [source for sources in policy.values() for source in sources]
    # A wildcard, http: or data: script source is as unsafe as 'unsafe-inline'.
    if any(s in {"'unsafe-inline'", "*", "http:", "https:", "data:"} for s in script):
        return score.add("csp-implemented-with-unsafe-inline", -20)
    if any(s.startswith("http:") for s in everything):
        return score.add("csp-implemented-with-insecure-scheme", -20)
    if "'unsafe-eval'" in script:
        return score.add("csp-implemented-with-unsafe-eval", -10)
    if "'unsafe-inline'" in style:
        return score.add("csp-implemented-with-unsafe-inline-in-style-src-only", 0)
    if default == ["'none'"]:
        return score.add("csp-implemented-with-no-unsafe-default-src-none", 10)
    return score.add("csp-implemented-with-no-unsafe", 5)


def score_cookies(score, set_cookie_headers, hsts):
    cookies = SimpleCookie()
    for value in set_cookie_headers:
        cookies.load(value)
    if not cookies:
        return score.add("cookies-not-found", 0)
    sessions = [c for c in cookies.values() if SESSION_COOKIE_NAME.search(c.key)]
    if any(not c["secure"] for c in sessions):
        return (
            score.add("cookies-session-without-secure-flag-but-protected-by-hsts", -10)
            if hsts
            else score.add("cookies-session-without-secure-flag", -40)
        )
    if any(not c["httponly"] for c in sessions if "csrf" not in c.key.lower()):
        return score.add("cookies-session-without-httponly-flag", -30)
    if any(not c["secure"] for c in cookies.values()):
        return (
            score.add("cookies-without-secure-flag-but-protected-by-hsts", -5)
            if hsts
            else score.add("cookies-without-secure-flag", -20)
        )
    samesite = [c["samesite"].lower() for c in cookies.values()]
    if any(s and s not in {"strict", "lax", "none"} for s in samesite):
        return score.add("cookies-samesite-flag-invalid", -20)
    if any("csrf" in c.key.lower() and not c["samesite"] for c in cookies.values()):
        return score.add("cookies-anticsrf-without-samesite-flag", -20)
    if all(samesite):
        return score.add("cookies-secure-with-httponly-sessions-and-samesite", 5)
    return score.add("cookies-secure-with-httponly-sessions", 0)


def score_cors(score, headers):
    if headers.get("Access-Control-Allow-Origin", "").strip() == "*":
        return score.add("cross-origin-resource-sharing-implemented-with-universal-access", -50)
    return score.add("cross-origin-resource-sharing-not-implemented", 0)


def score_redirection(score, http_response, host):
    location = http_response.headers.get("Location", "")
    if http_response.status_code not in {301, 302, 307, 308}:
        return score.add("redirection-missing", -20)
    target = urlsplit(location)
    if target.scheme != "https":
        return score.add("redirection-not-to-https", -20)
    if target.hostname != host:
        return score.add("redirection-off-host-from-http", -5)
    return score.add("redirection-to-https", 0)


def score_referrer_policy(score, headers):
    header = headers.get("Referrer-Policy")
    if not header:
        return score.add("referrer-policy-not-implemented", 0)
    # Browsers use the last policy they understand.
    policy = header.split(",")[-1].strip().lower()
    if policy in PRIVATE_REFERRER_POLICIES:
        return score.add("referrer-policy-private", 5)
    if policy == "no-referrer-when-downgrade":
        return score.add("referrer-policy-no-referrer-when-downgrade", 0)
    return score.add("referrer-policy-unsafe", -5)


def score_hsts(score, headers):
    header = headers.get("Strict-Transport-Security", "")
    match = re.search(r"max-age=(\d+)", header)
    if not header:
        score.add("hsts-not-implemented", -20)
        return False
    if not match:
        score.add("hsts-header-invalid", -20)
        return False
    if int(match.group(1)) < SIX_MONTHS:
        score.add("hsts-implemented-max-age-less-than-six-months", -10)
        return True
    # hsts-preloaded (+5) needs the domain on Chromium's preload list; not claimed.
    score.add("hsts-implemented-max-age-at-least-six-months", 0)
    return True


def score_sri(score, content, content_type):
    if not content_type.startswith("text/html"):
        return score.add("sri-not-implemented-response-not-html", 0)
    scripts = html.tags(content, "script")
    external = [s for s in scripts if s.get("src", "").startswith(("http:", "https:", "//"))]
    if not [s for s in scripts if s.get("src")]:
        return score.add("sri-not-implemented-but-no-scripts-loaded", 0)
    if any(not s["src"].startswith("https:") and "integrity" not in s for s in external):
        return score.add("sri-not-implemented-and-external-scripts-not-loaded-securely", -50)
    if external and all("integrity" in s for s in external):
        return score.add("sri-implemented-and-external-scripts-loaded-securely", 5)
    if external:
        return score.add("sri-not-implemented-but-external-scripts-loaded-securely", -5)
    return score.add("sri-not-implemented-but-all-scripts-loaded-from-secure-origin", 0)


def score_nosniff(score, headers):
    value = headers.get("X-Content-Type-Options")
    if value is None:
        return score.add("x-content-type-options-not-implemented", -5)
    if value.strip().lower() != "nosniff":
        return score.add("x-content-type-options-header-invalid", -5)
    return score.add("x-content-type-options-nosniff", 0)


def score_frame_options(score, headers):
    if "frame-ancestors" in parse_csp(headers.get("Content-Security-Policy", "")):
        return score.add("x-frame-options-implemented-via-csp", 5)
    value = headers.get("X-Frame-Options", "").strip().lower()
    if not value:
        return score.add("x-frame-options-not-implemented", -20)
    if value in {"deny", "sameorigin"}:
        return score.add("x-frame-options-sameorigin-or-deny", 0)
    return score.add("x-frame-options-header-invalid", -20)


def score_corp(score, headers):
    value = headers.get("Cross-Origin-Resource-Policy")
    if value is None:
        return score.add("corp-not-implemented", 0)
    value = value.strip().lower()
    if value in {"same-origin", "same-site"}:
        return score.add(f"corp-implemented-with-{value}", 0)
    if value == "cross-origin":
        return score.add("corp-implemented-with-cross-origin", 0)
    return score.add("corp-header-invalid", -5)


def observatory_score(https_response, http_response, host):
    """Score one page from its https response and the response to the same URL over http."""
    headers = https_response.headers
    score = Score()
    score_csp(score, headers)
    hsts = score_hsts(score, headers)
    score_cookies(score, [morsel.OutputString() for morsel in https_response.cookies.values()], hsts)
    score_cors(score, headers)
    score_redirection(score, http_response, host)
    score_referrer_policy(score, headers)
    score_sri(score, https_response.content.decode(errors="replace"), headers.get("Content-Type", ""))
    score_nosniff(score, headers)
    score_frame_options(score, headers)
    score_corp(score, headers)
    return score
