"""Where the apps above posts plug into it.

Posts sits below news, moderation and the rest, so it never imports them. An app
that adds to posts registers here, in its AppConfig.ready():

- a body add-on: something shown inside a post's body on the thread page (news
  swaps its `[NEWS]` placeholders and bare article links for cards). `collect`
  gathers what a whole page of posts needs in one query; `apply` turns one post's
  stored HTML into the HTML shown; `per_viewer` says whether what it collected for
  a post differs from one viewer to another (then the page is never shared);
- a write hook: called inside the transaction of every post written or edited,
  with the post and its writer (news records the articles a post embeds);
- a thread-form part: a template included in the new-thread form, and a check of
  the body that can hold the post until the member confirms ("already discussed");
- a post picture: the image that stands for a post in link previews;
- moderator writes: who makes a change to another member's post (moderation, so
  that the change and its log entry commit together). Without one registered, the
  posts services make it unlogged;
- a quote source: the text a quote of a post carries (news turns an article
  link shown as a card into `[NEWS=id]`, so the quote shows the card too);
- a viewer part: a filler for a per-viewer part of a page (forum/core/perviewer.py)
  that an app above posts decides (members collapses the posts of a member the
  viewer ignores: the "author" region around each post of the thread page).

Registrations are kept in order and never removed; registering the same name twice
replaces the first (a reloaded app does not plug in twice).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class BodyAddon:
    name: str
    collect: Callable[[Any, list], dict]  # (viewer, posts) -> {post id: data}
    apply: Callable[[str, Any], str]  # (stored body HTML, data) -> shown HTML
    per_viewer: Callable[[Any], bool] = lambda data: False
    # (viewer, body HTML of a text not yet posted) -> shown HTML: the composer's
    # preview shows what the post will (news cards for its articles).
    preview: Callable[[Any, str], str] | None = None


@dataclass(frozen=True)
class ThreadFormPart:
    name: str
    template: str  # included after the fields of the new-thread form
    context_name: str  # the name under which the template reads check()'s answer
    check: Callable[[Any, str], list]  # (member, body) -> notices; any holds the post


@dataclass
class _Registry:
    body_addons: dict[str, BodyAddon] = field(default_factory=dict)
    write_hooks: dict[str, Callable] = field(default_factory=dict)
    thread_form_parts: dict[str, ThreadFormPart] = field(default_factory=dict)
    post_pictures: dict[str, Callable] = field(default_factory=dict)
    moderator_writes: dict[str, Callable] = field(default_factory=dict)
    viewer_parts: dict[tuple[str, str], Callable] = field(default_factory=dict)
    quote_sources: dict[str, Callable] = field(default_factory=dict)


_registry = _Registry()


def register_body_addon(addon: BodyAddon) -> None:
    _registry.body_addons[addon.name] = addon


def register_write_hook(name: str, hook: Callable) -> None:
    """`hook(post=..., by=...)`, inside the transaction of a new or edited post."""
    _registry.write_hooks[name] = hook


def register_thread_form_part(part: ThreadFormPart) -> None:
    _registry.thread_form_parts[part.name] = part


def register_post_picture(name: str, picture: Callable) -> None:
    """`picture(posts) -> {post id: storage name}`: the first picture each post
    shows (link previews of a thread use its first post's)."""
    _registry.post_pictures[name] = picture


def register_moderator_writes(**writes: Callable) -> None:
    """`edit(actor, post, body, title)`, `delete(actor, post, reason)`,
    `restore(actor, post)`: used when the actor is not the post's author."""
    _registry.moderator_writes.update(writes)


def register_quote_source(name: str, source: Callable) -> None:
    """`source(posts) -> {post id: BBCode}`: the text a quote of each post
    carries instead of its source, when an app shows it otherwise (news: an
    article link shown as a card is quoted as `[NEWS=id]`)."""
    _registry.quote_sources[name] = source


def quote_bodies(posts: list) -> dict[int, str]:
    found: dict[int, str] = {}
    for source in _registry.quote_sources.values():
        for pk, body in source(posts).items():
            found.setdefault(pk, body)
    return found


def register_viewer_part(page: str, name: str, make: Callable) -> None:
    """`make(request) -> filler`, the filler `(arg, inner) -> html` of the part
    `name` on pages of the kind `page` ("thread") for this request's viewer."""
    _registry.viewer_parts[(page, name)] = make


# --- what posts asks ---------------------------------------------------------------


def body_addons() -> list[BodyAddon]:
    return list(_registry.body_addons.values())


def run_write_hooks(*, post, by) -> None:
    for hook in _registry.write_hooks.values():
        hook(post=post, by=by)


def thread_form_parts() -> list[ThreadFormPart]:
    return list(_registry.thread_form_parts.values())


def post_pictures(posts: list) -> dict[int, str]:
    found: dict[int, str] = {}
    for picture in _registry.post_pictures.values():
        for pk, name in picture(posts).items():
            found.setdefault(pk, name)
    return found


def viewer_parts(page: str) -> dict[str, Callable]:
    return {
        name: make
        for (kind, name), make in _registry.viewer_parts.items()
        if kind == page
    }


def moderator_write(action: str) -> Callable | None:
    return _registry.moderator_writes.get(action)
