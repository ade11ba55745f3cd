"""
The markdownx editor's two endpoints, upload and preview, in place of the stock views.

django-markdownx stores a GIF (and anything declared as one) byte for byte
under the client's own extension, so `x.html` declared as `image/gif` became
a page on our origin (issue 15). Here every upload must really be a JPEG, PNG,
WebP or GIF and is re-encoded by Pillow from its pixels, stored under a random
name with the detected format's extension, without a photo's EXIF/GPS metadata.

Both need the permission to change pages; anonymous requests get a plain 404,
never a redirect that would reveal the admin's address (DJANGO_ADMIN_PATH).
"""

import io
import uuid
import warnings

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.template.defaultfilters import filesizeformat
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from PIL import Image, ImageOps, ImageSequence

from content import markdown

# The formats we accept, as Pillow names them, and the extension each is stored under.
IMAGE_EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
# Far more than any photo an editor needs; a larger canvas is refused before
# its pixels are decoded (a "decompression bomb": a small file, a huge image).
MAX_PIXELS = 40_000_000
# An animation is decoded frame by frame, each frame the whole canvas: 20 frames
# of 6000 × 6000 in a 540 kB GIF took a worker to 3.5 GB (issue 22, F9). So the
# pixels of all frames together have the same cap as one still image, and the
# frames are counted from the file's headers before any is decoded.
MAX_FRAMES = 100


def _require_editor(request):
    user = request.user
    if not (user.is_authenticated and user.is_active and user.is_staff):
        raise Http404
    if not user.has_perm("content.change_page"):
        raise PermissionDenied


def _reencode(image):
    """The image's pixels written anew by Pillow: no metadata, comments or trailing bytes."""
    frames = [frame.copy() for frame in ImageSequence.Iterator(image)]
    if len(frames) == 1:
        # Keep the photo upright once its orientation tag is gone.
        frames = [ImageOps.exif_transpose(frames[0])]
    for frame in frames:
        # No comment, EXIF, XMP, ICC or text chunk is copied over; only which colour is transparent.
        frame.info = {key: value for key, value in frame.info.items() if key == "transparency"}
    options = {}
    if image.format == "JPEG":
        if frames[0].mode not in ("RGB", "L"):
            frames = [frame.convert("RGB") for frame in frames]
        options = {"quality": 88}
    if len(frames) > 1:
        options.update(save_all=True, append_images=frames[1:], duration=image.info.get("duration", 100), loop=0)
    out = io.BytesIO()
    frames[0].save(out, image.format, **options)
    return out.getvalue()


class ImageUploadForm(forms.Form):
    image = forms.FileField()

    def clean_image(self):
        upload = self.cleaned_data["image"]
        limit = settings.MARKDOWNX_UPLOAD_MAX_SIZE
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is too large (%(size)s). Images may be at most %(limit)s."),
                params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
                code="too_large",
            )
        not_an_image = forms.ValidationError(
            _("This file is not a JPEG, PNG, WebP or GIF image, or it is damaged. Choose a photo or picture file."),
            code="not_an_image",
        )
        try:
            refuse_bombs = warnings.catch_warnings(action="error", category=Image.DecompressionBombWarning)
            with refuse_bombs, Image.open(upload) as image:
                if image.format not in IMAGE_EXTENSIONS:
                    raise not_an_image
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise forms.ValidationError(
                        _("This image is too large (%(width)s × %(height)s pixels). Make it smaller first."),
                        params={"width": width, "height": height},
                        code="too_many_pixels",
                    )
                # Read from the frame headers (GIF, APNG, WebP): no frame is decoded. A GIF's
                # frames are counted by walking its blocks (Pillow's seek would decode them):
                # 2 MB of empty frames, 95,000, take about 0.6 s to count.
                frames = getattr(image, "n_frames", 1)
                if frames > MAX_FRAMES or frames * width * height > MAX_PIXELS:
                    raise forms.ValidationError(
                        _(
                            "This animation is too large (%(frames)s frames of %(width)s × %(height)s "
                            "pixels). An animation may have at most %(max_frames)s frames and %(max_pixels)s "
                            "million pixels in all its frames together: make it smaller or shorter, or "
                            "use a still picture."
                        ),
                        params={
                            "frames": frames,
                            "width": width,
                            "height": height,
                            "max_frames": MAX_FRAMES,
                            "max_pixels": MAX_PIXELS // 1_000_000,
                        },
                        code="too_many_frames",
                    )
                image.load()
                self.cleaned_data["format"] = image.format
                self.cleaned_data["data"] = _reencode(image)
        except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError, Warning) as error:
            # UnidentifiedImageError is an OSError; truncated or corrupt data raise
            # OSError, SyntaxError or ValueError from the decoders.
            raise not_an_image from error
        return upload

    def save(self):
        extension = IMAGE_EXTENSIONS[self.cleaned_data["format"]]
        name = f"{settings.MARKDOWNX_MEDIA_PATH.rstrip('/')}/{uuid.uuid4().hex}.{extension}"
        stored = default_storage.save(name, ContentFile(self.cleaned_data["data"]))
        return default_storage.url(stored)


@require_POST
def upload_image(request):
    """markdownx's upload endpoint: JSON `{"image_code": "![](url)"}`, or the form's errors with 400."""
    _require_editor(request)
    form = ImageUploadForm(files=request.FILES)
    if not form.is_valid():
        return JsonResponse(form.errors, status=400)
    return JsonResponse({"image_code": f"![]({form.save()})"})


@require_POST
def preview(request):
    """markdownx's live preview: the page body as the public will see it, sanitised."""
    _require_editor(request)
    text = request.POST.get("content", "")
    try:
        markdown.check_body_length(text)
        rendered = markdown.render(text, time_limit=markdown.PREVIEW_TIME_LIMIT)
    except markdown.BodyRejected as error:
        return HttpResponseBadRequest(f'<p class="errornote">{escape(" ".join(error.messages))}</p>')
    return HttpResponse(rendered.html)
