"""Members who talk privately: Windjammer, Saleem, Desert Hawk and an outsider."""

import pytest

from forum.conversations import services
from tests import factories


@pytest.fixture
def crew(db):
    return {
        name: factories.MemberFactory(username=name)
        for name in ("Windjammer", "Saleem", "Desert Hawk", "Outsider")
    }


@pytest.fixture
def talk(crew):
    """Windjammer's conversation with Saleem and Desert Hawk."""
    return services.start_conversation(
        starter=crew["Windjammer"],
        title="Harbour charts",
        recipients=[crew["Saleem"], crew["Desert Hawk"]],
        body="Who has the 1962 harbour charts?",
    )


def login(client, member):
    client.force_login(member)
    return client
