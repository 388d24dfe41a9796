"""Writes to attachments: store an upload, claim a place's uploads for the post
just made, delete one, remove orphans and a member's files.

Files go through Django's storage API (settings.STORAGES["default"]): a folder by
default, S3-compatible storage when configured. A row and its files are written
together: files first, and removed again when the row is not committed; files of
a deleted row are removed once the deletion has committed.
"""

import hashlib
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from forum.core import ratelimit
from forum.core.images import ImageRejected, process_attachment_image
from forum.core.pagecache import invalidate
from forum.policy import can_moderate
from forum.posts.models import Post
from forum.posts.uploads import rules
from forum.posts.uploads.models import Attachment
from forum.posts.uploads.rules import AttachmentRefused

User = get_user_model()

ORPHAN_HOURS = 24


def _read(upload, limit: int) -> bytes:
    if upload.size is not None and upload.size > limit:
        raise AttachmentRefused(
            f"The file is {rules.describe_bytes(upload.size)}; the limit is "
            f"{rules.describe_bytes(limit)}."
        )
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise AttachmentRefused(
            f"The file is larger than {rules.describe_bytes(limit)}, the limit."
        )
    return data


def _clean_name(filename: str) -> str:
    basename = filename.replace("\\", "/").rsplit("/", 1)[-1]
    kept = "".join(c for c in basename if c.isprintable() and c not in '"<>:|?*')
    return " ".join(kept.split())[:150] or "file"


def _pending_count(owner, place) -> int:
    count = Attachment.objects.filter(owner=owner, post=None, place=place.key).count()
    if place.kind == "post":
        count += Attachment.objects.filter(post=place.target).count()
    return count


def _check_quota(member, size: int) -> None:
    used = Attachment.objects.filter(owner=member).aggregate(n=Sum("size"))["n"] or 0
    limit = rules.quota(member)
    if used + size > limit:
        raise AttachmentRefused(
            f"This file needs {rules.describe_bytes(size)} and you have used "
            f"{rules.describe_bytes(used)} of your {rules.describe_bytes(limit)} "
            "for attachments. Delete attachments you no longer need (edit the "
            "posts that carry them), or attach a smaller file."
        )


def store_upload(*, owner, place, upload, enforce_limits: bool = True) -> Attachment:
    """Store one uploaded file for the post being written at `place`
    (forum.posts.places.Place): a picture is re-encoded (forum.core.images),
    a document checked against its name. Refuses with AttachmentRefused, whose
    message says what to do; nothing is stored then."""
    if not place.may_upload:
        raise AttachmentRefused("You may not attach files here.")
    filename = _clean_name(upload.name or "")
    kind = rules.check_kind(owner, filename)
    if enforce_limits:
        try:
            ratelimit.check("upload", key=f"u{owner.pk}", noun="uploads")
        except ratelimit.RateLimited as refusal:
            raise AttachmentRefused(str(refusal)) from None
    if _pending_count(owner, place) >= rules.per_post():
        raise AttachmentRefused(
            f"A post can carry at most {rules.per_post()} attachments."
        )
    data = _read(upload, rules.max_bytes())
    return _save(owner, place, _prepare(kind, filename, data))


@dataclass(frozen=True)
class _Prepared:
    kind: str
    filename: str
    content_type: str
    main: bytes
    thumbnails: dict  # {width: (bytes, height)}
    size: tuple[int, int] | None

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.main).hexdigest()[:16]

    @property
    def total(self) -> int:
        return len(self.main) + sum(len(b) for b, _ in self.thumbnails.values())


def _prepare(kind: str, filename: str, data: bytes) -> _Prepared:
    if kind == "file":
        content_type = rules.check_document(data, filename)
        return _Prepared(kind, filename, content_type, data, {}, None)
    try:
        picture = process_attachment_image(
            data, filename=filename, max_bytes=rules.max_bytes()
        )
    except ImageRejected as refusal:
        raise AttachmentRefused(str(refusal)) from None
    stem = filename.rsplit(".", 1)[0] or "picture"
    return _Prepared(
        kind,
        f"{stem}.{picture.extension}",
        picture.content_type,
        picture.data,
        picture.thumbnails,
        (picture.width, picture.height),
    )


def _save(owner, place, prepared: _Prepared) -> Attachment:
    ext = prepared.filename.rsplit(".", 1)[-1].lower()
    folder = f"attachments/{owner.pk}/{timezone.now():%Y%m}"
    digest = prepared.digest
    stored: list[str] = []
    try:
        with transaction.atomic():
            member = User.objects.select_for_update().get(pk=owner.pk)
            _check_quota(member, prepared.total)
            main_name = default_storage.save(
                f"{folder}/{digest}.{ext}", ContentFile(prepared.main)
            )
            stored.append(main_name)
            thumbs = {}
            for width, (encoded, height) in prepared.thumbnails.items():
                name = default_storage.save(
                    f"{folder}/{digest}-w{width}.{ext}", ContentFile(encoded)
                )
                stored.append(name)
                thumbs[str(width)] = [name, height]
            size = prepared.size or (None, None)
            attachment = Attachment.objects.create(
                owner=owner,
                place=place.key,
                kind=prepared.kind,
                filename=prepared.filename,
                content_type=prepared.content_type,
                size=prepared.total,
                digest=digest,
                file=main_name,
                width=size[0],
                height=size[1],
                thumbnails=thumbs,
            )
    except BaseException:
        _remove_files(stored)
        raise
    transaction.on_commit(partial(_schedule_orphan_check, attachment.pk))
    return attachment


def _schedule_orphan_check(pk: int) -> None:
    from forum.posts.tasks import forget_orphan_attachment

    when = timezone.now() + timedelta(hours=ORPHAN_HOURS)
    forget_orphan_attachment.using(run_after=when).enqueue(pk)


def _remove_files(names) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:  # already gone: nothing to remove
            pass


def _forget(attachments: list[Attachment]) -> None:
    """Delete the rows now and their files once that has committed."""
    if not attachments:
        return
    names = [name for a in attachments for name in a.storage_names()]
    Attachment.objects.filter(pk__in=[a.pk for a in attachments]).delete()
    transaction.on_commit(partial(_remove_files, names))


def claim_for_post(*, owner, place_key: str, post: Post) -> int:
    """Inside the transaction that wrote `post`: the uploads the member made at
    that place become the post's. Returns how many the post carries now."""
    claimed = Attachment.objects.filter(owner=owner, post=None, place=place_key)
    moved = claimed.update(post=post, place="")
    if not moved:
        return post.attachment_count
    count = Attachment.objects.filter(post=post).count()
    Post.objects.filter(pk=post.pk).update(attachment_count=count)
    post.attachment_count = count
    return count


def may_delete(user, attachment: Attachment) -> bool:
    if attachment.owner_id == user.pk:
        return True
    post = attachment.post
    return post is not None and can_moderate(user, post.thread.node)


@transaction.atomic
def delete_attachment(*, actor, attachment: Attachment) -> None:
    """Remove one attachment (its owner, or a moderator of its post's forum)."""
    post_id = attachment.post_id
    _forget([attachment])
    if post_id is not None:
        post = Post.objects.select_related("thread").get(pk=post_id)
        count = Attachment.objects.filter(post_id=post_id).count()
        Post.objects.filter(pk=post_id).update(attachment_count=count)
        invalidate(f"thread:{post.thread_id}")


def forget_orphan(pk: int) -> bool:
    """A day after an upload: gone if no post claimed it."""
    with transaction.atomic():
        found = list(Attachment.objects.filter(pk=pk, post=None))
        _forget(found)
    return bool(found)


def delete_orphans(*, hours: int = ORPHAN_HOURS) -> int:
    """Every upload no post has claimed for `hours`: the sweep behind the
    per-upload task (run daily: `manage.py prune_attachments`)."""
    cutoff = timezone.now() - timedelta(hours=hours)
    with transaction.atomic():
        found = list(Attachment.objects.filter(post=None, created_at__lt=cutoff))
        _forget(found)
    return len(found)


@transaction.atomic
def remove_member_files(*, member) -> int:
    """Every file a member uploaded, gone (the spam cleaner): rows now, files on
    commit; the posts that carried them are shown afresh."""
    found = list(Attachment.objects.filter(owner=member).select_related("post"))
    post_ids = {a.post_id for a in found if a.post_id}
    thread_ids = set(
        Post.objects.filter(pk__in=post_ids).values_list("thread_id", flat=True)
    )
    _forget(found)
    counts = dict(
        Attachment.objects.filter(post_id__in=post_ids)
        .values("post_id")
        .annotate(n=Count("id"))
        .values_list("post_id", "n")
    )
    for post_id in sorted(post_ids):
        Post.objects.filter(pk=post_id).update(attachment_count=counts.get(post_id, 0))
    if thread_ids:
        invalidate(*[f"thread:{pk}" for pk in sorted(thread_ids)])
    return len(found)


def pending(owner, place_key: str) -> list[Attachment]:
    """The uploads waiting at a place, oldest first."""
    return list(
        Attachment.objects.filter(owner=owner, post=None, place=place_key).order_by(
            "created_at", "pk"
        )
    )
