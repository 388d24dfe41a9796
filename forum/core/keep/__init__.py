"""Nothing a member types is lost when a form cannot be served.

Domain-free: this package knows forms, not posts. When a POST is refused for a
reason the member did not see coming (the page's security token went stale, the
text is larger than the forum accepts, they were logged out in another tab, they
lost the right to post while typing), the answer is a page in the forum's layout
that says what happened in plain words and gives back what they typed:

- typed.py: what a POST carried, sorted into text to show again, values to carry
  along unseen, passwords (never shown again) and files (which cannot be kept);
  also read from the first part of a body too large to parse;
- pages.py: that page, either as a form to send again (same address, same
  names, a fresh CSRF token, sent only by a click) or as text to copy;
- csrf.py: settings.CSRF_FAILURE_VIEW;
- middleware.py: bodies over settings.DATA_UPLOAD_MAX_MEMORY_SIZE (413), a POST
  refused with a 403 or 404, and a POST that login_required would send to the
  login page (the text waits in the session until the member has logged in);
- stash.py and views.py: that text in the session, and the page where it
  waits (/kept/<token>/).

Only what this site's own pages sent is shown back (pages.sent_from_this_site):
a form posted from elsewhere is never echoed, so the page cannot be used to put
someone else's words, with a valid token, in front of a member.
"""
