"""Image bytes for avatar tests, built in memory."""

import io
import struct
import zlib

from PIL import Image


def image_bytes(fmt="PNG", size=(300, 200), color=(200, 30, 30), **save_options):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=fmt, **save_options)
    return buffer.getvalue()


def jpeg_with_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "SpyCam Inc."  # Make
    exif[0x0110] = "Model 7"  # Model
    return image_bytes("JPEG", exif=exif.tobytes())


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def huge_png_header(width=30_000, height=30_000) -> bytes:
    """A few hundred bytes claiming to be a width x height PNG: only the header is
    real, which is all a decompression-bomb check may look at."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )
