"""Production-mode fixtures: static files collected once, a Redis server, and
a cluster of two gunicorn nodes and the db worker on the test database.

The nodes are other processes: tests that use them run in transactions that
commit (transactional_db), so the nodes see the rows the test made."""

import shutil

import pytest

from tests.production.cluster import Node, RedisServer, Worker, production_env


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/production/" in str(item.fspath):
            item.add_marker(pytest.mark.production)


@pytest.fixture(scope="session")
def static_root(tmp_path_factory):
    """Production settings serve hashed static files from a manifest."""
    from tests.production.cluster import collect_static

    root = tmp_path_factory.mktemp("static")
    collect_static(root)
    return root


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    if not shutil.which("redis-server"):
        pytest.skip(
            "redis-server is not installed (Debian's redis-server package; "
            ".ci/run installs it): the two-node tests need a Redis"
        )
    with RedisServer(tmp_path_factory.mktemp("redis")) as server:
        yield server


@pytest.fixture(scope="session")
def cluster_scratch(tmp_path_factory):
    return tmp_path_factory.mktemp("cluster")


@pytest.fixture(scope="session")
def cluster_env(django_db_setup, static_root, redis_server, cluster_scratch):
    return production_env(
        STATIC_ROOT=str(static_root),
        MEDIA_ROOT=str(cluster_scratch / "media"),
        REDIS_URL=redis_server.url,
        # A rate limit small enough to reach: searches per member per hour.
        RATE_LIMIT_SEARCH="3/3600",
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(cluster_scratch / "mail"),
    )


@pytest.fixture(scope="session")
def cluster(cluster_env, cluster_scratch):
    """(node A, node B, the worker), all sharing one database and one Redis."""
    nodes = [Node(name, cluster_env, cluster_scratch) for name in ("a", "b")]
    try:
        for node in nodes:  # both boot at once
            node.start()
        for node in nodes:
            node.wait_ready()
        with Worker(cluster_env, cluster_scratch / "worker.log") as worker:
            yield nodes[0], nodes[1], worker
    finally:
        for node in nodes:
            node.stop()
