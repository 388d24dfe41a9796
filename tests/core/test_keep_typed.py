"""What a POST carried, sorted for showing back (forum/core/keep/typed.py)."""

from urllib.parse import urlencode

import pytest

from forum.core.keep.typed import (
    typed_from_multipart_prefix,
    typed_from_pairs,
    typed_from_urlencoded_prefix,
)


def kinds(typed) -> dict:
    return {field.name: field.kind for field in typed.fields}


def test_text_is_shown_machine_values_carried_and_secrets_dropped():
    typed = typed_from_pairs(
        [
            ("csrfmiddlewaretoken", "abc"),
            ("title", "Radar"),
            ("body", "Hello there"),
            ("next", "/threads/radar.5/page-2#post-9"),
            ("post_ids", "12"),
            ("password1", "s3cret"),
            ("oldpassword", "older"),
            ("code", "123456"),
            ("remark", "two words"),
        ]
    )

    assert kinds(typed) == {
        "title": "text",
        "body": "textarea",
        "next": "hidden",
        "post_ids": "hidden",
        "password1": "password",
        "oldpassword": "password",
        "code": "password",
        "remark": "text",
    }
    assert all(not f.value for f in typed.passwords)
    assert "abc" not in repr(typed) and "s3cret" not in repr(typed)


def test_a_form_of_machine_values_only_has_no_text_to_lose():
    typed = typed_from_pairs([("action", "delete"), ("confirm", "1"), ("title", "")])

    assert not typed.has_text


@pytest.mark.parametrize("cut", range(1, 12))
def test_an_urlencoded_body_cut_anywhere_keeps_what_came_before(cut):
    raw = urlencode({"title": "Été", "body": "ça va très bien"}).encode()
    prefix = raw[: len(raw) - cut]

    typed = typed_from_urlencoded_prefix(prefix)

    fields = {f.name: f for f in typed.fields}
    assert fields["title"].value == "Été"
    body = fields.get("body")
    if body is not None:
        assert "ça va très bien".startswith(body.value)
        assert body.truncated


def test_a_multipart_body_cut_inside_a_part_keeps_the_earlier_parts():
    boundary = "----b0undary"
    raw = (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="title"\r\n\r\n'
        "My title\r\n"
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="photo"; filename="a.png"\r\n'
        "Content-Type: image/png\r\n\r\n"
        "PNGDATA\r\n"
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="body"\r\n\r\n'
        "A long body that goes on\r\n"
        f"--{boundary}--\r\n"
    ).encode()
    prefix = raw[: raw.index(b"goes on") + 4]

    typed = typed_from_multipart_prefix(prefix, boundary)

    fields = {f.name: f for f in typed.fields}
    assert fields["title"].value == "My title"
    assert fields["photo"].kind == "file" and fields["photo"].filename == "a.png"
    assert fields["body"].value == "A long body that goes"
    assert fields["body"].truncated
