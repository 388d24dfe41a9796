"""Reading the page that gives back what a member typed (forum/core/keep)."""

from bs4 import BeautifulSoup
from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret

ORIGIN = {"HTTP_ORIGIN": "http://testserver"}  # what a browser sends with a POST


def stale_token() -> str:
    """A well-formed token for another secret, as an old page would carry."""
    return _mask_cipher_secret(_get_new_csrf_string())


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def page_text(response) -> str:
    return " ".join(soup(response).get_text(" ").split())


def textarea_text(element) -> str:
    # The newline right after <textarea> is not part of the value (HTML).
    text = element.get_text()
    return text[1:] if text.startswith("\n") else text


def kept_form(response) -> tuple[str, dict]:
    """The resubmit form: (action, {name: value or [values]}) as a browser
    would send it untouched."""
    form = soup(response).select_one("form.kept-form")
    assert form is not None, "no form to send again on the page"
    data: dict = {}
    for element in form.select("input[name], textarea[name]"):
        if element.get("type") in ("file", "password"):
            continue
        name = element["name"]
        value = (
            textarea_text(element)
            if element.name == "textarea"
            else element.get("value", "")
        )
        if name in data:
            previous = data[name]
            data[name] = (
                [*previous, value]
                if isinstance(previous, list)
                else [
                    previous,
                    value,
                ]
            )
        else:
            data[name] = value
    return form["action"], data


def in_layout(response) -> bool:
    page = soup(response)
    return page.select_one("header.site-header") is not None and bool(
        page.select_one("main#content")
    )
