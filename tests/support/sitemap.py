"""Read the whole XML sitemap as a search engine does: the index, then every section it lists."""

import re
from urllib.parse import urlsplit

LOC = re.compile(r"<loc>([^<]+)</loc>")


def whole_sitemap(client):
    """The index and every section it lists, as one text."""
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    assert index["Content-Type"].startswith("application/xml")
    texts = [index.content.decode()]
    for location in LOC.findall(texts[0]):
        parts = urlsplit(location)
        section = client.get(parts.path + (f"?{parts.query}" if parts.query else ""))
        assert section.status_code == 200, location
        texts.append(section.content.decode())
    return "\n".join(texts)
