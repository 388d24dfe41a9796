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
  the body that can hold the post until the member confirms ("already discussed"),
  or of the title, shown and not holding (search: threads with similar titles);
- a post picture: the image that stands for a post in link previews;
- moderator writes: who makes a change to another member's post, or to the
  prefix and tags of their thread ("label") (moderation, so that the change and
  its log entry commit together). Without one registered, the posts and threads
  services make it unlogged;
- a quote source: the text a quote of a post carries (news turns an article
  link shown as a card into `[NEWS=id]`, so the quote shows the card too);
- a viewer part: a filler for a per-viewer part of a page (forum/core/perviewer.py)
  that an app above posts decides (members collapses the posts of a member the
  viewer ignores: the "author" region around each post of the thread page;
  notifications draws Watch or Unwatch in the "thread-tools" region);
- a viewer fact: a scalar SQL expression about the viewer and the thread, read
  in the same query as the viewer's slice of a thread page (notifications:
  whether they watch it), so a part can use it without a query of its own;
- a post hook: called inside the transaction of every change to a post that the
  apps above may follow (`PostEvent`: created, edited, approved, hidden, shown);
- a body rewrite: what the source of a post becomes before it is stored
  (notifications turns "@name" into [USER=id]name[/USER]);
- a view hook: a member has read a thread page up to a position (notifications
  marks the alerts about those posts read);
- a reaction hook: a member reacted to a post (notifications alerts its author);
- a counter: a denormalized count an app above keeps, rebuilt and checked by
  `manage.py recount` with the forum's own (notifications: unread alerts).

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
    # (member, body) -> notices, asked when the form is valid
    check: Callable[[Any, str], list] | None = None
    # (member, title) -> notices, asked whenever the form comes back with a title
    # (a preview, an error): search's threads with similar titles
    check_title: Callable[[Any, str], list] | None = None
    holds: bool = True  # whether any notice holds the post until "Post anyway"


@dataclass(frozen=True)
class PostEvent:
    """A change to a post, for the post hooks. `kind`: "created" (written, maybe
    held for approval: see post.is_approved), "edited" (its text changed;
    `previous_body` is the text before), "approved" (a held post became
    visible), "hidden" (deleted or sent back to the approval queue) or "shown"
    (restored)."""

    post: Any
    by: Any
    kind: str
    new_thread: bool = False
    previous_body: str | None = None


@dataclass(frozen=True)
class ViewerFact:
    name: str
    # A scalar SQL expression over %(user)s and %(thread)s (ids): an EXISTS or a
    # subquery returning one value; it must not depend on the post row.
    sql: str


@dataclass(frozen=True)
class Counter:
    name: str
    recount_sql: str  # one set-based statement that makes the counter exact
    snapshot_sql: str  # the counter's values, ordered, to compare before/after


@dataclass
class _Registry:
    body_addons: dict[str, BodyAddon] = field(default_factory=dict)
    write_hooks: dict[str, Callable] = field(default_factory=dict)
    thread_form_parts: dict[str, ThreadFormPart] = field(default_factory=dict)
    post_pictures: dict[str, Callable] = field(default_factory=dict)
    moderator_writes: dict[str, Callable] = field(default_factory=dict)
    viewer_parts: dict[tuple[str, str], Callable] = field(default_factory=dict)
    viewer_facts: dict[str, ViewerFact] = field(default_factory=dict)
    post_hooks: dict[str, Callable] = field(default_factory=dict)
    body_rewrites: dict[str, Callable] = field(default_factory=dict)
    view_hooks: dict[str, Callable] = field(default_factory=dict)
    reaction_hooks: dict[str, Callable] = field(default_factory=dict)
    counters: dict[str, Counter] = field(default_factory=dict)
    quote_sources: dict[str, Callable] = field(default_factory=dict)
    rename_hooks: dict[str, Callable] = field(default_factory=dict)


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
    `restore(actor, post)`: used when the actor is not the post's author;
    `log(actor, action, target_type, target_id, label, reason)`: an entry in the
    moderator log for a moderator action made elsewhere (conversations)."""
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
    """`make(request, facts) -> filler`, the filler `(arg, inner) -> html` of the
    part `name` on pages of the kind `page` ("thread") for this request's viewer;
    `facts` holds the viewer facts read with the page ({name: value})."""
    _registry.viewer_parts[(page, name)] = make


def register_viewer_fact(fact: ViewerFact) -> None:
    _registry.viewer_facts[fact.name] = fact


def register_post_hook(name: str, hook: Callable) -> None:
    """`hook(event: PostEvent)`, inside the transaction of the change; work for
    later goes through transaction.on_commit."""
    _registry.post_hooks[name] = hook


def register_body_rewrite(name: str, rewrite: Callable) -> None:
    """`rewrite(body, *, author) -> body`: the source as it will be stored and
    rendered, for a new post or an edit (by `author`, the writer)."""
    _registry.body_rewrites[name] = rewrite


def register_view_hook(name: str, hook: Callable) -> None:
    """`hook(*, user, thread, position)`: a member has just been shown a thread
    page whose last post is at `position`; before the page is drawn (the header
    it shows may depend on it). Must cost no query when it has nothing to do."""
    _registry.view_hooks[name] = hook


def register_reaction_hook(name: str, hook: Callable) -> None:
    """`hook(*, post, by, reaction_type)`: a member's new reaction to a post
    (not a change of type, not a removal), inside the reaction's transaction."""
    _registry.reaction_hooks[name] = hook


def register_rename_hook(name: str, hook: Callable) -> None:
    """`hook(*, member_id, name)`: a member's name changed (an administrator's
    rename, or "Deleted member <id>" for a deleted account); everything the
    add-on stores under the old name takes the new one. Inside the change's
    transaction."""
    _registry.rename_hooks[name] = hook


def run_rename_hooks(*, member_id: int, name: str) -> None:
    for hook in _registry.rename_hooks.values():
        hook(member_id=member_id, name=name)


def register_counter(counter: Counter) -> None:
    _registry.counters[counter.name] = counter


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


def run_post_hooks(event: PostEvent) -> None:
    for hook in _registry.post_hooks.values():
        hook(event)


def rewrite_body(body: str, *, author) -> str:
    for rewrite in _registry.body_rewrites.values():
        body = rewrite(body, author=author)
    return body


def run_view_hooks(*, user, thread, position: int) -> None:
    for hook in _registry.view_hooks.values():
        hook(user=user, thread=thread, position=position)


def run_reaction_hooks(*, post, by, reaction_type) -> None:
    for hook in _registry.reaction_hooks.values():
        hook(post=post, by=by, reaction_type=reaction_type)


def viewer_facts() -> list[ViewerFact]:
    return list(_registry.viewer_facts.values())


def counters() -> list[Counter]:
    return list(_registry.counters.values())


def viewer_parts(page: str) -> dict[str, Callable]:
    return {
        name: make
        for (kind, name), make in _registry.viewer_parts.items()
        if kind == page
    }


def moderator_write(action: str) -> Callable | None:
    return _registry.moderator_writes.get(action)
