"""Whose address a request comes from: forwarded addresses count only behind as
many proxies as the operator says, so nobody can forge theirs."""

from django.test import RequestFactory, override_settings

from forum.core.http import client_ip


def _request(forwarded: str = ""):
    meta = {"REMOTE_ADDR": "10.0.0.5"}
    if forwarded:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_a_trusted_proxy_a_forged_header_is_ignored():
    assert client_ip(_request("1.2.3.4")) == "10.0.0.5"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_the_address_it_saw_counts():
    # The client forged "1.2.3.4"; the proxy appended the address it really saw.
    assert client_ip(_request("1.2.3.4, 203.0.113.9")) == "203.0.113.9"


@override_settings(TRUSTED_PROXY_COUNT=2)
def test_behind_two_proxies_the_first_ones_report_counts():
    assert client_ip(_request("1.2.3.4, 203.0.113.9, 10.0.0.2")) == "203.0.113.9"
    assert client_ip(_request("")) == "10.0.0.5"  # no header: the connection's
