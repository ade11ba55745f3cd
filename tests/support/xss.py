"""
The XSS payload corpus and a counter of dangerous output, shared by the XSS tests.

Payloads: the "Script Injection" section of blns (tests/data/blns-script-injection.txt)
and vectors from the OWASP XSS filter-evasion cheat sheet plus their markdown
forms (tests/data/owasp-xss-vectors.txt).
"""

from html.parser import HTMLParser
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"

# Elements that run script, load active content or restyle the page. The site
# itself emits none of them in a public page (JSON-LD data is allowed: the
# browser does not run it).
DANGEROUS_TAGS = {
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "svg", "math",
    "style", "base", "template", "noscript",
}  # fmt: skip
URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "background", "lowsrc", "dynsrc", "data",
    "poster", "xlink:href", "srcset",
}  # fmt: skip
DANGEROUS_SCHEMES = ("javascript:", "data:", "vbscript:")
SAFE_SCRIPT_TYPES = {"application/ld+json"}


def load_payloads(name, line_breaks=False):
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    payloads = [line for line in lines if line and not line.startswith("#")]
    return [p.replace("\\n", "\n") for p in payloads] if line_breaks else payloads


BLNS = load_payloads("blns-script-injection.txt")
OWASP = load_payloads("owasp-xss-vectors.txt", line_breaks=True)
CORPUS = BLNS + OWASP


def squeeze(value):
    """A URL as a browser reads its scheme: without control characters and whitespace."""
    return "".join(ch for ch in value if ch.isprintable() and not ch.isspace()).lower()


class _DangerCounter(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.findings = []

    def handle_starttag(self, tag, attrs):
        attrs = [(name, value or "") for name, value in attrs]
        if tag in DANGEROUS_TAGS and not (tag == "script" and dict(attrs).get("type") in SAFE_SCRIPT_TYPES):
            self.findings.append(f"<{tag}>")
        if tag == "meta" and dict(attrs).get("http-equiv", "").lower() == "refresh":
            self.findings.append("<meta http-equiv=refresh>")
        for name, value in attrs:
            if name.startswith("on"):
                self.findings.append(f"{tag} {name}=")
            elif name == "style":
                self.findings.append(f"{tag} style=")
            elif name in URL_ATTRIBUTES and has_script_url(value):
                self.findings.append(f"{tag} {name}={value[:40]!r}")

    handle_startendtag = handle_starttag


def has_script_url(value):  # noqa: N802
    return squeeze(value).startswith(DANGEROUS_SCHEMES)


def dangerous_output(html):
    """Each dangerous tag, event handler, style attribute or script URL in `html`."""
    counter = _DangerCounter()
    counter.feed(html)
    counter.close()
    return counter.findings
