"""Small helpers to read the HTML a reader's browser would get."""

from html.parser import HTMLParser


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []  # (tag, attrs dict)
        self.text_parts = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag in {"script", "style"}:
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in {"script", "style"} and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text_parts.append(data)


def parse(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector


def links(html: str) -> list[str]:
    return [attrs.get("href") for tag, attrs in parse(html).elements if tag == "a" and attrs.get("href")]


def tags(html: str, name: str) -> list[dict]:
    return [attrs for tag, attrs in parse(html).elements if tag == name]


def text(html: str) -> str:
    return " ".join(" ".join(parse(html).text_parts).split())
