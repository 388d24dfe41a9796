"""Files a member might attach, built in memory."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.accounts.imagedata import huge_png_header


def photo(size=(1600, 1200), *, gps=True, orientation=None) -> bytes:
    """A JPEG with a camera's EXIF block (GPS position included)."""
    exif = Image.Exif()
    exif[0x010F] = "SpyCam Inc."
    if gps:
        exif[0x8825] = {1: "N", 2: (33.0, 41.0, 0.0), 3: "E", 4: (73.0, 3.0, 0.0)}
    if orientation:
        exif[0x0112] = orientation
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def png(size=(400, 300)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    return buffer.getvalue()


SVG_WITH_SCRIPT = (
    b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)'
    b"</script><rect width='10' height='10'/></svg>"
)


def refusals() -> dict[str, tuple[str, bytes, str]]:
    """name -> (filename, bytes, words the member's message must hold)."""
    return {
        "not an image": (
            "holiday.jpg",
            b"just some text, not a picture",
            "not an image",
        ),
        "bomb": ("huge.png", huge_png_header(), "pixels"),
        "svg with script": ("logo.svg", SVG_WITH_SCRIPT, "SVG"),
        "polyglot": ("cat.jpg", photo((64, 64), gps=False) + zip_bytes(), "ZIP"),
        "html in a gif": (
            "anim.gif",
            _gif() + b"<script>alert(1)</script>",
            "web page code",
        ),
        "fake pdf": ("paper.pdf", b"MZ\x90\x00 this is a program", "not a PDF"),
        "executable": ("setup.exe", b"MZ\x90\x00", "cannot be attached"),
    }


def _gif() -> bytes:
    buffer = io.BytesIO()
    Image.new("P", (8, 8)).save(buffer, "GIF")
    return buffer.getvalue()


def upload(name: str, data: bytes, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)
