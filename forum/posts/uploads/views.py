"""Uploading a file to a post being written, removing one, and serving one to
whoever may see its post."""

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.views.decorators.http import require_POST

from forum.posts import places
from forum.posts.uploads import selectors, services
from forum.posts.uploads.models import Attachment
from forum.posts.uploads.rules import AttachmentRefused

YEAR = 365 * 24 * 3600


def describe(attachment: Attachment) -> dict:
    """What the composer's script shows of an upload."""
    return {
        "id": attachment.pk,
        "name": attachment.filename,
        "kind": attachment.kind,
        "url": attachment.get_absolute_url(),
        "preview": attachment.preview_url if attachment.is_image else "",
        "bbcode": attachment.bbcode,
        "size": attachment.size,
    }


@login_required
@require_POST
def upload(request):
    place = places.resolve(request.user, request.POST.get("place", ""))
    if place is None:
        raise Http404("No such place.")
    chosen = request.FILES.get("file")
    if chosen is None:
        return JsonResponse({"error": "Please choose a file to attach."}, status=400)
    try:
        attachment = services.store_upload(
            owner=request.user, place=place, upload=chosen
        )
    except AttachmentRefused as refusal:
        return JsonResponse({"error": str(refusal)}, status=400)
    return JsonResponse(describe(attachment), status=201)


@login_required
@require_POST
def remove(request, pk: int):
    attachment = (
        Attachment.objects.select_related("post__thread__node").filter(pk=pk).first()
    )
    if attachment is None or not selectors.may_open(request.user, attachment):
        raise Http404("No such attachment.")
    if not services.may_delete(request.user, attachment):
        return JsonResponse({"error": "You may not remove this file."}, status=403)
    services.delete_attachment(actor=request.user, attachment=attachment)
    return JsonResponse({"removed": pk})


def serve(request, pk: int, digest: str, width: int | None = None):
    """The file, to whoever may see its post (a 404 to anyone else, so its
    existence leaks nothing). Its address holds its content's hash: browsers
    keep it a year; shared caches only when guests may see it."""
    attachment = (
        Attachment.objects.select_related("post__thread__node")
        .filter(pk=pk, digest=digest)
        .first()
    )
    if attachment is None or not selectors.may_open(request.user, attachment):
        raise Http404("No such attachment.")
    name = attachment.file.name
    if width is not None:
        found = attachment.thumbnails.get(str(width))
        if found is None:
            raise Http404("No such size.")
        name = found[0]
    etag = f'"{digest}-{width or 0}"'
    scope = "public" if selectors.seen_by_guests(attachment) else "private"
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        try:
            opened = default_storage.open(name)
        except FileNotFoundError:
            raise Http404("The file is gone.") from None
        response = FileResponse(opened, content_type=attachment.content_type)
        disposition = "inline" if attachment.is_image else "attachment"
        response["Content-Disposition"] = (
            f'{disposition}; filename="{_ascii(attachment.filename)}"'
        )
    response["ETag"] = etag
    response["Cache-Control"] = f"{scope}, max-age={YEAR}, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    # A file opened directly runs nothing and loads nothing.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _ascii(filename: str) -> str:
    return "".join(c if c.isascii() and c not in '"\\' else "_" for c in filename)
