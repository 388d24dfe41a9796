"""The policy questions: every "may this member do that?" is answered here.

Views ask intent-named questions (`can_reply(user, thread)`) and hand the template
booleans. The questions read only the objects they are given (a Node, Thread or
Post, or anything with the same attributes) and the cached snapshot: no model is
imported here, so every app may ask. The fetch-and-authorize helpers built on them
live with their models (`forum.threads.selectors.get_thread_for_user_or_404`,
`forum.posts.selectors.get_post_for_user_or_404`): a thread you may not see is a
404, so its existence leaks nothing.

Roles, lowest first:
- guests, registered members whose e-mail is not confirmed ("unverified"), members:
  their rights in each node come from ForumPermission rows (a node without a row
  inherits its parent's; the defaults: everyone reads, members write);
- moderators: of one node and everything under it, or of every node (a Moderator
  row without a node); they see hidden content and use the moderator tools there;
- administrators (staff accounts): moderators of everything, plus the admin.
A banned member reads like a member but may not post, react, report or edit.

The rows behind these answers are one cached snapshot (forum/policy/snapshot.py),
remembered on the user object for the request: asking for every post on a page costs
no query.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accounts.selectors import has_verified_email
from forum.policy import snapshot as policy

# A thread whose opening post waits for approval is kept out of its forum as a
# soft-deleted thread with this reason and no deleting moderator; its starter and
# the forum's moderators still see it.
AWAITING_APPROVAL = "Awaiting approval"


# --- the snapshot, once per request ---------------------------------------------


def _snapshot(user, node=None):
    """The policy snapshot, remembered on the user object for the request (and
    fetched again only when this process dropped its copy: something changed)."""
    generation = policy.generation()
    snapshot = getattr(user, "_forum_policy", None)
    if snapshot is None or getattr(user, "_forum_policy_at", None) != generation:
        snapshot = policy.current()
    if node is not None and not snapshot.knows(node) and snapshot.needs_ancestry():
        snapshot = policy.rebuild_for(node.pk)
    if snapshot is not getattr(user, "_forum_policy", None):
        user._forum_policy = snapshot
        user._forum_policy_at = policy.generation()
    return snapshot


def _may_view_by_role(user, node) -> bool:
    snapshot = _snapshot(user, node)
    if not user.is_authenticated:
        return snapshot.perms("guest", node).view
    member = snapshot.perms("member", node).view
    if member == snapshot.perms("unverified", node).view:
        return member  # no need to ask whether the e-mail is confirmed
    return member if has_verified_email(user) else not member


def _member_rights(user, node):
    """A member's rights in this node (start_threads, reply, react, upload); only
    asked once may_write(user) holds, so the member has confirmed their e-mail."""
    return _snapshot(user, node).perms("member", node)


# --- who is who -----------------------------------------------------------------


def is_staff(user) -> bool:
    return bool(user.is_authenticated and (user.is_staff or user.is_superuser))


def is_admin(user) -> bool:
    return is_staff(user)


def can_moderate(user, node=None) -> bool:
    """Moderator of this node (through it or an ancestor), of every node, or
    staff. Without a node: a moderator of every node."""
    if not user.is_authenticated:
        return False
    if is_staff(user):
        return True
    return _snapshot(user, node).moderates(user.pk, node)


def is_global_moderator(user) -> bool:
    return can_moderate(user, None)


def is_moderator(user) -> bool:
    """A moderator somewhere: may open the moderator pages (queue, reports, log),
    which show only what they moderate."""
    if not user.is_authenticated:
        return False
    return is_staff(user) or user.pk in _snapshot(user).moderators


def moderated_node_ids(user) -> set[int] | None:
    """The nodes a moderator moderates; None for everywhere (staff, global)."""
    if is_global_moderator(user):
        return None
    nodes = _snapshot(user).moderators.get(getattr(user, "pk", None), frozenset())
    return None if nodes == policy.EVERYWHERE else set(nodes)


def active_ban(user):
    """The ban in force on this member (reason, expires_at), or None."""
    if not user.is_authenticated:
        return None
    return _snapshot(user).ban_for(user.pk)


def is_banned(user) -> bool:
    return active_ban(user) is not None


def ban_message(user) -> str:
    ban = active_ban(user)
    if ban is None:
        return ""
    if ban.expires_at is None:
        until = "permanently"
    else:
        local = timezone.localtime(ban.expires_at)
        until = "until " + local.strftime("%b %-d, %Y %H:%M")
    return f"You have been banned {until}. Reason: {ban.reason}"


# --- seeing ---------------------------------------------------------------------


def can_view_node(user, node) -> bool:
    if _may_view_by_role(user, node):
        return True
    return can_moderate(user, node)


def visible_node_ids(user) -> set[int]:
    """Every node this member may see: search, feeds and lists filter with it
    (`thread__node_id__in=visible_node_ids(user)`)."""
    return {
        pk
        for pk, parent_id in _snapshot(user).parents.items()
        if can_view_node(user, policy.NodeRef(pk, parent_id))
    }


def every_node_id() -> set[int]:
    """Every node there is, from the snapshot's tree (no query)."""
    return set(_snapshot(AnonymousUser()).parents)


def child_node_ids(node) -> list[int]:
    """The nodes right below this one, from the snapshot's tree (no query)."""
    snapshot = _snapshot(AnonymousUser(), node)
    return [pk for pk, parent in snapshot.parents.items() if parent == node.pk]


def is_awaiting_approval(thread) -> bool:
    """A new thread held for approval (see AWAITING_APPROVAL)."""
    return bool(
        thread.is_deleted
        and thread.deleted_by_id is None
        and thread.delete_reason == AWAITING_APPROVAL
    )


def can_view_thread(user, thread) -> bool:
    if thread.is_deleted and not can_moderate(user, thread.node):
        if not (
            is_awaiting_approval(thread)
            and user.is_authenticated
            and thread.starter_id == user.pk
        ):
            return False
    return can_view_node(user, thread.node)


def can_view_post(user, post) -> bool:
    if not can_view_thread(user, post.thread):
        return False
    if post.is_deleted and not can_moderate(user, post.thread.node):
        return False
    if not post.is_approved:
        return can_moderate(user, post.thread.node) or (
            user.is_authenticated and post.author_id == user.pk
        )
    return True


def can_view_deleted(user, node) -> bool:
    return can_moderate(user, node)


def can_view_ip(user, post) -> bool:
    return can_moderate(user, post.thread.node)


def can_look_up_ip(user) -> bool:
    """The "other members who used this IP" page: staff and global moderators."""
    return is_global_moderator(user)


# --- writing --------------------------------------------------------------------


def can_post(user) -> bool:
    """A signed-in, active member who has confirmed an e-mail address (asked once
    per request: the answer is remembered on the user object)."""
    if not (user.is_authenticated and user.is_active):
        return False
    return has_verified_email(user)


def may_write(user) -> bool:
    """Allowed to write anything at all: can_post and not banned."""
    return can_post(user) and not is_banned(user)


def can_start_thread(user, node) -> bool:
    if node.kind != node.Kind.FORUM or not may_write(user):
        return False
    if not can_view_node(user, node):
        return False
    return _member_rights(user, node).start_threads or can_moderate(user, node)


def can_reply(user, thread) -> bool:
    if not may_write(user) or not can_view_thread(user, thread):
        return False
    if is_awaiting_approval(thread):
        return False
    if can_moderate(user, thread.node):
        return True
    return not thread.is_locked and _member_rights(user, thread.node).reply


def reply_refusal(user, thread) -> str:
    """Why can_reply said no, in words for the member."""
    if not user.is_authenticated:
        return "You must log in to reply."
    if user.is_active and not can_post(user):
        return (
            "Please confirm your e-mail address before posting: follow the link "
            "in the message we sent you."
        )
    if is_banned(user):
        return ban_message(user)
    if is_awaiting_approval(thread):
        return "This thread is awaiting moderator approval."
    if thread.is_locked:
        return "This thread is locked: no more replies can be posted."
    return "You may not reply to this thread."


def can_upload(user, node) -> bool:
    return may_write(user) and (
        _member_rights(user, node).upload or can_moderate(user, node)
    )


# --- reactions (forum/posts/reactions.py) ---
def can_react(user, post) -> bool:
    """Members react to others' visible posts: not their own, not a deleted or
    unapproved post, not in a deleted thread. `post.thread` must be loaded."""
    if not may_write(user) or post.author_id == user.pk:
        return False
    if post.is_deleted or not post.is_approved or post.thread.is_deleted:
        return False
    if not _member_rights(user, post.thread.node).react:
        return False
    return can_view_post(user, post)


def react_refusal(user, post) -> str:
    """Why can_react said no, in words for the member."""
    if not user.is_authenticated:
        return "You must log in to react to posts."
    if is_banned(user):
        return ban_message(user)
    if post.author_id == user.pk:
        return "You can't react to your own post."
    return "You can't react to this post."


# --- end reactions ---


# --- polls (forum/posts/polls) ---
def can_vote(user, thread, poll, *, now=None) -> bool:
    """Members who may see the thread vote while the poll is open (not in a
    deleted or locked thread, unless they moderate it)."""
    if not may_write(user) or not can_view_thread(user, thread):
        return False
    if poll.is_closed(now) or thread.is_deleted:
        return False
    if thread.is_locked and not can_moderate(user, thread.node):
        return False
    return _member_rights(user, thread.node).reply or can_moderate(user, thread.node)


def can_manage_poll(user, thread) -> bool:
    """Add a poll to a thread, or close it: its starter or a moderator."""
    if not may_write(user) or not can_view_thread(user, thread):
        return False
    if can_moderate(user, thread.node):
        return True
    return thread.starter_id == user.pk and not thread.is_locked


# --- end polls ---


def can_edit_post(user, post) -> bool:
    if not user.is_authenticated:
        return False
    if can_moderate(user, post.thread.node):
        return True
    return post.author_id == user.pk and not post.is_deleted and may_write(user)


def can_tag_thread(user, thread) -> bool:
    """Members tag their own threads; moderators tag any in their forums."""
    if not user.is_authenticated:
        return False
    if can_moderate(user, thread.node):
        return True
    return thread.starter_id == user.pk and may_write(user)


def can_delete_post(user, post) -> bool:
    if not user.is_authenticated or post.is_deleted:
        return False
    if can_moderate(user, post.thread.node):
        return True
    if post.author_id != user.pk or not may_write(user):
        return False
    if is_awaiting_approval(post.thread):
        return False
    window = timedelta(seconds=settings.FORUM_DELETE_WINDOW_SECONDS)
    return timezone.now() - post.created_at <= window


def can_view_edit_history(user, post) -> bool:
    return can_view_post(user, post) and (
        post.author_id == getattr(user, "pk", None)
        or can_moderate(user, post.thread.node)
    )


def can_report(user, post) -> bool:
    """Members report others' visible posts."""
    if not may_write(user) or post.author_id == user.pk:
        return False
    if post.is_deleted or not post.is_approved:
        return False
    return can_view_post(user, post)


def report_refusal(user, post) -> str:
    """Why can_report said no, in words for the member."""
    if is_banned(user):
        return ban_message(user)
    if not can_post(user):
        return "Please confirm your e-mail address before reporting posts."
    if post.author_id == user.pk:
        return "You can't report your own post."
    return "You can't report this post."


# --- moderators' questions ------------------------------------------------------


def can_act_on_member(user, member) -> bool:
    """Warn, ban or clean up after a member: global moderators and staff, never
    against staff or another moderator."""
    if not is_global_moderator(user) or member.pk == user.pk:
        return False
    return not (is_staff(member) or is_moderator(member))


def can_warn(user, member) -> bool:
    if member.pk == getattr(user, "pk", None) or not is_moderator(user):
        return False
    return not (is_staff(member) or is_moderator(member))


def can_view_log_entry(user, entry) -> bool:
    if is_global_moderator(user):
        return True
    nodes = moderated_node_ids(user)
    return bool(nodes) and entry.node_id in nodes


# --- refusing -------------------------------------------------------------------


def require(allowed: bool, message: str = "You may not do that.") -> None:
    if not allowed:
        raise PermissionDenied(message)


def require_may_write(user) -> None:
    """403 with the ban's reason for a banned member."""
    if is_banned(user):
        raise PermissionDenied(ban_message(user))


# --- members (accounts/) ---
def can_view_profile(viewer, member) -> bool:
    """Anyone may see an active member; a banned (inactive) one only staff; an
    anonymized account has no profile left to show."""
    if member.is_deleted_member:
        return False
    return member.is_active or is_staff(viewer)


def can_ignore(user, member) -> bool:
    """Members may ignore other members, never staff or moderators (whose notices
    must reach everyone), nor themselves."""
    if not user.is_authenticated or member.pk == user.pk:
        return False
    if member.is_deleted_member or not member.is_active:
        return False
    return not (is_staff(member) or is_moderator(member))


def ignores(user, member_id) -> bool:
    """Whether the viewer has collapsed this member's posts."""
    return bool(member_id) and member_id in (getattr(user, "ignored_members", ()) or ())


# --- end members ---


# --- news (forum/news) ---
def can_edit_news_quote(user, quote) -> bool:
    """Staff, or the member whose link created the card, while the card holds no
    fetched text: they may fill a card the site would not give us, and edit it
    later. A fetched card is the publisher's own words; staff correct those."""
    if not user.is_authenticated:
        return False
    if is_staff(user):
        return True
    return quote.created_by_id == user.pk and quote.status != "ok" and can_post(user)


def can_retry_news_fetch(user, quote) -> bool:
    """Staff may fetch a card's article again, unless the card was written by hand."""
    return is_staff(user) and not quote.manual


# --- end news ---
