"""
Images uploaded in the editor (issue 15, items 1 and 4), through the real markdownx endpoint.

Only real JPEG, PNG, WebP and GIF images are stored, re-encoded by Pillow under
a random name with the extension of the detected format; everything else
(HTML, SVG, PHP, polyglots, damaged files, decompression bombs) is a clear
form error and writes nothing. Only editors who may change pages may upload
or preview, and anonymous requests learn nothing about the admin's address.
"""

import io
import struct
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

pytestmark = pytest.mark.django_db

UPLOAD_URL = "/markdownx/upload/"
PREVIEW_URL = "/markdownx/markdownify/"
AJAX = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}
NOT_AN_IMAGE = "This file is not a JPEG, PNG, WebP or GIF image, or it is damaged."
HTML_PAYLOAD = b"<html><body><script>alert(document.cookie)</script></body></html>"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(root):
    return sorted(p for p in root.rglob("*") if p.is_file())


@pytest.fixture
def editor_client(log_in_staff):
    """A staff member who may change pages, and nothing else: the permission the editor needs."""
    return log_in_staff("limited-editor", permissions=["content.change_page"])


def image_bytes(fmt, size=(8, 6), mode="RGB", **save_options):
    buffer = io.BytesIO()
    Image.new(mode, size, "red").save(buffer, fmt, **save_options)
    return buffer.getvalue()


def upload(client, name, content, content_type):
    return client.post(UPLOAD_URL, {"image": SimpleUploadedFile(name, content, content_type)}, **AJAX)


def error_text(response):
    return " ".join(message for messages in response.json().values() for message in messages)


@pytest.mark.parametrize(
    ("fmt", "name", "content_type", "extension"),
    [
        ("JPEG", "photo.jpeg", "image/jpeg", ".jpg"),
        ("PNG", "diagram.png", "image/png", ".png"),
        ("WEBP", "cells.webp", "image/webp", ".webp"),
        ("GIF", "steps.gif", "image/gif", ".gif"),
        # The client's name and declared type do not matter, only what the bytes are.
        ("PNG", "x.png.html", "image/png", ".png"),
        ("PNG", "shell.php", "image/gif", ".png"),
        ("JPEG", "photo", "application/octet-stream", ".jpg"),
    ],
)
def test_every_accepted_format_is_stored_re_encoded_under_its_detected_extension(
    editor_client, media, fmt, name, content_type, extension
):
    response = upload(editor_client, name, image_bytes(fmt), content_type)
    assert response.status_code == 200, response.content
    url = response.json()["image_code"].removeprefix("![](").removesuffix(")")
    [stored] = stored_files(media)
    assert url.endswith(f"/uploads/{stored.name}")
    assert stored.suffix == extension
    assert name.split(".")[0] not in stored.stem  # a random name, not the client's
    with Image.open(stored) as image:
        assert image.format == fmt and image.size == (8, 6)


def test_an_animated_gif_keeps_its_frames(editor_client, media):
    frames = [Image.new("RGB", (5, 5), colour) for colour in ("red", "green", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=200, loop=0)
    assert upload(editor_client, "anim.gif", buffer.getvalue(), "image/gif").status_code == 200
    [stored] = stored_files(media)
    with Image.open(stored) as image:
        assert image.n_frames == 3


def test_a_photo_loses_its_gps_position_and_other_metadata(editor_client, media):
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (55.0, 40.0, 30.0), 3: "E", 4: (12.0, 34.0, 5.0)}  # GPS: Copenhagen
    photo = image_bytes("JPEG", exif=exif.tobytes())
    with Image.open(io.BytesIO(photo)) as original:
        assert original.getexif().get_ifd(0x8825), "the test photo must carry a GPS position"

    assert upload(editor_client, "patient.jpg", photo, "image/jpeg").status_code == 200
    [stored] = stored_files(media)
    with Image.open(stored) as image:
        assert not image.getexif()
        assert "exif" not in image.info
    assert b"PhoneMaker" not in stored.read_bytes()


def test_a_png_with_html_appended_is_stored_without_the_html(editor_client, media):
    response = upload(editor_client, "x.png.html", image_bytes("PNG") + HTML_PAYLOAD, "image/png")
    assert response.status_code == 200
    [stored] = stored_files(media)
    assert stored.suffix == ".png"
    assert b"<script" not in stored.read_bytes()


def test_a_gif_comment_carrying_script_is_not_stored(editor_client, media):
    gif = image_bytes("GIF", mode="P", comment=b"<script>alert(1)</script>")
    assert b"<script>" in gif
    assert upload(editor_client, "x.gif", gif, "image/gif").status_code == 200
    [stored] = stored_files(media)
    assert b"<script" not in stored.read_bytes()


def truncated_png():
    data = image_bytes("PNG", size=(300, 300), mode="RGB")
    return data[: len(data) // 2]


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("x.html", HTML_PAYLOAD, "image/gif"),  # the attack of issue 15: stored byte for byte before
        ("x.gif", HTML_PAYLOAD, "image/gif"),
        ("evil.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>', "image/svg+xml"),
        ("evil.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "image/png"),
        ("polyglot.gif", b"GIF89a/*" + b"\x00" * 8 + b"*/=alert(1);" + HTML_PAYLOAD, "image/gif"),
        ("shell.php", b"<?php system($_GET['c']); ?>", "image/png"),
        ("notes.png", b"These are not the pixels you are looking for.", "image/png"),  # was a 500
        ("empty.png", b"", "image/png"),
        ("half.png", truncated_png(), "image/png"),
        ("drawing.bmp", image_bytes("BMP"), "image/bmp"),
        ("scan.tiff", image_bytes("TIFF"), "image/png"),
    ],
)
def test_what_is_not_a_real_image_is_a_clear_error_and_writes_nothing(
    editor_client, media, name, content, content_type
):
    response = upload(editor_client, name, content, content_type)
    assert response.status_code == 400
    if content:
        assert NOT_AN_IMAGE in error_text(response)
    assert stored_files(media) == []


def test_a_decompression_bomb_is_refused_before_its_pixels_are_decoded(editor_client, media):
    bomb = image_bytes("PNG", size=(8000, 8000), mode="1")  # 64 million pixels in a few kilobytes
    assert len(bomb) < 100_000
    response = upload(editor_client, "bomb.png", bomb, "image/png")
    assert response.status_code == 400
    assert "too large (8000 × 8000 pixels)" in error_text(response)
    assert stored_files(media) == []


def test_a_file_over_the_size_limit_is_refused(editor_client, media, settings):
    settings.MARKDOWNX_UPLOAD_MAX_SIZE = 1000
    response = upload(editor_client, "big.png", image_bytes("PNG", size=(200, 200)) + b"\0" * 2000, "image/png")
    assert response.status_code == 400
    assert "The file is too large" in error_text(response)
    assert stored_files(media) == []


def test_staff_without_the_page_change_permission_may_neither_upload_nor_preview(client, django_user_model, media):
    user = django_user_model.objects.create_user("no-rights", password="a-long-test-password", is_staff=True)
    client.force_login(user)
    assert upload(client, "a.png", image_bytes("PNG"), "image/png").status_code == 403
    response = client.post(PREVIEW_URL, {"content": "**secret**"})
    assert response.status_code == 403
    assert b"<strong>" not in response.content
    assert stored_files(media) == []


def test_an_editor_with_the_permission_may_preview(editor_client):
    response = editor_client.post(PREVIEW_URL, {"content": "**bold** <script>alert(1)</script>"})
    assert response.status_code == 200
    assert b"<strong>bold</strong>" in response.content
    assert b"<script" not in response.content


@pytest.mark.parametrize("url", [UPLOAD_URL, PREVIEW_URL])
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_requests_to_the_editor_endpoints_get_404_without_naming_the_admin(client, media, url, method):
    data = {"image": SimpleUploadedFile("a.png", image_bytes("PNG"), "image/png")} if url == UPLOAD_URL else {}
    response = getattr(client, method)(url, data, **AJAX)
    assert response.status_code in (404, 405) if method == "get" else response.status_code == 404
    assert "Location" not in response
    assert b"/admin" not in response.content and b"login" not in response.content.lower()
    assert stored_files(media) == []


def test_robots_txt_advertises_neither_the_editor_nor_the_admin(client):
    body = client.get("/robots.txt").content.decode()
    assert "/markdownx/" not in body
    assert "admin" not in body
    assert "Sitemap:" in body


def test_a_transparent_png_stays_transparent(editor_client, media):
    buffer = io.BytesIO()
    Image.new("RGBA", (4, 4), (255, 0, 0, 0)).save(buffer, "PNG")
    assert upload(editor_client, "logo.png", buffer.getvalue(), "image/png").status_code == 200
    [stored] = stored_files(media)
    with Image.open(stored) as image:
        assert image.convert("RGBA").getpixel((0, 0))[3] == 0


def animated_gif(width, height, frames):
    """
    A GIF of `frames` frames on a `width` × `height` canvas, a few bytes each:
    every frame paints one pixel, but a decoder gives each frame the whole canvas.
    """
    gif = b"GIF89a" + struct.pack("<HHBBB", width, height, 0xF0, 0, 0) + b"\0\0\0\xff\xff\xff"
    gif += b"\x21\xff\x0bNETSCAPE2.0\x03\x01\0\0\0"  # loop forever
    frame = (
        b"\x21\xf9\x04\x04\x0a\0\0\0"  # 0.1 s, keep the previous frame
        + b"\x2c"
        + struct.pack("<HHHHB", 0, 0, 1, 1, 0)
        + b"\x02\x02\x44\x01\0"  # one pixel, LZW
    )
    return gif + frame * frames + b"\x3b"


def test_an_animation_of_many_large_frames_is_refused_before_its_frames_are_decoded(author_client, media):
    # Issue 22, F9: each frame is under the pixel cap; together they are 50 million pixels.
    gif = animated_gif(2500, 2500, frames=8)
    assert len(gif) < 1000
    with Image.open(io.BytesIO(gif)) as image:
        assert (image.size, image.n_frames) == ((2500, 2500), 8)

    response = upload(author_client, "frames.gif", gif, "image/gif")

    assert response.status_code == 400
    assert "This animation is too large (8 frames of 2500 × 2500 pixels)" in error_text(response)
    assert stored_files(media) == []


def test_an_animation_of_too_many_frames_is_refused(author_client, media):
    response = upload(author_client, "long.gif", animated_gif(10, 10, frames=101), "image/gif")
    assert response.status_code == 400
    assert "at most 100 frames" in error_text(response)
    assert stored_files(media) == []


def test_a_small_animation_is_still_stored_with_its_frames(author_client, media):
    response = upload(author_client, "small.gif", animated_gif(200, 200, frames=20), "image/gif")
    assert response.status_code == 200
    (stored,) = stored_files(media)
    with Image.open(stored) as image:
        assert image.size == (200, 200)


def test_a_gif_of_tens_of_thousands_of_empty_frames_is_refused_quickly(author_client, media):
    gif = animated_gif(6000, 6000, frames=90_000)
    assert len(gif) < 2 * 1024 * 1024
    started = time.perf_counter()
    response = upload(author_client, "many.gif", gif, "image/gif")
    seconds = time.perf_counter() - started
    assert response.status_code == 400
    assert "This animation is too large (90000 frames of 6000 × 6000 pixels)" in error_text(response)
    assert seconds < 3  # counted from the frame headers: no frame decoded
    assert stored_files(media) == []
