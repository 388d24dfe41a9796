"""Members: the custom user model carries the profile shown on every author card."""

import hashlib

from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models.functions import Lower
from django.utils.text import slugify
from django_countries.fields import CountryField

from accounts.validators import (
    username_skeleton,
    validate_characters,
    validate_no_invisible_characters,
)
from forum.core.paths import path_for


class MemberQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class MemberManager(UserManager.from_queryset(MemberQuerySet)):
    def get_by_natural_key(self, username):
        # Usernames are unique ignoring case; logging in as "windjammer" finds
        # "Windjammer".
        return self.get(username__iexact=username)


class User(AbstractUser):
    class Theme(models.TextChoices):
        AUTO = "auto", "Follow my device"
        LIGHT = "light", "Light"
        DARK = "dark", "Dark"

    # Signing up applies every rule in accounts.validators (length, reserved names,
    # look-alikes); the field itself only refuses what no name may contain, so an
    # admin can still rename a member imported from an older board.
    username = models.CharField(
        "username",
        max_length=150,
        unique=True,
        validators=[validate_no_invisible_characters, validate_characters],
        help_text="Letters, digits, spaces and _ - . only.",
        error_messages={"unique": "A member with that name already exists."},
    )
    # What the name looks like (accounts.validators.username_skeleton): a new name
    # whose skeleton matches an existing one is refused as a look-alike.
    username_skeleton = models.CharField(
        max_length=150, blank=True, db_index=True, editable=False
    )
    custom_title = models.CharField(
        max_length=50,
        blank=True,
        help_text="Shown on the author card instead of the title from the ladder.",
    )
    message_count = models.IntegerField(default=0, editable=False)
    reaction_score = models.IntegerField(default=0, editable=False)
    # Messages and reaction score carried over from before this database (an import
    # from an older board); `recount` adds them to what it counts here.
    imported_messages = models.IntegerField(default=0)
    imported_reaction_score = models.IntegerField(default=0)
    country = CountryField(blank=True)
    location = models.CharField(max_length=50, blank=True)
    website = models.URLField(max_length=200, blank=True)
    about = models.TextField(blank=True)
    about_html = models.TextField(blank=True, editable=False)
    signature = models.TextField(max_length=500, blank=True)
    signature_html = models.TextField(blank=True, editable=False)
    # Storage name prefix of the re-encoded avatar files ("avatars/3/1a2b"); the
    # files are <prefix>-48.webp, -96.webp, -192.webp. Empty: the initial-letter one.
    avatar = models.CharField(max_length=200, blank=True, editable=False)
    last_seen_at = models.DateTimeField(null=True, blank=True)
    show_last_seen = models.BooleanField(default=True)
    theme = models.CharField(max_length=5, choices=Theme, default=Theme.AUTO)
    # An IANA zone ("Asia/Karachi"); empty: the board's (settings.TIME_ZONE).
    time_zone = models.CharField(max_length=64, blank=True, default="")
    last_post_at = models.DateTimeField(null=True, blank=True, editable=False)
    is_deleted_member = models.BooleanField(default=False, editable=False)
    # Members whose posts this member has collapsed (forum.members.services): read
    # with the member on every request, so asking costs nothing.
    ignored_members = ArrayField(
        models.BigIntegerField(), default=list, blank=True, editable=False
    )
    # Unread alerts (forum.notifications keeps it exact with F() updates and
    # `recount`): the header shows it on every page without a query.
    unread_alert_count = models.IntegerField(default=0, editable=False)

    objects = MemberManager()

    class Meta:
        verbose_name = "member"
        verbose_name_plural = "members"
        constraints = [
            models.UniqueConstraint(
                Lower("username"), name="accounts_user_username_ci_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["-message_count"], name="user_messages_idx"),
            models.Index(fields=["-reaction_score"], name="user_reactions_idx"),
            models.Index(fields=["-date_joined"], name="user_joined_idx"),
            GinIndex(fields=["ignored_members"], name="user_ignoring_idx"),
        ]

    def __str__(self):
        return self.username

    def save(self, *args, **kwargs):
        self.username_skeleton = username_skeleton(self.username)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "username" in update_fields:
            kwargs["update_fields"] = {*update_fields, "username_skeleton"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return path_for("members:profile", slug=self.slug, pk=self.pk)

    @property
    def slug(self) -> str:
        return slugify(self.username, allow_unicode=True) or "member"

    @property
    def initial(self) -> str:
        return (self.username[:1] or "?").upper()

    @property
    def avatar_hue(self) -> int:
        """A stable colour for the initial-letter avatar, derived from the name."""
        digest = hashlib.md5(self.username.lower().encode(), usedforsecurity=False)
        return int(digest.hexdigest()[:4], 16) % 360

    def avatar_url(self, size: int = 96) -> str:
        if not self.avatar:
            return ""
        from django.core.files.storage import default_storage

        return default_storage.url(f"{self.avatar}-{size}.webp")

    # Templates cannot pass arguments: one property per stored size.
    @property
    def avatar_url_48(self) -> str:
        return self.avatar_url(48)

    @property
    def avatar_url_192(self) -> str:
        return self.avatar_url(192)


class UserTitle(models.Model):
    """The ladder: a member's title is the highest rung their message count reaches."""

    min_messages = models.PositiveIntegerField(unique=True)
    title = models.CharField(max_length=50)

    class Meta:
        ordering = ["min_messages"]

    def __str__(self):
        return f"{self.title} ({self.min_messages}+)"
