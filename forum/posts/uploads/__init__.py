"""Attachments: pictures and files uploaded to a post while it is written.

- models.py: Attachment (one stored file, its thumbnails, the post it belongs
  to once posted, the place it waits in before that);
- rules.py: what each role may attach and how much (settings), and the checks
  of a file's content against its name;
- services.py: storing an upload (through Django's storage API, pictures
  re-encoded by forum.core.images), claiming a place's uploads for the post
  just made, deleting, orphans, a spammer's files;
- selectors.py: a page of posts' attachments in one query, the gallery;
- markup.py: `[ATTACH=id]`, registered with forum.core.markup;
- views.py: the upload endpoint, serving a file to whoever may see its post.
"""
