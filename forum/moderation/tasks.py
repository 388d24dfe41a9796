"""Background work for moderation, through Django's Tasks API."""

from django_tasks import task


@task()
def purge_old_ips() -> int:
    """Forget post IP addresses older than FORUM_IP_RETENTION_DAYS (run daily)."""
    from forum.moderation.services.community import purge_old_ips as purge

    return purge()
