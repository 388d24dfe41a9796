"""The composer: what the reply, new-thread and edit forms share besides the
text itself. Without JavaScript each of these is a button of the same form,
which comes back filled with what was typed:

- "Preview": the body through the real renderer (same sanitizer, the same news
  cards, the uploads shown where [ATTACH=id] puts them), above the form;
- "Upload": the files chosen in the form's file input, stored for the post
  being written (a refusal says why, nothing typed is lost);
- "Remove" beside an upload.
With JavaScript (static/js/composer.js) the same things happen in place, through
the endpoints below, and the text is saved as a draft while typing.
"""

from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from forum.core import ratelimit
from forum.core.markup import render_bbcode
from forum.posts import extensions, places
from forum.posts.drafts import services as drafts
from forum.posts.help import TAGS, examples
from forum.posts.uploads import rules
from forum.posts.uploads import services as uploads
from forum.posts.uploads.models import Attachment
from forum.posts.uploads.rules import AttachmentRefused
from forum.posts.uploads.selectors import preview_inline


@dataclass
class Composer:
    place: str
    may_upload: bool
    attachments: list = field(default_factory=list)
    preview: str = ""
    problems: list = field(default_factory=list)
    notices: list = field(default_factory=list)
    action: str = "post"
    allowed: str = ""
    accept: str = ""
    draft: object = None  # the restored draft, if any

    @property
    def holds(self) -> bool:
        """Whether this POST only worked on the form (nothing is posted)."""
        return self.action != "post" or bool(self.problems)


def render_preview(user, body: str, attachments=()) -> str:
    """The HTML a post with this body would show."""
    html = render_bbcode((body or "").replace("\x00", ""))
    for addon in extensions.body_addons():
        if addon.preview is not None:
            html = addon.preview(user, html)
    html = preview_inline(html, list(attachments))
    return mark_safe(html)  # noqa: S308 - the renderer's sanitized output


def _accept(user) -> str:
    return ",".join(f".{ext}" for ext in sorted(rules.allowed_extensions(user)))


def compose(request, *, place: str, may_upload: bool, existing=()) -> Composer:
    """The composer's state for this request; on a POST, the preview, upload or
    removal it asked for. `existing`: attachments the post already carries
    (an edit)."""
    user = request.user
    composer = Composer(
        place=place,
        may_upload=may_upload,
        allowed=rules.describe_allowed(user),
        accept=_accept(user),
    )
    if request.method == "POST":
        _act(request, composer)
    composer.attachments = list(existing) + uploads.pending(user, place)
    if composer.action == "preview":
        body = request.POST.get("body", "")
        composer.preview = render_preview(user, body, composer.attachments)
    return composer


def _act(request, composer: Composer) -> None:
    post = request.POST
    if "preview" in post:
        composer.action = "preview"
    elif "upload" in post:
        composer.action = "upload"
    elif post.get("remove_attachment", "").isdigit():
        composer.action = "remove"
        _remove(request, composer, int(post["remove_attachment"]))
    chosen = [f for f in request.FILES.getlist("attachment") if f.name]
    if chosen and not composer.may_upload:
        composer.problems.append("You may not attach files here.")
        return
    resolved = places.resolve(request.user, composer.place) if chosen else None
    for upload in chosen:
        try:
            uploads.store_upload(owner=request.user, place=resolved, upload=upload)
        except AttachmentRefused as refusal:
            composer.problems.append(f"{upload.name}: {refusal}")
        else:
            composer.notices.append(f"{upload.name} is attached.")
    if composer.action == "upload" and not chosen:
        composer.problems.append("Please choose a file to attach.")


def _remove(request, composer, pk: int) -> None:
    attachment = Attachment.objects.select_related("post__thread__node")
    attachment = attachment.filter(pk=pk).first()
    if attachment is None or not uploads.may_delete(request.user, attachment):
        return
    if attachment.post_id is None and attachment.place != composer.place:
        return
    uploads.delete_attachment(actor=request.user, attachment=attachment)
    composer.notices.append(f"{attachment.filename} is removed.")


def restore_draft(request, composer: Composer, *, unless: str = "") -> str | None:
    """The member's draft at this place for a form shown afresh (None: none,
    or the same text as `unless`)."""
    draft = drafts.draft_for(request.user, composer.place)
    if draft is None or draft.body == unless:
        return None
    composer.draft = draft
    return draft.body


# --- endpoints for the script ---------------------------------------------------


@login_required
@require_POST
def preview(request):
    place = places.resolve(request.user, request.POST.get("place", ""))
    if place is None:
        raise Http404("No such place.")
    try:
        ratelimit.check("preview", key=f"u{request.user.pk}", noun="previews")
    except ratelimit.RateLimited as refusal:
        return HttpResponse(str(refusal), status=429, content_type="text/plain")
    attachments = uploads.pending(request.user, place.key)
    if place.kind == "post":
        attachments = list(place.target.attachments.all()) + attachments
    html = render_preview(request.user, request.POST.get("body", ""), attachments)
    return HttpResponse(html)


@login_required
@require_POST
def save_draft(request):
    """A draft save: 200 with the new version, or 409 with the other tab's text
    (the page offers "keep mine" (force) or "load the other")."""
    place = places.resolve(request.user, request.POST.get("place", ""))
    if place is None:
        raise Http404("No such place.")
    try:
        ratelimit.check("draft", key=f"u{request.user.pk}", noun="draft saves")
    except ratelimit.RateLimited as refusal:
        return JsonResponse({"error": str(refusal)}, status=429)
    version = request.POST.get("version", "0")
    saved = drafts.save_draft(
        owner=request.user,
        place=place.key,
        body=request.POST.get("body", ""),
        title=request.POST.get("title", ""),
        version=int(version) if version.isdigit() else 0,
        force=request.POST.get("force") == "1",
    )
    draft = saved.draft
    answer = {"version": draft.version if draft else 0}
    if not saved.ok:
        answer |= {"conflict": True, "body": draft.body, "title": draft.title}
        return JsonResponse(answer, status=409)
    return JsonResponse(answer | {"saved": draft is not None})


@login_required
@require_POST
def discard_draft(request):
    place = places.resolve(request.user, request.POST.get("place", ""))
    if place is None:
        raise Http404("No such place.")
    drafts.discard_draft(owner=request.user, place=place.key)
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"discarded": True})
    return redirect(place.url)


def bbcode_help(request):
    """Every tag the forum knows, each with an example and what it renders."""
    return render(request, "posts/bbcode_help.html", {"tags": examples(TAGS)})
