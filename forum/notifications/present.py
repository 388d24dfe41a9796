"""What an alert says, in one place for the alerts page, the drop-down and the
e-mails: who, what and where, as pieces of text (some of them links), so the
HTML and the plain text say the same words."""

from typing import NamedTuple

from forum.notifications.models import Alert

Kind = Alert.Kind


class Piece(NamedTuple):
    text: str
    url: str = ""
    strong: bool = False


def _who(alert: Alert, plural_noun: str = "others") -> list[Piece]:
    name = alert.actor_name or "Someone"
    actor = Piece(name, f"/members/{alert.actor_id}/" if alert.actor_id else "", True)
    others = alert.others
    if not others:
        return [actor]
    word = "other" if others == 1 else plural_noun
    return [actor, Piece(f" and {others} {word}")]


def _where(alert: Alert) -> list[Piece]:
    if alert.thread is None:
        return [Piece("a thread that is gone")]
    return [Piece(alert.thread.title, target(alert), True)]


def target(alert: Alert) -> str:
    """Where the alert leads: the exact post, else its own link."""
    if alert.post_id:
        return f"/posts/{alert.post_id}/"
    if alert.thread_id and alert.thread is not None:
        return alert.thread.get_absolute_url()
    return alert.url


def pieces(alert: Alert) -> list[Piece]:
    """The alert's sentence (see the module docstring)."""
    kind, n = alert.kind, alert.count
    if kind == Kind.REPLY:
        if n > 1:
            return [
                Piece(f"{n} new replies", target(alert), True),
                Piece(" in "),
                *_where(alert),
                Piece(", the latest by "),
                Piece(alert.actor_name or "someone", "", True),
            ]
        return [*_who(alert), Piece(" replied to the thread "), *_where(alert)]
    if kind == Kind.THREAD:
        forum = getattr(getattr(alert.thread, "node", None), "title", "")
        tail = [Piece(f" in {forum}")] if forum else []
        return [*_who(alert), Piece(" started the thread "), *_where(alert), *tail]
    if kind == Kind.QUOTE:
        return [*_who(alert), Piece(" quoted you in "), *_where(alert)]
    if kind == Kind.MENTION:
        return [*_who(alert), Piece(" mentioned you in "), *_where(alert)]
    if kind == Kind.REACTION:
        noun = "posts" if n > 1 and alert.others == 0 else "post"
        return [*_who(alert), Piece(f" reacted to your {noun} in "), *_where(alert)]
    return [Piece(alert.text)]


def plain(alert: Alert) -> str:
    return "".join(piece.text for piece in pieces(alert)).strip()
