from django.apps import AppConfig


def _count_cached_view(request, thread_id) -> None:
    from forum.core.http import visitor_key
    from forum.threads.viewcounts import record_view

    record_view(thread_id, visitor_key(request))


class ThreadsConfig(AppConfig):
    name = "forum.threads"
    label = "threads"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from forum.core import pagecache

        # A thread page served from the guest cache still counts as a view.
        pagecache.register_hit_hook("thread-view", _count_cached_view)
