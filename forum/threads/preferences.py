"""A member's way of listing each forum (forum.threads.listing), kept in
ForumListPreference rows and, for the pages they open, in their session: after
the first forum page of a session, asking costs no query."""

from forum.threads.models import ForumListPreference

_SESSION_KEY = "forum_list_preferences"


def _all(request) -> dict[str, str]:
    held = request.session.get(_SESSION_KEY)
    if held is None:
        rows = ForumListPreference.objects.filter(user=request.user)
        held = {
            str(node): query for node, query in rows.values_list("node_id", "query")
        }
        request.session[_SESSION_KEY] = held
    return held


def stored(request, node) -> str:
    """The query string this member keeps for the forum ("" if none)."""
    return _all(request).get(str(node.pk), "")


def store(request, node, query: str) -> None:
    """Keep `query` as the member's way for this forum; "" forgets it."""
    held = dict(_all(request))
    if query:
        ForumListPreference.objects.update_or_create(
            user=request.user, node=node, defaults={"query": query[:300]}
        )
        held[str(node.pk)] = query[:300]
    else:
        ForumListPreference.objects.filter(user=request.user, node=node).delete()
        held.pop(str(node.pk), None)
    request.session[_SESSION_KEY] = held
