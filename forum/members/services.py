"""Deleting an account: the member anonymized, their content kept and renamed.

One transaction; the avatar files go once it has committed.
"""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Func, Value

from accounts.services import _delete_files, avatar_file_names, member_changed
from forum.notifications import services as notifications
from forum.policy import can_ignore
from forum.posts import extensions, reactions
from forum.posts.models import Post
from forum.threads.models import Node, Thread

User = get_user_model()


def deleted_member_name(pk: int) -> str:
    return f"Deleted member {pk}"


def rename_content(member, name: str) -> None:
    """Every post, thread and forum listing that names the member by their old
    name names them by the new one, and whatever the add-ons keep by name
    (conversations: forum.posts.extensions.register_rename_hook)."""
    Post.objects.filter(author=member).update(author_name=name)
    Thread.objects.filter(starter=member).update(starter_name=name)
    Thread.objects.filter(last_poster=member).update(last_poster_name=name)
    Node.objects.filter(last_poster=member).update(last_poster_name=name)
    reactions.on_member_renamed(member_id=member.pk, name=name)
    notifications.on_member_renamed(member_id=member.pk, name=name)
    extensions.run_rename_hooks(member_id=member.pk, name=name)  # conversations...


@transaction.atomic
def delete_account(*, member) -> None:
    """Anonymize a member who asked to leave; their posts stay.

    The account becomes "Deleted member <id>": e-mail, profile, avatar, title and
    permissions cleared, password unusable, inactive, flagged is_deleted_member,
    allauth's e-mail addresses removed. Every post, thread and forum listing that
    showed the old name shows the new one. All of it commits together or not at
    all; the avatar files are deleted after commit.
    """
    locked = User.objects.select_for_update().get(pk=member.pk)
    old_files = avatar_file_names(locked.avatar)
    name = deleted_member_name(locked.pk)
    locked.username = name
    for field in (
        "email",
        "first_name",
        "last_name",
        "custom_title",
        "country",
        "location",
        "website",
        "about",
        "about_html",
        "signature",
        "signature_html",
        "avatar",
    ):
        setattr(locked, field, "")
    locked.last_seen_at = None
    locked.show_last_seen = False
    locked.is_active = False
    locked.is_staff = False
    locked.is_superuser = False
    locked.is_deleted_member = True
    locked.set_unusable_password()
    locked.save()
    locked.groups.clear()
    locked.user_permissions.clear()
    EmailAddress.objects.filter(user=locked).delete()
    rename_content(locked, name)
    notifications.forget_member(member_id=locked.pk)
    member_changed(locked.pk)
    transaction.on_commit(lambda: _delete_files(old_files))


MAX_IGNORED = 1000


class IgnoreRefused(Exception):
    """str() is the message for the member."""


def ignore_member(*, member, ignored) -> None:
    """Collapse `ignored`'s posts for `member` and keep their mentions, alerts and
    conversations away (forum.policy.can_contact reads the same column). One
    statement, so two tabs cannot lose one."""
    if not can_ignore(member, ignored):
        raise IgnoreRefused(f"You can't ignore {ignored.username}.")
    if len(member.ignored_members) >= MAX_IGNORED:
        raise IgnoreRefused(f"You can ignore at most {MAX_IGNORED:,} members.")
    _add_to(member, "ignored_members", ignored.pk)


def unignore_member(*, member, ignored_id: int) -> None:
    _remove_from(member, "ignored_members", ignored_id)


def _add_to(member, column: str, pk: int) -> None:
    """Append `pk` to one of the member's id arrays, once, in one statement (two
    tabs cannot lose one), and refresh the member's copy."""
    User.objects.filter(pk=member.pk).exclude(**{f"{column}__contains": [pk]}).update(
        **{column: Func(F(column), Value(pk), function="array_append")}
    )
    member.refresh_from_db(fields=[column])


def _remove_from(member, column: str, pk: int) -> None:
    User.objects.filter(pk=member.pk).update(
        **{column: Func(F(column), Value(pk), function="array_remove")}
    )
    member.refresh_from_db(fields=[column])


MAX_FOLLOWED = 1000


def can_follow(member, followed) -> bool:
    """Members follow other active members, not themselves."""
    return bool(
        member.is_authenticated
        and followed.pk != member.pk
        and followed.is_active
        and not followed.is_deleted_member
    )


def follow_member(*, member, followed) -> None:
    """Follow `followed`: a member who lets only the members they follow start
    conversations with them lets this one. One statement, like ignoring."""
    if not can_follow(member, followed):
        raise IgnoreRefused(f"You can't follow {followed.username}.")
    if len(member.followed_members) >= MAX_FOLLOWED:
        raise IgnoreRefused(f"You can follow at most {MAX_FOLLOWED:,} members.")
    _add_to(member, "followed_members", followed.pk)


def unfollow_member(*, member, followed_id: int) -> None:
    _remove_from(member, "followed_members", followed_id)


def set_conversation_privacy(*, member, privacy: str) -> None:
    """Who may start a conversation with the member (staff always may)."""
    if privacy not in User.ConversationPrivacy.values:
        raise ValueError(privacy)
    User.objects.filter(pk=member.pk).update(conversation_privacy=privacy)
    member.conversation_privacy = privacy
