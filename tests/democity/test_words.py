"""Every portal page a demo login can reach reads in Chinese under ``Accept-Language: zh-CN``.

The crawl starts at the dashboard as each demo role (the small demo city, seeded once for the
package), follows the navigation and the list → detail links (a few of each kind of page), and
fails on any interface string left in English. The heuristic: every msgid of the zh_Hans
catalogue with a translation different from itself is an English interface string; a page
showing one of them verbatim as a text node (or as a title/placeholder/aria-label) was not
translated; so was one showing a stored key (``district_moved``) as it is. Text inside
``<code>``, ``<pre>``, ``<script>`` and ``<style>`` is not read.
"""

from __future__ import annotations

import gettext
import json
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import RequestFactory, override_settings
from django.urls import Resolver404, resolve
from django.utils import translation

pytestmark = pytest.mark.django_db

CATALOGUE = Path(settings.BASE_DIR) / "portal/locale/zh_Hans/LC_MESSAGES/django.mo"
ROLES = (
    "zuzhibu",
    "sec_food_delivery",
    "sec_live_streaming",
    "officer_tianning",
    "officer_jingkai",
)
#: Pages of one kind (one URL name) crawled per role: enough to see each template.
PER_KIND = 2
SKIP_PREFIXES = ("/admin/", "/api/", "/static/", "/media/", "/accounts/logout", "/i18n/")
SKIP_TAGS = {"code", "pre", "script", "style", "textarea"}
READ_ATTRS = ("title", "placeholder", "aria-label", "alt")
#: A stored key shown as it is (``same_district``, ``district_moved``): never a word for people.
KEY = re.compile(r"^[a-z]+(?:_[a-z0-9]+)+$")


def english_msgids() -> frozenset[str]:
    """The catalogue's English msgids that have a translation of their own (the compiled
    catalogue: what the pages use)."""
    with CATALOGUE.open("rb") as fh:
        catalog = gettext.GNUTranslations(fh)._catalog
    out = set()
    for msgid, msgstr in catalog.items():
        if not isinstance(msgid, str) or not msgid or "\x04" in msgid or msgstr == msgid:
            continue
        if "%" in msgid or "{" in msgid or not re.search(r"[A-Za-z]{2}", msgid):
            continue
        out.add(msgid)
    return frozenset(out)


class Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.texts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in SKIP_TAGS:
            self._skip += 1
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        for name in READ_ATTRS:
            if attrs.get(name):
                self.texts.append(attrs[name])

    def handle_endtag(self, tag):
        if tag in SKIP_TAGS and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.texts.append(data)


def _normal(text: str) -> str:
    return " ".join(text.split()).rstrip(":：·").strip()


def _wanted(href: str) -> str | None:
    href = urldefrag(href)[0]
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or parts.query:
        return None
    if parts.path.startswith(SKIP_PREFIXES) or parts.path.endswith((".xlsx", ".csv")):
        return None
    return parts.path


def crawl(client, language: str = "zh-CN", limit: int = 10_000) -> tuple[dict[str, list[str]], int]:
    english = english_msgids()
    usernames = set(get_user_model().objects.values_list("username", flat=True))  # user data
    seen, queue, kinds = set(), ["/"], Counter()
    found: dict[str, list[str]] = {}
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        try:
            kind = resolve(path).view_name
        except Resolver404:
            continue
        if kinds[kind] >= PER_KIND:
            continue
        kinds[kind] += 1
        response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        page = Page()
        page.feed(response.content.decode())
        bad = sorted(
            {
                t
                for t in map(_normal, page.texts)
                if t in english or (KEY.match(t) and t not in usernames)
            }
        )
        if bad:
            found[path] = bad
        queue.extend(p for p in map(_wanted, page.links) if p and p not in seen)
    return found, len(seen)


@pytest.mark.parametrize("username", ROLES)
def test_every_page_reads_in_chinese(client, demo_city, username):
    client.force_login(get_user_model().objects.get(username=username))
    untranslated, crawled = crawl(client)
    assert crawled > 10  # the crawl reached the pages, not only the dashboard
    assert untranslated == {}


def test_the_check_sees_english_pages(client, demo_city):
    """The heuristic is not blind: the same pages in English are flagged."""
    client.force_login(get_user_model().objects.get(username=ROLES[0]))
    untranslated, _crawled = crawl(client, language="en", limit=5)
    assert "Dashboard" in untranslated["/"]


@override_settings(DEBUG=False)
def test_not_found_page_is_the_portals_and_chinese(client):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert response.status_code == 404
    body = response.content.decode()
    assert "页面不存在" in body and "site-header" in body and "Not Found" not in body


def test_server_error_page_renders_without_context_or_database(django_assert_num_queries):
    from django.views.defaults import server_error

    request = RequestFactory().get("/broken/")
    with translation.override("zh-hans"), django_assert_num_queries(0):
        response = server_error(request)
    body = response.content.decode()
    assert response.status_code == 500
    assert "服务器出错" in body and "site-header" in body and "Server Error" not in body


def test_homonyms_have_their_own_words():
    from members.models import Worker

    with translation.override("zh-hans"):
        assert translation.pgettext("pagination", "Next") == "下一页"
        assert translation.pgettext("next step", "Next") == "下一步"
        assert str(Worker._meta.verbose_name_plural) == "从业人员"
        assert translation.gettext("workers") == "从业人员数"


def test_map_controls_are_chinese(client, demo_city):
    client.force_login(get_user_model().objects.get(username=ROLES[0]))
    body = client.get("/stations/map/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    config = json.loads(re.search(r'id="map-config"[^>]*>(.*?)</script>', body, re.S).group(1))
    assert config["labels"]["zoomIn"] == "放大" and config["labels"]["zoomOut"] == "缩小"
