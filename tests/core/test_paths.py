"""The quick URL maker gives exactly what Django's reverse() gives."""

import pytest
from django.urls import reverse

from forum.core.paths import path_for

CASES = [
    ("posts:post", {"pk": 12}),
    ("posts:thread", {"slug": "border-talks", "pk": 7}),
    ("posts:thread", {"pk": 7}),
    ("posts:thread_page", {"slug": "border-talks", "pk": 7, "page": 2500}),
    ("threads:forum", {"slug": "pakistan-defence", "pk": 3}),
    ("discovery:unread", {"slug": "ڈیفنس-خبریں", "pk": 9}),  # quoted alike
    ("members:profile", {"slug": "desert_hawk", "pk": 42}),
]


@pytest.mark.parametrize(("name", "kwargs"), CASES)
def test_path_for_is_reverse(name, kwargs):
    assert path_for(name, **kwargs) == reverse(name, kwargs=kwargs)
