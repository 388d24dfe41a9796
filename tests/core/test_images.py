"""Tests for forum.core.images: every upload is checked and re-encoded.

All images are generated in memory with Pillow, or assembled byte by byte
where Pillow would refuse to write them (headers claiming huge sizes).
"""

import io
import random
import struct
import zlib

import pytest
from PIL import ExifTags, Image, ImageFile

from forum.core.images import (
    AVATAR_SIZES,
    MAX_UPLOAD_BYTES,
    ImageRejected,
    open_checked,
    process_avatar,
    process_news_image,
)

RED = (255, 0, 0)
GREEN = (0, 255, 0)
BLUE = (0, 0, 255)
WHITE = (255, 255, 255)


def encode(img: Image.Image, image_format: str, **options) -> bytes:
    buffer = io.BytesIO()
    img.save(buffer, format=image_format, **options)
    return buffer.getvalue()


def decode(data: bytes) -> Image.Image:
    img = Image.open(io.BytesIO(data))
    img.load()
    return img


def assert_colour(pixel, expected, tolerance=40):
    assert all(
        abs(got - want) <= tolerance
        for got, want in zip(pixel[:3], expected, strict=True)
    ), f"{pixel} is not close to {expected}"


def png_chunk(kind: bytes, payload: bytes) -> bytes:
    crc = zlib.crc32(kind + payload)
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)


def handmade_png(width: int, height: int, idat: bytes, bit_depth: int = 8) -> bytes:
    """A greyscale PNG whose header says whatever size we like."""
    header = struct.pack(">IIBBBBB", width, height, bit_depth, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", idat)
        + png_chunk(b"IEND", b"")
    )


def blank_bilevel_png(width: int, height: int) -> bytes:
    """A complete, valid all-black 1-bit PNG: tiny on disk, huge in memory."""
    row = b"\x00" * (1 + (width + 7) // 8)
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(height))
    return handmade_png(width, height, idat + compressor.flush(), bit_depth=1)


def noise_image(width: int, height: int) -> Image.Image:
    pixels = random.Random(7).randbytes(width * height * 3)
    return Image.frombytes("RGB", (width, height), pixels)


def rejection_message(data: bytes, **kwargs) -> str:
    with pytest.raises(ImageRejected) as caught:
        open_checked(data, **kwargs)
    return str(caught.value)


def assert_square_webp_avatars(avatars: dict[int, bytes]) -> None:
    assert sorted(avatars) == sorted(AVATAR_SIZES)
    for size, data in avatars.items():
        img = decode(data)
        assert img.format == "WEBP"
        assert img.size == (size, size)


# Avatars


@pytest.mark.parametrize("image_format", ["PNG", "JPEG", "GIF", "WEBP"])
def test_avatar_is_three_square_webp_sizes_for_each_allowed_format(image_format):
    data = encode(Image.new("RGB", (300, 200), GREEN), image_format)

    avatars = process_avatar(data)

    assert_square_webp_avatars(avatars)
    assert_colour(decode(avatars[96]).convert("RGB").getpixel((48, 48)), GREEN)


def test_avatar_from_animated_gif_uses_first_frame():
    frames = [Image.new("RGB", (120, 120), colour) for colour in (RED, BLUE)]
    data = encode(frames[0], "GIF", save_all=True, append_images=frames[1:])
    assert decode(data).n_frames == 2

    avatars = process_avatar(data)

    assert_square_webp_avatars(avatars)
    assert_colour(decode(avatars[192]).convert("RGB").getpixel((96, 96)), RED)


def test_avatar_from_animated_webp_uses_first_frame():
    frames = [Image.new("RGB", (120, 120), colour) for colour in (RED, BLUE)]
    data = encode(frames[0], "WEBP", save_all=True, append_images=frames[1:])
    assert decode(data).n_frames == 2

    avatars = process_avatar(data)

    assert_square_webp_avatars(avatars)
    assert decode(avatars[48]).n_frames == 1
    assert_colour(decode(avatars[48]).convert("RGB").getpixel((24, 24)), RED)


def test_avatar_scales_up_small_images_so_every_size_exists():
    avatars = process_avatar(encode(Image.new("RGB", (20, 10), BLUE), "PNG"))

    assert_square_webp_avatars(avatars)


def test_avatar_crops_the_centre_of_a_wide_image():
    img = Image.new("RGB", (300, 100), RED)
    img.paste(GREEN, (100, 0, 200, 100))

    avatar = decode(process_avatar(encode(img, "PNG"))[192]).convert("RGB")

    # The red side bands are cut away, leaving only the green middle.
    for x in (5, 96, 186):
        assert_colour(avatar.getpixel((x, 96)), GREEN)


def exif_with_camera_and_gps(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "SnoopCam"
    exif[ExifTags.Base.Model] = "Stalker 3000"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (52.0, 22.0, 7.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (4.0, 53.0, 41.0)
    return exif


def photo_with_metadata() -> bytes:
    data = encode(
        Image.new("RGB", (200, 150), GREEN),
        "JPEG",
        exif=exif_with_camera_and_gps(),
        icc_profile=b"not-really-an-icc-profile",
        xmp=b"<x:xmpmeta>SecretXmp</x:xmpmeta>",
        comment=b"SecretComment",
    )
    # Make sure the test photo really carries what we expect to be stripped.
    source = decode(data)
    assert source.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert {"exif", "icc_profile", "xmp", "comment"} <= set(source.info)
    return data


def assert_no_metadata(data: bytes) -> None:
    img = decode(data)
    assert not set(img.info) & {"exif", "icc_profile", "xmp", "comment"}
    assert not img.getexif()
    for leak in (b"SnoopCam", b"Stalker", b"SecretXmp", b"SecretComment", b"Exif"):
        assert leak not in data


def test_avatar_strips_exif_gps_data():
    avatars = process_avatar(photo_with_metadata(), filename="holiday.jpg")

    for data in avatars.values():
        assert_no_metadata(data)


def test_news_image_strips_exif_gps_data():
    jpeg, _, _ = process_news_image(photo_with_metadata())

    assert_no_metadata(jpeg)


def test_open_checked_returns_image_without_metadata():
    img = open_checked(photo_with_metadata())

    assert img.info == {}
    assert not img.getexif()


def test_avatar_applies_exif_orientation_before_cropping():
    # Stored tall with red on top; orientation 6 means "rotate 90° clockwise
    # to display", so the viewer sees it wide with red on the right.
    tall = Image.new("RGB", (100, 200), BLUE)
    tall.paste(RED, (0, 0, 100, 100))
    data = encode(tall, "JPEG", quality=95, exif=exif_with_camera_and_gps(6))

    avatar = decode(process_avatar(data)[192]).convert("RGB")

    # Cropping the stored image instead would give red along the whole top.
    assert_colour(avatar.getpixel((20, 20)), BLUE)
    assert_colour(avatar.getpixel((172, 20)), RED)
    assert_colour(avatar.getpixel((20, 172)), BLUE)
    assert_colour(avatar.getpixel((172, 172)), RED)


def test_news_image_applies_exif_orientation():
    tall = Image.new("RGB", (100, 200), BLUE)
    tall.paste(RED, (0, 0, 100, 100))
    data = encode(tall, "JPEG", quality=95, exif=exif_with_camera_and_gps(6))

    jpeg, width, height = process_news_image(data)

    assert (width, height) == (200, 100)
    assert_colour(decode(jpeg).getpixel((180, 50)), RED)


def test_avatar_keeps_transparency_from_rgba_png():
    img = Image.new("RGBA", (100, 100), (0, 0, 0, 0))
    img.paste((0, 255, 0, 255), (30, 30, 70, 70))

    avatar = decode(process_avatar(encode(img, "PNG"))[192])

    assert avatar.mode == "RGBA"
    assert avatar.getpixel((2, 2))[3] == 0
    assert avatar.getpixel((96, 96))[3] == 255
    assert_colour(avatar.getpixel((96, 96)), GREEN)


def test_avatar_keeps_transparency_from_palette_png():
    img = Image.new("P", (60, 60), 0)
    img.putpalette([0, 0, 0, 255, 0, 0])
    img.paste(1, (20, 20, 40, 40))
    data = encode(img, "PNG", transparency=0)

    avatar = decode(process_avatar(data)[96])

    assert avatar.mode == "RGBA"
    assert avatar.getpixel((2, 2))[3] == 0
    assert avatar.getpixel((48, 48))[3] == 255
    assert_colour(avatar.getpixel((48, 48)), RED)


def test_avatar_from_greyscale_with_alpha_png_keeps_alpha():
    img = Image.new("LA", (50, 50), (0, 0))
    img.paste((200, 255), (10, 10, 40, 40))

    avatar = decode(process_avatar(encode(img, "PNG"))[48])

    assert avatar.mode == "RGBA"
    assert avatar.getpixel((1, 1))[3] == 0
    assert_colour(avatar.getpixel((24, 24)), (200, 200, 200))


def cmyk_red_jpeg() -> bytes:
    data = encode(Image.new("CMYK", (90, 60), (0, 255, 255, 0)), "JPEG")
    assert decode(data).mode == "CMYK"
    return data


def test_avatar_from_cmyk_jpeg_is_rgb_webp():
    avatars = process_avatar(cmyk_red_jpeg())

    assert_square_webp_avatars(avatars)
    assert_colour(decode(avatars[96]).convert("RGB").getpixel((48, 48)), RED)


def test_news_image_from_cmyk_jpeg_is_rgb_jpeg():
    jpeg, width, height = process_news_image(cmyk_red_jpeg())

    img = decode(jpeg)
    assert img.mode == "RGB"
    assert (width, height) == img.size == (90, 60)
    assert_colour(img.getpixel((45, 30)), RED)


def sixteen_bit_png() -> bytes:
    """64×32 16-bit grey: full white on the left, half grey on the right."""
    row = struct.pack("<32H", *[65535] * 32) + struct.pack("<32H", *[32768] * 32)
    data = encode(Image.frombytes("I;16", (64, 32), row * 32), "PNG")
    assert decode(data).mode.startswith("I")
    return data


def test_news_image_from_16_bit_png_keeps_grey_tones():
    jpeg, width, height = process_news_image(sixteen_bit_png())

    img = decode(jpeg)
    assert (width, height) == img.size == (64, 32)
    assert_colour(img.getpixel((8, 16)), WHITE, tolerance=8)
    # Clipping instead of scaling would make this white too.
    assert_colour(img.getpixel((56, 16)), (128, 128, 128), tolerance=8)


def test_avatar_from_16_bit_png():
    assert_square_webp_avatars(process_avatar(sixteen_bit_png()))


def test_16_bit_png_transparency_key_becomes_alpha():
    img = Image.frombytes("I;16", (2, 1), struct.pack("<2H", 1000, 40000))
    data = encode(img, "PNG", transparency=1000)

    clean = open_checked(data)

    assert clean.mode == "RGBA"
    assert clean.getpixel((0, 0))[3] == 0
    assert clean.getpixel((1, 0)) == (156, 156, 156, 255)


def test_multi_picture_jpeg_counts_as_jpeg():
    frames = [Image.new("RGB", (40, 40), colour) for colour in (RED, BLUE)]
    data = encode(frames[0], "MPO", save_all=True, append_images=frames[1:])

    avatars = process_avatar(data, filename="stereo.jpg")

    assert_square_webp_avatars(avatars)
    assert_colour(decode(avatars[48]).convert("RGB").getpixel((24, 24)), RED)


# News images


def test_news_image_downscales_wide_image_to_max_width():
    img = Image.new("RGB", (2000, 1000), BLUE)
    img.paste(RED, (1000, 0, 2000, 1000))

    jpeg, width, height = process_news_image(encode(img, "PNG"))

    out = decode(jpeg)
    assert out.format == "JPEG"
    assert (width, height) == out.size == (800, 400)
    assert_colour(out.getpixel((100, 200)), BLUE)
    assert_colour(out.getpixel((700, 200)), RED)


def test_news_image_keeps_small_image_size():
    jpeg, width, height = process_news_image(
        encode(Image.new("RGB", (300, 200), BLUE), "PNG")
    )

    img = decode(jpeg)
    assert img.format == "JPEG"
    assert (width, height) == img.size == (300, 200)


def test_news_image_is_progressive_jpeg():
    jpeg, _, _ = process_news_image(encode(noise_image(100, 80), "PNG"))

    assert decode(jpeg).info.get("progressive")


def test_news_image_respects_custom_max_width_and_rounds_height():
    _, width, height = process_news_image(
        encode(Image.new("RGB", (300, 200), BLUE), "PNG"), max_width=100
    )

    assert (width, height) == (100, 67)


def test_news_image_puts_transparency_on_white():
    img = Image.new("RGBA", (100, 100), (0, 0, 0, 0))
    img.paste((255, 0, 0, 255), (40, 40, 60, 60))

    jpeg, _, _ = process_news_image(encode(img, "PNG"))

    out = decode(jpeg)
    assert out.mode == "RGB"
    assert_colour(out.getpixel((5, 5)), WHITE, tolerance=4)
    assert_colour(out.getpixel((50, 50)), RED)


def test_news_image_respects_custom_max_bytes():
    data = encode(noise_image(100, 100), "PNG")

    with pytest.raises(ImageRejected, match="larger than 1 KB"):
        process_news_image(data, max_bytes=1024)


def test_news_image_refuses_non_positive_max_width_as_programming_error():
    data = encode(Image.new("RGB", (10, 10), BLUE), "PNG")

    with pytest.raises(ValueError) as caught:
        process_news_image(data, max_width=0)
    assert not isinstance(caught.value, ImageRejected)


# Byte-level checks


def test_rejects_oversized_bytes_before_reading_them():
    message = rejection_message(b"\x00" * (MAX_UPLOAD_BYTES + 1))

    assert message == "The image is larger than 5 MB."


def test_accepts_upload_of_exactly_the_byte_limit_as_far_as_size_goes():
    message = rejection_message(b"\x00" * MAX_UPLOAD_BYTES)

    assert "larger than" not in message


def test_rejects_empty_bytes():
    assert "empty" in rejection_message(b"")


def test_avatar_rejects_oversized_bytes():
    with pytest.raises(ImageRejected, match="larger than 5 MB"):
        process_avatar(b"\xff" * (MAX_UPLOAD_BYTES + 1))


# Files that are not images we can read


def test_rejects_random_bytes():
    message = rejection_message(random.Random(3).randbytes(4000))

    assert "not an image we can read" in message


def test_rejects_png_with_corrupt_pixel_data():
    data = bytearray(encode(noise_image(64, 64), "PNG"))
    idat = data.index(b"IDAT")
    data[idat + 20 : idat + 400] = b"\x00" * 380

    message = rejection_message(bytes(data))

    assert "not an image we can read" in message


def test_rejects_truncated_jpeg(monkeypatch):
    # Pillow can be told globally to pad truncated files with grey; make sure
    # this test sees its default behaviour.
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", False)
    data = encode(noise_image(256, 256), "JPEG", quality=90)

    message = rejection_message(data[: len(data) // 2])

    assert "not an image we can read" in message
    assert "damaged or incomplete" in message


def test_rejects_text_file():
    message = rejection_message(b"Dear forum, this is my avatar.\n" * 20)

    assert "not an image we can read" in message
    assert "JPEG, PNG, GIF or WebP" in message


def test_rejects_svg():
    svg = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b"<script>alert(document.cookie)</script></svg>"
    )

    message = rejection_message(svg, filename="logo.svg")

    assert "SVG" in message
    assert "Please upload a JPEG, PNG, GIF or WebP image." in message


@pytest.mark.parametrize(
    ("image_format", "name"), [("BMP", "BMP"), ("TIFF", "TIFF"), ("ICO", "icon")]
)
def test_rejects_other_image_formats(image_format, name):
    data = encode(Image.new("RGB", (32, 32), RED), image_format)

    message = rejection_message(data)

    assert name in message
    assert "Please upload a JPEG, PNG, GIF or WebP image." in message


# File name versus content


def test_rejects_png_named_jpg():
    data = encode(Image.new("RGB", (10, 10), RED), "PNG")

    message = rejection_message(data, filename="photo.jpg")

    assert "This file is a PNG image" in message
    assert ".jpg" in message
    assert ".png" in message


def test_avatar_rejects_jpeg_named_gif():
    data = encode(Image.new("RGB", (10, 10), RED), "JPEG")

    with pytest.raises(ImageRejected, match=r"JPEG image .* ends in \.gif"):
        process_avatar(data, filename="funny.gif")


@pytest.mark.parametrize(
    "filename",
    [
        "",
        "photo.jpg",
        "photo.JPEG",
        "photo.jfif",
        "photo.jpe",
        "C:\\Users\\me\\Pictures\\photo.jpg",
        "avatar",
        "scan.dat",
    ],
)
def test_accepts_jpeg_whose_name_agrees_or_says_nothing(filename):
    data = encode(Image.new("RGB", (10, 10), RED), "JPEG")

    assert open_checked(data, filename=filename).size == (10, 10)


# Pixel limits and decompression bombs


def test_rejects_header_claiming_30000_by_30000_pixels():
    data = handmade_png(30_000, 30_000, zlib.compress(b""))
    assert len(data) < 100

    message = rejection_message(data)

    assert "25 megapixels" in message


def test_pixel_limit_does_not_depend_on_pillow_global(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", None)

    def refuse_to_decode(self):
        raise AssertionError("pixel data was decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse_to_decode)
    data = handmade_png(30_000, 30_000, zlib.compress(b""))

    message = rejection_message(data)

    assert message == ("The image is 30000 × 30000 pixels; the limit is 25 megapixels.")


def test_rejects_decompression_bomb_png():
    data = blank_bilevel_png(10_000, 10_000)
    # 100 megapixels squeezed into a few kilobytes.
    assert len(data) < 50_000

    message = rejection_message(data)

    assert "25 megapixels" in message


def test_rejects_decompression_bomb_png_when_pillow_limit_is_off(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", None)
    data = blank_bilevel_png(10_000, 10_000)

    message = rejection_message(data)

    assert "10000 × 10000 pixels" in message


def test_rejects_image_just_over_custom_pixel_limit():
    data = encode(Image.new("RGB", (100, 80), RED), "PNG")

    message = rejection_message(data, max_pixels=7_999)

    assert message == "The image is 100 × 80 pixels; the limit is 7,999 pixels."


def test_accepts_image_exactly_at_custom_pixel_limit():
    data = encode(Image.new("RGB", (100, 80), RED), "PNG")

    assert open_checked(data, max_pixels=8_000).size == (100, 80)


def test_rejected_error_is_a_value_error():
    assert issubclass(ImageRejected, ValueError)


# --- pictures in posts (forum.core.images.process_attachment_image) ---


def test_a_post_picture_keeps_its_orientation_and_loses_its_metadata():
    from forum.core.images import process_attachment_image

    exif = Image.Exif()
    exif[0x0112] = 6  # rotated: the camera was held upright
    exif[0x010F] = "SpyCam Inc."
    data = encode(Image.new("RGB", (400, 200), RED), "JPEG", exif=exif.tobytes())

    picture = process_attachment_image(data, filename="upright.jpg")

    assert (picture.width, picture.height) == (200, 400)
    assert b"SpyCam" not in picture.data
    assert not decode(picture.data).getexif()
    assert picture.thumbnails == {}  # narrower than every thumbnail width


def test_a_post_picture_gets_thumbnails_narrower_than_itself_only():
    from forum.core.images import process_attachment_image

    picture = process_attachment_image(encode(Image.new("RGB", (700, 350)), "PNG"))

    assert sorted(picture.thumbnails) == [320, 640]
    assert picture.thumbnails[320][1] == 160
    assert decode(picture.thumbnails[640][0]).size == (640, 320)


def test_a_heic_photo_is_taken_when_the_decoder_is_installed():
    from forum.core import images

    if images.pillow_heif is None:
        pytest.skip("pillow-heif does not install on this platform")
    data = encode(Image.new("RGB", (64, 48), GREEN), "HEIF")
    picture = images.process_attachment_image(data, filename="IMG_0001.HEIC")
    assert (picture.width, picture.height, picture.content_type) == (
        64,
        48,
        "image/webp",
    )


@pytest.mark.parametrize(
    "tail",
    [b"<script>alert(1)</script>", b"<html><body>hi</body></html>"],
)
def test_a_picture_carrying_markup_is_refused(tail):
    from forum.core.images import process_attachment_image

    with pytest.raises(ImageRejected, match="web page code"):
        process_attachment_image(encode(Image.new("RGB", (8, 8)), "PNG") + tail)
