"""Every view that changes data, asked by every role: exactly the expected answer.

Roles: a guest, a member who has not confirmed their e-mail, the member who wrote
the content, another member, a moderator of another forum, a moderator of this
forum, an administrator. Answers: LOGIN (redirect to log in), DENIED (403 with a
message), HIDDEN (404: the content does not exist for them), REFUSED (sent back
with a message, nothing changed) or OK (done). Each case also checks that the data
changed exactly when the answer is OK.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse

from forum.moderation.models import ModeratorLog, Report
from forum.moderation.services import content
from forum.posts import services
from forum.posts.models import Post, Reaction
from forum.posts.recount import counter_drift
from forum.threads.models import Thread
from tests import factories
from tests.moderation.conftest import ROLES, make_private

LOGIN, DENIED, HIDDEN, REFUSED, OK = "login", "403", "404", "refused", "ok"


@dataclass
class Case:
    method: str
    url: str
    data: dict
    changed: Callable[[], bool]


def _reply(board):
    url = board.thread.get_reply_url()
    before = board.thread.posts.count()
    return Case(
        "post",
        url,
        {"body": "A new reply here."},
        lambda: board.thread.posts.count() > before,
    )


def _start_thread(board):
    before = Thread.objects.count()
    return Case(
        "post",
        board.forum.get_post_thread_url(),
        {"title": "A new thread", "body": "Its first post."},
        lambda: Thread.objects.count() > before,
    )


def _authors_reply(board):
    return board.thread.posts.get(position=1)  # by the member ("Author")


def _edit(board):
    post = _authors_reply(board)
    return Case(
        "post",
        reverse("posts:edit", args=[post.pk]),
        {"body": "Changed!"},
        lambda: Post.objects.get(pk=post.pk).body == "Changed!",
    )


def _delete(board):
    post = _authors_reply(board)
    return Case(
        "post",
        reverse("posts:delete", args=[post.pk]),
        {"reason": "x"},
        lambda: Post.objects.get(pk=post.pk).is_deleted,
    )


def _restore(board):
    post = _authors_reply(board)
    content.delete_post(actor=board.admin, post=post, reason="Hidden")
    return Case(
        "post",
        reverse("posts:restore", args=[post.pk]),
        {},
        lambda: not Post.objects.get(pk=post.pk).is_deleted,
    )


def _react(board):
    post = _authors_reply(board)
    like = factories.default_reaction_types()["Like"]
    return Case(
        "post",
        reverse("posts:react", args=[post.pk]),
        {"reaction": like.pk},
        lambda: Reaction.objects.filter(post=post).exists(),
    )


def _report(board):
    post = _authors_reply(board)
    return Case(
        "post",
        reverse("moderation:report", args=[post.pk]),
        {"reason": "Rude"},
        lambda: Report.objects.filter(post=post).exists(),
    )


def _thread_action(action, check):
    def make(board):
        return Case(
            "post",
            reverse("moderation:thread_action", args=[board.thread.pk, action]),
            # A deletion goes through its confirmation step.
            {"confirm": "1"} if action == "delete" else {},
            lambda: check(Thread.objects.get(pk=board.thread.pk)),
        )

    return make


def _restore_thread(board):
    content.delete_thread(actor=board.admin, thread=board.thread, reason="Dup")
    return Case(
        "post",
        reverse("moderation:thread_action", args=[board.thread.pk, "restore"]),
        {},
        lambda: not Thread.objects.get(pk=board.thread.pk).is_deleted,
    )


def _move_thread(board):
    return Case(
        "post",
        reverse("moderation:move_thread", args=[board.thread.pk]),
        {"node": board.other_forum.pk},
        lambda: Thread.objects.get(pk=board.thread.pk).node_id == board.other_forum.pk,
    )


def _merge_thread(board):
    target = factories.make_thread(author=board.other, node=board.forum)
    return Case(
        "post",
        reverse("moderation:merge_thread", args=[board.thread.pk]),
        {"target": str(target.pk)},
        lambda: not Thread.objects.filter(pk=board.thread.pk).exists(),
    )


def _held_post(board):
    newbie = factories.MemberFactory(username="Newbie")
    post = services.reply_to_thread(author=newbie, thread=board.thread, body="hi").post
    Post.objects.filter(pk=post.pk).update(is_approved=False)  # as if held
    # (held posts never counted; keep the counters in step)
    from django.db.models import F

    from forum.threads.models import Node

    Thread.objects.filter(pk=board.thread.pk).update(reply_count=F("reply_count") - 1)
    Node.objects.filter(pk=board.forum.pk).update(post_count=F("post_count") - 1)
    type(newbie).objects.filter(pk=newbie.pk).update(message_count=0)
    from forum.posts.services import _refresh_thread_last_post
    from forum.threads.services import refresh_node_last_post

    _refresh_thread_last_post(board.thread.pk)
    refresh_node_last_post(board.forum.pk)
    return post


def _approve(board):
    post = _held_post(board)
    return Case(
        "post",
        reverse("moderation:post_action", args=[post.pk, "approve"]),
        {},
        lambda: Post.objects.get(pk=post.pk).is_approved,
    )


def _unapprove(board):
    post = _authors_reply(board)
    return Case(
        "post",
        reverse("moderation:post_action", args=[post.pk, "unapprove"]),
        {},
        lambda: not Post.objects.get(pk=post.pk).is_approved,
    )


def _inline_posts(action, extra, check):
    def make(board):
        post = _authors_reply(board)
        return Case(
            "post",
            reverse("moderation:inline_posts", args=[board.thread.pk]),
            {"action": action, "post_ids": [post.pk], "confirm": "1", **extra(board)},
            lambda: check(board, Post.objects.get(pk=post.pk)),
        )

    return make


def _inline_threads(board):
    return Case(
        "post",
        reverse("moderation:inline_threads"),
        {"action": "stick", "thread_ids": [board.thread.pk]},
        lambda: Thread.objects.get(pk=board.thread.pk).is_sticky,
    )


def _undo(board):
    entry = content.set_locked(actor=board.admin, thread=board.thread, locked=True)
    return Case(
        "post",
        reverse("moderation:undo", args=[entry.pk]),
        {},
        lambda: not Thread.objects.get(pk=board.thread.pk).is_locked,
    )


def _handle_reports(board):
    post = _authors_reply(board)
    Report.objects.create(post=post, reporter=board.other, reason="Rude")
    return Case(
        "post",
        reverse("moderation:handle_reports", args=[post.pk]),
        {"outcome": "resolved"},
        lambda: not Report.objects.filter(post=post, status="open").exists(),
    )


def _member_tool(name, data, check):
    def make(board):
        return Case(
            "post",
            reverse(f"moderation:{name}", args=[board.author.pk]),
            data,
            lambda: check(board),
        )

    return make


def _was_logged(action):
    return lambda board: ModeratorLog.objects.filter(
        action=action, target_id=board.author.pk
    ).exists()


ALL_MEMBERS_OK = {
    "guest": LOGIN,
    "unverified": REFUSED,
    "member": OK,
    "other_member": OK,
    "mod_other_forum": OK,
    "mod_this_forum": OK,
    "admin": OK,
}
AUTHOR_OR_MODERATOR = {
    "guest": LOGIN,
    "unverified": DENIED,
    "member": OK,
    "other_member": DENIED,
    "mod_other_forum": DENIED,
    "mod_this_forum": OK,
    "admin": OK,
}
MODERATOR_HERE = {
    "guest": LOGIN,
    "unverified": DENIED,
    "member": DENIED,
    "other_member": DENIED,
    "mod_other_forum": DENIED,
    "mod_this_forum": OK,
    "admin": OK,
}
# Hidden content (deleted, awaiting approval) does not exist for non-moderators.
MODERATOR_HERE_HIDDEN = {
    **MODERATOR_HERE,
    "unverified": HIDDEN,
    "member": HIDDEN,
    "other_member": HIDDEN,
    "mod_other_forum": HIDDEN,
}
GLOBAL_STAFF = {**MODERATOR_HERE, "mod_this_forum": DENIED}

MATRIX = {
    # A reply refused after typing is a 403 that gives the text back, not a
    # redirect that would lose it.
    "reply": (_reply, {**ALL_MEMBERS_OK, "unverified": DENIED}),
    "start_thread": (_start_thread, {**ALL_MEMBERS_OK, "unverified": DENIED}),
    "edit_post": (_edit, AUTHOR_OR_MODERATOR),
    "delete_post": (_delete, AUTHOR_OR_MODERATOR),
    "restore_post": (_restore, MODERATOR_HERE_HIDDEN),
    "react": (_react, {**ALL_MEMBERS_OK, "member": REFUSED}),
    "report": (_report, {**ALL_MEMBERS_OK, "unverified": DENIED, "member": DENIED}),
    "lock": (_thread_action("lock", lambda t: t.is_locked), MODERATOR_HERE),
    "stick": (_thread_action("stick", lambda t: t.is_sticky), MODERATOR_HERE),
    "delete_thread": (_thread_action("delete", lambda t: t.is_deleted), MODERATOR_HERE),
    "restore_thread": (_restore_thread, MODERATOR_HERE_HIDDEN),
    "move_thread": (_move_thread, MODERATOR_HERE),
    "merge_thread": (_merge_thread, MODERATOR_HERE),
    "approve_post": (_approve, MODERATOR_HERE_HIDDEN),
    "unapprove_post": (_unapprove, MODERATOR_HERE),
    "inline_delete_posts": (
        _inline_posts("delete", lambda b: {}, lambda b, p: p.is_deleted),
        MODERATOR_HERE,
    ),
    "split_posts": (
        _inline_posts(
            "split",
            lambda b: {"title": "Split", "node": b.forum.pk},
            lambda b, p: p.thread_id != b.thread.pk,
        ),
        MODERATOR_HERE,
    ),
    "move_posts": (
        _inline_posts(
            "move",
            lambda b: {
                "target": str(factories.make_thread(author=b.other, node=b.forum).pk)
            },
            lambda b, p: p.thread_id != b.thread.pk,
        ),
        MODERATOR_HERE,
    ),
    "inline_stick_threads": (_inline_threads, MODERATOR_HERE),
    "undo_log_entry": (_undo, {**MODERATOR_HERE, "mod_other_forum": HIDDEN}),
    "handle_reports": (_handle_reports, MODERATOR_HERE),
    "warn_member": (
        _member_tool(
            "warn", {"points": 1, "reason": "Rude", "days": 30}, _was_logged("warn")
        ),
        {**MODERATOR_HERE, "mod_other_forum": OK},
    ),
    "ban_member": (
        _member_tool("ban", {"reason": "Trouble", "confirm": "1"}, _was_logged("ban")),
        GLOBAL_STAFF,
    ),
    "spam_clean": (
        _member_tool(
            "spam_clean", {"reason": "Spam", "confirm": "on"}, _was_logged("spam_clean")
        ),
        GLOBAL_STAFF,
    ),
}


# --- private conversations: the member ("Author") talks with the other member.
# Nobody else may know the conversation exists: 404, staff included.


def _conversation(board):
    from forum.conversations import services as conversations

    return conversations.start_conversation(
        starter=board.author,
        title="Private matter",
        recipients=[board.other],
        body="Between us.",
    )


def _start_conversation(board):
    from forum.conversations.models import Conversation

    recipient = factories.MemberFactory(username="Recipient")
    return Case(
        "post",
        reverse("conversations:add"),
        {"recipients": recipient.username, "title": "Hello", "body": "Hi there."},
        lambda: Conversation.objects.filter(title="Hello").exists(),
    )


def _conversation_reply(board):
    from forum.conversations.models import Message

    talk = _conversation(board)
    return Case(
        "post",
        reverse("conversations:reply", args=[talk.pk]),
        {"body": "A private reply."},
        lambda: Message.objects.filter(body="A private reply.").exists(),
    )


def _conversation_leave(board):
    talk = _conversation(board)
    return Case(
        "post",
        reverse("conversations:leave", args=[talk.pk]),
        {"ignore": "1"},
        lambda: talk.participants.filter(left_at__isnull=False).exists(),
    )


def _conversation_invite(board):
    talk = _conversation(board)
    guest = factories.MemberFactory(username="Invitee")
    return Case(
        "post",
        reverse("conversations:invite", args=[talk.pk]),
        {"recipients": guest.username},
        lambda: talk.participants.filter(user=guest).exists(),
    )


def _conversation_report(board):
    from forum.conversations.models import MessageReport

    talk = _conversation(board)
    message = talk.messages.get()
    return Case(
        "post",
        reverse("conversations:report", args=[message.pk]),
        {"reason": "Rude"},
        lambda: MessageReport.objects.filter(message=message).exists(),
    )


def _revoke_conversations(board):
    return Case(
        "post",
        reverse("conversations:member_right", args=[board.author.pk]),
        {"allowed": "0"},
        lambda: (
            not type(board.author)
            .objects.get(pk=board.author.pk)
            .may_start_conversations
        ),
    )


PARTICIPANTS_ONLY = {
    "guest": LOGIN,
    "unverified": HIDDEN,
    "member": OK,
    "other_member": OK,
    "mod_other_forum": HIDDEN,
    "mod_this_forum": HIDDEN,
    "admin": HIDDEN,
}
MATRIX |= {
    "start_conversation": (
        _start_conversation,
        {**ALL_MEMBERS_OK, "unverified": DENIED},
    ),
    "conversation_reply": (_conversation_reply, PARTICIPANTS_ONLY),
    "conversation_leave": (_conversation_leave, PARTICIPANTS_ONLY),
    "conversation_invite": (
        _conversation_invite,
        {**PARTICIPANTS_ONLY, "other_member": DENIED},
    ),
    "conversation_report": (
        _conversation_report,
        {**PARTICIPANTS_ONLY, "member": DENIED},
    ),
    "revoke_conversations": (_revoke_conversations, {**GLOBAL_STAFF}),
}


def answer_of(response) -> str:
    if response.status_code == 302:
        if response["Location"].startswith(reverse("account_login")):
            return LOGIN
        return "redirect"
    return {403: DENIED, 404: HIDDEN, 200: "page"}.get(
        response.status_code, str(response.status_code)
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(MATRIX))
def test_permission_matrix(action, role, board, client):
    make_case, expected = MATRIX[action]
    case = make_case(board)
    user = board.user(role)
    if user is not None:
        client.force_login(user)

    response = getattr(client, case.method)(case.url, case.data)

    got = answer_of(response)
    want = expected[role]
    changed = case.changed()
    if want == OK:
        assert got == "redirect", (got, response.content[:2000])
        assert changed, "the action reported success but nothing changed"
    else:
        assert not changed, f"{role} changed data with {action}"
        if want == REFUSED:
            assert got == "redirect", got
        else:
            assert got == want, (got, response.content[:600])
    if want == DENIED:
        assert b"You can't do that" in response.content  # the 403 page
    assert counter_drift() == {}


PRIVATE_ACTIONS = ["view", "reply", "edit_post", "report", "react"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", PRIVATE_ACTIONS)
def test_private_forum_content_does_not_exist_for_those_who_may_not_see_it(
    action, role, board, client
):
    make_private(board.forum)
    user = board.user(role)
    if user is not None:
        client.force_login(user)
    post = _authors_reply(board)
    like = factories.default_reaction_types()["Like"]
    requests = {
        "view": ("get", board.thread.get_absolute_url(), {}),
        "reply": ("post", board.thread.get_reply_url(), {"body": "Hello there"}),
        "edit_post": ("post", reverse("posts:edit", args=[post.pk]), {"body": "X!"}),
        "report": (
            "post",
            reverse("moderation:report", args=[post.pk]),
            {"reason": "Rude"},
        ),
        "react": (
            "post",
            reverse("posts:react", args=[post.pk]),
            {"reaction": like.pk},
        ),
    }
    method, url, data = requests[action]

    response = getattr(client, method)(url, data)

    if role in ("mod_this_forum", "admin"):
        assert response.status_code in (200, 302)
        assert answer_of(response) != LOGIN
    elif role == "guest" and action != "view" and action != "react":
        assert answer_of(response) == LOGIN
    else:
        assert response.status_code == 404
