"""Checking and re-encoding of images that members upload.

A member's original bytes are never served back. Every upload is decoded with
Pillow, checked against size, format and pixel limits, and then rebuilt from
its pixel data alone, so EXIF (GPS position, camera serial numbers), ICC and
XMP blocks, comments and anything smuggled after the image data are left
behind, and other members' browsers only ever see files we encoded ourselves.
"""

import io
import struct
import warnings
from dataclasses import dataclass, field

from PIL import Image, ImageMath, ImageOps, UnidentifiedImageError

try:  # HEIC photos from phones, when the wheel installs on this machine
    import pillow_heif
except ImportError:  # pragma: no cover - depends on the platform
    pillow_heif = None
else:
    pillow_heif.register_heif_opener()

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 25_000_000
AVATAR_SIZES = (48, 96, 192)
ALLOWED_FORMATS = frozenset({"JPEG", "PNG", "GIF", "WEBP"})

AVATAR_WEBP_QUALITY = 85
NEWS_JPEG_QUALITY = 82

# Pillow is only ever handed the list of formats we accept (open_checked's
# `formats`): the parsers for rarer ones (TIFF, PSD, ICO, ...) never run on
# untrusted bytes at all.
# Pictures in posts also take HEIC (decoded by pillow-heif, re-encoded as WebP).
ATTACHMENT_FORMATS = ALLOWED_FORMATS | ({"HEIF"} if pillow_heif else set())
ATTACHMENT_WIDTHS = (320, 640, 1280)
ATTACHMENT_MAX_SIDE = 2560
ATTACHMENT_WEBP_QUALITY = 82

# A multi-picture JPEG (some phones and 3D cameras) is still an ordinary JPEG
# to a browser; Pillow merely reports it under its own name.
_FORMAT_ALIASES = {"MPO": "JPEG"}

_DISPLAY_NAMES = {
    "JPEG": "JPEG",
    "PNG": "PNG",
    "GIF": "GIF",
    "WEBP": "WebP",
    "HEIF": "HEIC",
}
_USUAL_EXTENSIONS = {
    "JPEG": "jpg",
    "PNG": "png",
    "GIF": "gif",
    "WEBP": "webp",
    "HEIF": "heic",
}

# Only extensions that name an image format take part in the name check; a
# file called "avatar" or "scan.dat" says nothing we could contradict.
_EXTENSION_FORMATS = {
    "jpg": "JPEG",
    "jpeg": "JPEG",
    "jpe": "JPEG",
    "jfif": "JPEG",
    "png": "PNG",
    "gif": "GIF",
    "webp": "WEBP",
    "bmp": "BMP",
    "tif": "TIFF",
    "tiff": "TIFF",
    "svg": "SVG",
    "svgz": "SVG",
    "ico": "ICO",
    "psd": "PSD",
    "heic": "HEIF",
    "heif": "HEIF",
    "avif": "AVIF",
    "jxl": "JPEG XL",
}

# Errors Pillow raises for damaged, truncated or hostile files. Anything in
# here means "we could not decode it", which is the member's problem to fix,
# not a server error.
_DECODE_ERRORS = (
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    IndexError,
    struct.error,
)

_UPLOAD_HINT = "Please upload a JPEG, PNG, GIF or WebP image."
_UNREADABLE = "This file is not an image we can read."
_DAMAGED = f"{_UNREADABLE} It may be damaged or incomplete."


class ImageRejected(ValueError):
    """An upload we refuse; ``str()`` is a message fit to show the member."""


def open_checked(
    data: bytes,
    *,
    filename: str = "",
    max_bytes: int = MAX_UPLOAD_BYTES,
    max_pixels: int = MAX_PIXELS,
    formats: frozenset[str] = ALLOWED_FORMATS,
) -> Image.Image:
    """Validate an uploaded image and return its pixels as a clean image.

    The byte size is checked before Pillow sees the data, the format and the
    pixel count before any pixel data is decoded, and ``filename`` (when
    given) must not claim a different image format than the content.

    The result is the first frame only, with the EXIF orientation applied,
    in mode ``RGB`` or ``RGBA`` (``RGBA`` only when the source has
    transparency), and with an empty ``info``: no metadata survives.

    Raises ImageRejected with a message for the member when anything is
    wrong with the upload.
    """
    _check_byte_size(data, max_bytes)
    # Pillow only warns about images above its global limit (and errors at
    # twice it). Making the warning an error stops at the header whatever the
    # global is set to; our own pixel check below is the real limit, so if a
    # thread races on the process-wide warning filters the worst outcome is a
    # stray warning in the log.
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=sorted(formats)) as img:
                image_format = _FORMAT_ALIASES.get(img.format, img.format)
                if image_format not in formats:
                    raise ImageRejected(_UPLOAD_HINT)
                _check_filename(image_format, filename)
                # Image.open only parsed the header, so this refuses a
                # decompression bomb before it can allocate anything.
                _check_pixel_count(img.size, max_pixels)
                img.load()
                return _pixels_only(img)
        except ImageRejected:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            # Pillow's own guard fired before we could read the dimensions.
            raise ImageRejected(
                "The image has too many pixels; the limit is "
                f"{_describe_pixel_limit(max_pixels)}."
            ) from exc
        except UnidentifiedImageError as exc:
            raise ImageRejected(_unidentified_message(data)) from exc
        except _DECODE_ERRORS as exc:
            raise ImageRejected(_DAMAGED) from exc


def process_avatar(data: bytes, *, filename: str = "") -> dict[int, bytes]:
    """Turn an uploaded image into square WebP avatars.

    Returns ``{size: webp_bytes}`` for every size in AVATAR_SIZES. The image
    is centre-cropped to a square and resized to each size (small sources
    are scaled up so every size exists). Transparency is kept.

    Raises ImageRejected when the upload is refused.
    """
    img = open_checked(data, filename=filename)
    side = min(img.size)
    left = (img.width - side) // 2
    top = (img.height - side) // 2
    square = (left, top, left + side, top + side)
    avatars = {}
    for size in AVATAR_SIZES:
        # Resampling straight from the crop box avoids copying the crop, and
        # reducing_gap keeps shrinking a 25 MP photo to 48 px cheap at no
        # visible cost in quality.
        resized = img.resize(
            (size, size), Image.Resampling.LANCZOS, box=square, reducing_gap=3.0
        )
        avatars[size] = _encode(resized, "WEBP", quality=AVATAR_WEBP_QUALITY)
    return avatars


def process_news_image(
    data: bytes, *, max_width: int = 800, max_bytes: int = MAX_UPLOAD_BYTES
) -> tuple[bytes, int, int]:
    """Turn an uploaded image into a JPEG for a news article.

    Images wider than ``max_width`` are scaled down keeping their aspect
    ratio; narrower ones keep their size. Transparent areas become white.

    Returns ``(jpeg_bytes, width, height)``. Raises ImageRejected when the
    upload is refused.
    """
    if max_width < 1:
        raise ValueError(f"max_width must be positive, not {max_width}")
    img = open_checked(data, max_bytes=max_bytes)
    if img.mode == "RGBA":
        img = _flatten_on_white(img)
    if img.width > max_width:
        height = max(1, round(img.height * max_width / img.width))
        img = img.resize(
            (max_width, height), Image.Resampling.LANCZOS, reducing_gap=3.0
        )
    jpeg = _encode(
        img, "JPEG", quality=NEWS_JPEG_QUALITY, progressive=True, optimize=True
    )
    return jpeg, img.width, img.height


@dataclass(frozen=True)
class Picture:
    """A picture for a post, re-encoded: the full image and smaller copies."""

    data: bytes
    width: int
    height: int
    # {width: (webp bytes, height)} for each of ATTACHMENT_WIDTHS narrower
    # than the picture itself.
    thumbnails: dict[int, tuple[bytes, int]] = field(default_factory=dict)
    content_type: str = "image/webp"
    extension: str = "webp"


def process_attachment_image(
    data: bytes,
    *,
    filename: str = "",
    max_bytes: int = MAX_UPLOAD_BYTES,
    max_pixels: int = MAX_PIXELS,
    widths: tuple[int, ...] = ATTACHMENT_WIDTHS,
) -> Picture:
    """Turn an uploaded picture into WebP files for a post: the picture (no
    side over ATTACHMENT_MAX_SIDE) and a copy at each of `widths` it is wider
    than, for srcset. Everything open_checked refuses is refused, and so is a
    file that carries another one inside it (a ZIP archive appended to a JPEG,
    HTML or script in a GIF): re-encoding would drop the extra bytes, but such
    a file is made to fool someone, and the member is told so.

    Raises ImageRejected when the upload is refused.
    """
    _check_byte_size(data, max_bytes)
    _check_hidden_payload(data)
    img = open_checked(
        data,
        filename=filename,
        max_bytes=max_bytes,
        max_pixels=max_pixels,
        formats=ATTACHMENT_FORMATS,
    )
    if max(img.size) > ATTACHMENT_MAX_SIDE:
        img = _fit(img, ATTACHMENT_MAX_SIDE)
    thumbnails = {}
    for width in sorted(widths):
        if width < img.width:
            height = max(1, round(img.height * width / img.width))
            small = img.resize(
                (width, height), Image.Resampling.LANCZOS, reducing_gap=3.0
            )
            encoded = _encode(small, "WEBP", quality=ATTACHMENT_WEBP_QUALITY)
            thumbnails[width] = (encoded, height)
    full = _encode(img, "WEBP", quality=ATTACHMENT_WEBP_QUALITY)
    return Picture(full, img.width, img.height, thumbnails)


def _fit(img: Image.Image, side: int) -> Image.Image:
    scale = side / max(img.size)
    size = (max(1, round(img.width * scale)), max(1, round(img.height * scale)))
    return img.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


# Markers of a second file riding in an image: markup a browser would run if
# the bytes were ever served as HTML, and a ZIP archive's directory at the end
# (where unzip looks for it, whatever comes before).
_HIDDEN_MARKUP = (b"<script", b"<html", b"<?php", b"<svg", b"<iframe", b"<!doctype")
_HIDDEN_ZIP = b"PK\x05\x06"
_ZIP_TAIL = 22 + 65535  # the end record and the longest comment it may have


def _check_hidden_payload(data: bytes) -> None:
    lowered = data.lower()
    if any(marker in lowered for marker in _HIDDEN_MARKUP):
        raise ImageRejected(
            "This image also holds web page code (HTML or script), so it cannot "
            "be attached. Open it in an image editor, save it again as a JPEG or "
            "PNG, and upload that."
        )
    end = data.rfind(_HIDDEN_ZIP, max(0, len(data) - _ZIP_TAIL))
    if end != -1 and len(data) >= end + 22:
        comment = int.from_bytes(data[end + 20 : end + 22], "little")
        if end + 22 + comment == len(data):
            raise ImageRejected(
                "This image has a ZIP archive hidden at its end, so it cannot be "
                "attached. Attach the archive as a file of its own, or save the "
                "picture again from an image editor."
            )


def _check_byte_size(data: bytes, max_bytes: int) -> None:
    if not data:
        raise ImageRejected("The file is empty.")
    if len(data) > max_bytes:
        raise ImageRejected(f"The image is larger than {_describe_bytes(max_bytes)}.")


def _check_filename(image_format: str, filename: str) -> None:
    # Browsers on some systems send the whole client-side path.
    basename = filename.replace("\\", "/").rsplit("/", 1)[-1]
    _, dot, extension = basename.strip().rpartition(".")
    if not dot:
        return
    extension = extension.lower()
    claimed = _EXTENSION_FORMATS.get(extension)
    if claimed is None or claimed == image_format:
        return
    actual = _DISPLAY_NAMES[image_format]
    raise ImageRejected(
        f"This file is a {actual} image but its name ends in .{extension}. "
        f"Rename it to end in .{_USUAL_EXTENSIONS[image_format]} and upload it "
        "again."
    )


def _check_pixel_count(size: tuple[int, int], max_pixels: int) -> None:
    width, height = size
    if width * height > max_pixels:
        raise ImageRejected(
            f"The image is {width} × {height} pixels; the limit is "
            f"{_describe_pixel_limit(max_pixels)}."
        )


def _pixels_only(img: Image.Image) -> Image.Image:
    try:
        oriented = ImageOps.exif_transpose(img)
    except _DECODE_ERRORS:
        # A malformed EXIF block should not block a photo that decoded fine;
        # the metadata is thrown away below in any case.
        oriented = img.copy()
    converted = _to_rgb_or_rgba(oriented)
    # A new image has an empty info dict, so EXIF, ICC profiles, XMP and
    # comments cannot ride along into the encoder.
    clean = Image.new(converted.mode, converted.size)
    clean.paste(converted)
    return clean


def _to_rgb_or_rgba(img: Image.Image) -> Image.Image:
    if img.mode.startswith("I"):
        return _deep_grey_to_rgb(img)
    if img.mode == "RGBA" or (img.mode == "RGB" and not img.has_transparency_data):
        return img
    # Pillow's convert applies palette alpha and tRNS colour keys itself.
    return img.convert("RGBA" if img.has_transparency_data else "RGB")


def _deep_grey_to_rgb(img: Image.Image) -> Image.Image:
    wide = img.convert("I")
    # Pillow clips 16-bit values when narrowing them to 8 bits, which would
    # turn everything above 255 white; scaling keeps the tones.
    grey = wide.point(lambda value: value * (1 / 256)).convert("L")
    key = img.info.get("transparency")
    if not isinstance(key, int):
        return grey.convert("RGB")
    # convert() ignores a 16-bit transparency key, so build the alpha here.
    alpha = ImageMath.lambda_eval(lambda pixels: (pixels["v"] != key) * 255, v=wide)
    return Image.merge("RGBA", (grey, grey, grey, alpha.convert("L")))


def _flatten_on_white(img: Image.Image) -> Image.Image:
    background = Image.new("RGB", img.size, (255, 255, 255))
    background.paste(img, mask=img.getchannel("A"))
    return background


def _encode(img: Image.Image, image_format: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    img.save(buffer, format=image_format, **options)
    return buffer.getvalue()


def _unidentified_message(data: bytes) -> str:
    other = _sniff_other_format(data)
    if other is None:
        return f"{_UNREADABLE} {_UPLOAD_HINT}"
    return f"This file is in {other} format. {_UPLOAD_HINT}"


def _sniff_other_format(data: bytes) -> str | None:
    # Recognising common formats by their signature lets us tell the member
    # what they uploaded without running Pillow's parser for that format.
    head = data[:16]
    if head.startswith(b"BM"):
        return "BMP"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "TIFF"
    if head.startswith(b"8BPS"):
        return "Photoshop"
    if head.startswith(b"\x00\x00\x01\x00"):
        return "Windows icon"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"avif", b"avis"):
            return "AVIF"
        if brand in (b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1"):
            return "HEIC"
    if head.startswith(b"\xff\x0a") or head.startswith(b"\x00\x00\x00\x0cJXL "):
        return "JPEG XL"
    text_start = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text_start.startswith(b"<") and b"<svg" in text_start:
        return "SVG"
    return None


def svg_refusal() -> str:
    """What a member who uploads an SVG picture is told."""
    return (
        "SVG pictures can carry scripts, so they cannot be attached. Please "
        "export it as a PNG and upload that."
    )


def _describe_bytes(count: int) -> str:
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if count >= scale:
            return f"{round(count / scale, 1):g} {unit}"
    return f"{count} bytes"


def _describe_pixel_limit(max_pixels: int) -> str:
    if max_pixels >= 1_000_000:
        return f"{round(max_pixels / 1_000_000, 1):g} megapixels"
    return f"{max_pixels:,} pixels"
