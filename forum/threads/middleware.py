"""A merged thread's old address leads to the thread it was merged into."""

from django.shortcuts import redirect

from forum.threads.selectors import ThreadMerged


class MergedThreadMiddleware:
    """get_thread_for_user_or_404 raises ThreadMerged (a 404) for the old address
    of a merged thread the viewer may see the survivor of: answer a permanent
    redirect instead, wherever the lookup happened."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, ThreadMerged):
            return redirect(exception.url, permanent=True)
        return None
