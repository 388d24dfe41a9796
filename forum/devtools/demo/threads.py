"""The demo board's threads: the seed thread, quoting its two articles as cards
written by hand, and a lively index of other threads, with reactions and views."""

from datetime import UTC, datetime, timedelta

from django.utils import timezone

SEED_THREAD_TITLE = "Pakistan - Russia Strategic dialogue"
SEED_ARTICLE_1 = {
    "headline": "Strategic dialogue: Russian delegation due this month",
    "publication": "The Express Tribune",
    "url": "https://tribune.com.pk/story/534012/strategic-dialogue-russian-delegation-due-this-month",
    "dateline": "Islamabad",
    # Written for the demo (the card's excerpt), not taken from the article.
    "excerpt": "A new consultative group on strategic stability is the clearest "
    "sign yet that the two former cold-war rivals are warming to each other.",
}
SEED_ARTICLE_2 = {
    "headline": "Pakistan, Russia warming up for strategic rounds: FO",
    "publication": "The Nation",
    # The seed page names no address for this one; the demo card needs one.
    "url": "https://nation.com.pk/12-Apr-2013/pakistan-russia-warming-up-for-strategic-rounds-fo",
    "date": "April 12, 2013",
    "byline": "Maqbool Malik",
    "dateline": "Islamabad",
    "excerpt": "The Foreign Office says the consultations will focus on "
    "disarmament, non-proliferation and strategic stability in South Asia, with "
    "the first round to be hosted in the capital later this month.",
}

SEED_POSTS = [
    (
        "Windjammer",
        datetime(2013, 4, 12, 6, 40, tzinfo=UTC),
        f"{SEED_ARTICLE_1['url']}\n\n"
        "[QUOTE]ISLAMABAD: Officials of both governments are expected to sit down "
        "before the month is out for a first round of consultations on strategic "
        "stability, arms control and the road ahead in Afghanistan.[/QUOTE]\n\n"
        "Worth watching: two former cold-war adversaries opening a formal channel "
        "on security issues.",
    ),
    (
        "Ayesha R.",
        datetime(2013, 4, 12, 7, 55, tzinfo=UTC),
        "A welcome step. A standing dialogue with Moscow gives Islamabad more room "
        "to manoeuvre than relying on a single partner ever did.",
    ),
    (
        "Moscow Watcher",
        datetime(2013, 4, 12, 9, 12, tzinfo=UTC),
        "Moscow's first interest here is the region after 2014: narcotics and "
        "militancy spilling north worry Russian planners far more than anything "
        "else on the agenda.",
    ),
    (
        "Desert Hawk",
        "quote:2",
        datetime(2013, 4, 12, 10, 30, tzinfo=UTC),
        "Agreed on the timing, though I would add that both sides have tried to "
        "thaw relations before. Follow-through is what will count this time.",
    ),
    (
        "Saleem",
        datetime(2013, 4, 12, 13, 5, tzinfo=UTC),
        "Should have happened years ago. Engaging Russia early costs little and "
        "closes off a lot of bad scenarios later.",
    ),
    (
        "Indus Raider",
        datetime(2013, 4, 13, 8, 0, tzinfo=UTC),
        "Follow-up report:\n"
        f"{SEED_ARTICLE_2['url']}\n\n"
        "So the agenda is arms control first; Afghanistan is handled "
        "in a separate track.",
    ),
]

TOPICS = [
    "Budget debate heats up over defence allocation",
    "New trade corridor talks resume after long pause",
    "Analysis: what the latest satellite launch means",
    "Monsoon preparedness and the role of the army",
    "Naval exercise wraps up in the Arabian Sea",
    "Drone procurement: options on the table",
    "Election observers arrive ahead of polling day",
    "Energy crisis: can new projects close the gap?",
    "Border trade reopens after talks",
    "Fighter upgrade programme reaches milestone",
    "Think-tank report on regional water security",
    "Parliament passes new cyber security bill",
    "Introduce yourself: new members thread",
    "Suggestion: dark theme on mobile",
    "Main battle tank trials: first impressions",
    "Submarine deal: what we know so far",
    "Gulf diplomacy after the summit",
    "Central Asian pipelines and the great game",
    "NATO summit takeaways",
    "Latin America's new trade blocs",
]

REPLY_LINES = [
    "Good find, thanks for posting.",
    "I read it differently: the numbers in the report do not support that headline.",
    "Does anyone have the original statement rather than the summary?",
    "This has been coming for a while; the signs were there last year.",
    "Let's wait for the official figures before drawing conclusions.",
    "Interesting angle. The economics matter as much as the strategy here.",
    "Same story every year, yet nothing changes on the ground.",
    "Source please? I could not find this anywhere else.",
    "Well argued. I would add that regional partners will watch this closely.",
    "Bookmarking this thread, it is shaping up to be a good discussion.",
    "The timing is no accident, in my view.",
    "Cost overruns will decide this, not the politics.",
]


def write_threads(rng, forums, members) -> None:
    """The seed thread and the other topics, every post in time order, so "last
    post" counters come out right."""
    from forum.posts import services

    events = []
    seed_time = SEED_POSTS[0][1]
    events.append((seed_time, "seed", None))
    now = timezone.now()
    people = list(members.values())
    for index, title in enumerate(TOPICS):
        forum = list(forums.values())[index % len(forums)]
        start = now - timedelta(days=rng.randint(2, 60), minutes=rng.randint(0, 1400))
        posts = []
        when = start
        for _ in range(rng.randint(1, 27)):
            posts.append((when, rng.choice(people)))
            when += timedelta(minutes=rng.randint(5, 900))
            if when > now:
                break
        events.append((start, "thread", (forum, title, posts)))

    for _when, kind, payload in sorted(events, key=lambda e: e[0]):
        if kind == "seed":
            _load_seed_thread(services, forums["Pakistan Defence"], members)
            continue
        forum, title, posts = payload
        first_at, author = posts[0]
        result = services.create_thread(
            author=author,
            node=forum,
            title=title,
            body=f"{title}.\n\n{rng.choice(REPLY_LINES)} What do members make of it?",
            enforce_limits=False,
            at=first_at,
        )
        thread = result.post.thread
        for at, author in posts[1:]:
            thread.refresh_from_db()
            services.reply_to_thread(
                author=author,
                thread=thread,
                body=rng.choice(REPLY_LINES)
                + f"\n\n(Reply {thread.last_position + 2} in this thread.)",
                enforce_limits=False,
                at=at,
            )


def add_reactions_and_views(rng, people) -> None:
    """Reactions on a share of posts and plausible view counts, so the board looks
    read. Through the reactions service, so every score stays exact."""
    from django.db.models import F

    from forum.posts.models import Post, ReactionType
    from forum.posts.reactions import react_to_post
    from forum.threads.models import Thread

    types = list(ReactionType.objects.filter(is_active=True))
    weights = [8 if t.name == "Like" else 2 for t in types]
    for post in Post.objects.select_related("thread").order_by("pk"):
        # Opening posts (the news) always draw some reactions; replies now and then.
        if not types or (post.position > 0 and rng.random() > 0.45):
            continue
        for user in rng.sample(people, k=rng.randint(1, 6)):
            if user.pk == post.author_id:
                continue
            react_to_post(
                user=user,
                post=post,
                reaction_type=rng.choices(types, weights)[0],
                enforce_limits=False,
            )
    for thread in Thread.objects.all():
        Thread.objects.filter(pk=thread.pk).update(
            view_count=F("reply_count") * rng.randint(12, 40) + rng.randint(20, 90)
        )


def _seed_article_picture() -> bytes:
    """The first article's picture, drawn here: the demo never touches the network."""
    import io

    from PIL import Image, ImageDraw

    picture = Image.new("RGB", (640, 480), (1, 65, 28))
    draw = ImageDraw.Draw(picture)
    draw.rectangle((0, 0, 160, 480), fill=(255, 255, 255))
    draw.ellipse((250, 150, 390, 290), fill=(255, 255, 255))
    draw.ellipse((285, 135, 415, 265), fill=(1, 65, 28))
    for row, colour in enumerate([(255, 255, 255), (0, 57, 166), (213, 43, 30)]):
        draw.rectangle((440, 300 + row * 50, 620, 350 + row * 50), fill=colour)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()


def _create_seed_cards(members):
    """The two articles the seed thread quotes, as cards written by hand (no
    fetch): the posts that link them show the cards."""
    from forum.news.services import create_card

    first, second = SEED_ARTICLE_1, SEED_ARTICLE_2
    create_card(
        creator=members["Windjammer"],
        url=first["url"],
        headline=first["headline"],
        publication_name=first["publication"],
        dateline=first["dateline"],
        excerpt=first["excerpt"],
        image=_seed_article_picture(),
    )
    create_card(
        creator=members["Indus Raider"],
        url=second["url"],
        headline=second["headline"],
        publication_name=second["publication"],
        published=datetime(2013, 4, 12).date(),
        author=second["byline"],
        dateline=second["dateline"],
        excerpt=second["excerpt"],
    )


def _load_seed_thread(services, forum, members):
    from forum.core.markup import quote_tag_for

    _create_seed_cards(members)
    thread = None
    created = []
    for entry in SEED_POSTS:
        if len(entry) == 4:
            username, quote_ref, at, text = entry
            quoted = created[int(quote_ref.split(":")[1]) - 1]
            text = (
                quote_tag_for(
                    username=quoted.author_name,
                    post_id=quoted.pk,
                    member_id=quoted.author_id,
                    body=quoted.body,
                )
                + text
            )
        else:
            username, at, text = entry
        author = members[username]
        if thread is None:
            result = services.create_thread(
                author=author,
                node=forum,
                title=SEED_THREAD_TITLE,
                body=text,
                enforce_limits=False,
                at=at,
            )
            thread = result.post.thread
        else:
            thread.refresh_from_db()
            result = services.reply_to_thread(
                author=author, thread=thread, body=text, enforce_limits=False, at=at
            )
        created.append(result.post)
