"""Every write that changes what a cached page shows makes it afresh: after the
write, a guest (the guest page cache) and a member (a shared render) both see the
new state on their next request."""

import re

import pytest
from django.contrib import admin
from django.contrib.admin.widgets import AdminSplitDateTime as SplitDateTimeWidget
from django.forms.models import model_to_dict
from django.test import Client, RequestFactory

from accounts import services as account_services
from accounts.models import UserTitle
from forum.members import services as member_services
from forum.moderation.models import ForumPermission
from forum.posts import services as post_services
from tests import factories
from tests.accounts.imagedata import image_bytes


@pytest.fixture
def seen(db, forum_node, commit):
    """A thread page that a guest and a member have both been served, from the
    guest cache and from a shared render (made by another member)."""
    author = factories.MemberFactory(username="Desert Hawk", location="Lahore")
    staff = factories.MemberFactory(username="Admin", is_staff=True, is_superuser=True)
    thread = factories.make_thread(
        author=author, node=forum_node, title="Tank deal", body="The opening words."
    )
    guest, member, other = Client(), Client(), Client()
    member.force_login(factories.MemberFactory(username="Reader"))
    other.force_login(factories.MemberFactory(username="First"))
    url = thread.get_absolute_url()

    def both() -> list[str]:
        pages = []
        for client in (guest, member):
            response = client.get(url)
            assert response.status_code in (200, 404)
            pages.append(
                response.content.decode() if response.status_code == 200 else ""
            )
        return pages

    other.get(url)  # makes the shared render
    assert [page for page in both()]
    assert guest.get(url)["X-Page-Cache"] == "hit"
    assert member.get(url)["X-Page-Cache"] == "member-hit"
    return {"thread": thread, "author": author, "staff": staff, "both": both}


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def admin_save(staff, obj, **changes):
    """Save `obj` through its admin change form, as an administrator would."""
    model_admin = admin.site._registry[type(obj)]
    request = RequestFactory().post("/")
    request.user = staff
    form_class = model_admin.get_form(request, obj, change=True)
    data = model_to_dict(obj, fields=list(form_class.base_fields))
    data = {k: ("" if v is None else v) for k, v in data.items()} | changes
    for name, field in form_class.base_fields.items():  # the admin's split inputs
        if isinstance(field.widget, SplitDateTimeWidget) and data.get(name):
            when = data.pop(name)
            data[f"{name}_0"], data[f"{name}_1"] = when.date(), when.time()
    form = form_class(data=data, instance=obj)
    assert form.is_valid(), form.errors
    saved = model_admin.save_form(request, form, change=True)
    model_admin.save_model(request, saved, form, change=True)
    model_admin.save_related(request, form, [], change=True)
    return saved


def test_renaming_a_forum_in_the_admin(seen, forum_node, commit):
    with commit():
        admin_save(seen["staff"], forum_node, title="Defence Procurement")
    assert all("Defence Procurement" in page for page in seen["both"]())


def test_moving_a_forum_to_another_category_in_the_admin(seen, forum_node, commit):
    elsewhere = factories.CategoryFactory(title="World Affairs")
    with commit():
        admin_save(seen["staff"], forum_node, parent=elsewhere.pk)
    for page in seen["both"]():
        assert re.search(r"Breadcrumb.*World Affairs", page, re.S)


def test_closing_a_forum_to_guests_in_the_admin(seen, forum_node, commit):
    with commit():
        row = ForumPermission.objects.create(
            node=forum_node,
            role="guest",
            can_view=False,
            can_start_threads=False,
            can_reply=False,
            can_react=False,
            can_upload=False,
        )
        admin_save(seen["staff"], row, can_view=False)
    guest_page, member_page = seen["both"]()
    assert guest_page == ""  # a 404 now
    assert "Tank deal" in member_page


def test_a_profile_edit_shows_on_the_authors_card(seen, commit):
    author = seen["author"]
    with commit():
        account_services.update_profile(
            member=author,
            country="PK",
            location="Rawalpindi",
            website="",
            about="",
            signature="Slow is smooth.",
            theme="auto",
            show_last_seen=True,
        )
    for page in seen["both"]():
        assert "Rawalpindi" in page and "Lahore" not in page
        assert "Slow is smooth." in page


def test_renaming_a_member_in_the_admin(seen, commit):
    with commit():
        admin_save(seen["staff"], seen["author"], username="Desert Falcon")
    for page in seen["both"]():
        assert "Desert Falcon" in page and "Desert Hawk" not in page


def test_deleting_an_account_anonymizes_its_card(seen, commit):
    with commit():
        member_services.delete_account(member=seen["author"])
    for page in seen["both"]():
        assert f"Deleted member {seen['author'].pk}" in page
        assert "Desert Hawk" not in page


def test_a_new_avatar_shows_on_the_card(seen, commit, media_root):
    with commit():
        prefix = account_services.set_avatar(member=seen["author"], data=image_bytes())
    for page in seen["both"]():
        assert f"{prefix}-96.webp" in page


def test_a_new_member_title_shows_on_every_card(seen, staff_title, commit):
    with commit():
        title = UserTitle.objects.get(min_messages=0)
        admin_save(seen["staff"], title, title="Recruit")
    for page in seen["both"]():
        assert "Recruit" in page


@pytest.fixture
def staff_title(db):
    from accounts.titles import forget_ladder

    UserTitle.objects.update_or_create(min_messages=0, defaults={"title": "Newbie"})
    forget_ladder()


def test_editing_the_first_post_updates_the_link_preview_of_later_pages(
    db, forum_node, commit
):
    """Page 2 describes the thread by its first post, which is not on it."""
    author = factories.MemberFactory(username="Desert Hawk")
    thread = factories.make_thread(
        author=author, node=forum_node, body="The opening words.", replies=20
    )
    guest, member = Client(), Client()
    member.force_login(factories.MemberFactory(username="Reader"))
    url = thread.get_absolute_url(2)
    for client in (guest, member):
        assert 'content="The opening words."' in client.get(url).content.decode()

    with commit():
        post_services.edit_post(
            editor=author,
            post=thread.posts.get(position=0),
            body="Fresh opening words.",
        )

    for client in (guest, member):
        page = client.get(url).content.decode()
        assert 'content="Fresh opening words."' in page
        assert "The opening words." not in page


def test_a_new_post_shows_on_its_authors_profile(seen, commit):
    author = seen["author"]
    guest, member = Client(), Client()
    member.force_login(factories.MemberFactory(username="Profile reader"))
    url = author.get_absolute_url()
    for client in (guest, member):
        assert "Second thoughts" not in client.get(url).content.decode()
    factories.wait_out_flood(author)

    with commit():
        factories.reply(author=author, thread=seen["thread"], body="Second thoughts.")

    for client in (guest, member):
        assert "Second thoughts" in client.get(url).content.decode()
