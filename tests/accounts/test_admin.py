"""Member administration."""

from django.contrib.auth import get_user_model

User = get_user_model()


def test_admin_action_anonymizes_members_and_keeps_posts(client, staff, member, thread):
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)

    response = client.post(
        "/admin/accounts/user/",
        {"action": "anonymize_members", "_selected_action": [member.pk, staff.pk]},
    )

    assert response.status_code == 302
    member.refresh_from_db()
    staff.refresh_from_db()
    assert member.username == f"Deleted member {member.pk}"
    assert thread.posts.get(position=0).author_name == member.username
    assert staff.is_active  # never yourself


def test_admin_edit_of_about_renders_it(client, staff, member):
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    url = f"/admin/accounts/user/{member.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in {"groups", "user_permissions"}
    }
    data.update(
        about="[b]Admiral[/b]",
        signature="",
        date_joined_0=member.date_joined.strftime("%Y-%m-%d"),
        date_joined_1=member.date_joined.strftime("%H:%M:%S"),
        last_login_0="",
        last_login_1="",
    )
    data.pop("date_joined", None)
    data.pop("last_login", None)

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    member.refresh_from_db()
    assert member.about_html == "<strong>Admiral</strong>"
