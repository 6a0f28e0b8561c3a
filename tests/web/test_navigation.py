"""The main navigation: a few menus a finance user knows (base.html), each shown only when it holds an entry the
user may open, the one holding the current page marked. The keyboard journey is in test_browser.py."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def nav_of(client, url: str) -> str:
    html = client.get(url).content.decode()
    return html.split('class="mainnav"', 1)[1].split("</nav>", 1)[0]


def groups(nav: str) -> list[str]:
    return re.findall(r'data-group="(\w+)"', nav)


def links_in(nav: str, group: str) -> list[str]:
    menu = nav.split(f'data-group="{group}"', 1)[1].split("</details>", 1)[0]
    return re.findall(r'<a href="([^"]+)"', menu)


def test_a_finance_manager_sees_every_menu(client):
    client.force_login(factories.user("nav-fm", role="finance_manager"))
    nav = nav_of(client, reverse("web:home"))

    assert groups(nav) == ["ledger", "credit", "cash", "collections", "baddebts", "analysis", "system"]
    assert links_in(nav, "system") == [reverse("web:audit_list")]  # the admin is for the staff
    assert links_in(nav, "ledger")[:3] == ["/customers/", "/invoices/", "/payments/"]
    assert "/collections/" in links_in(nav, "collections")
    assert "/provisioning/" in links_in(nav, "baddebts")
    assert '<a href="/" class="navtop" aria-current="page">' in nav  # the overview is a link of its own
    assert 'class="navgroup current"' not in nav


def test_a_salesperson_is_not_shown_a_menu_without_an_entry_for_them(client):
    client.force_login(factories.user("nav-sales", role="sales"))
    nav = nav_of(client, reverse("web:home"))

    assert "baddebts" not in groups(nav) and "system" not in groups(nav)
    assert "/cash/" not in links_in(nav, "cash") and reverse("salesrecon:list") in links_in(nav, "cash")
    assert 'href="/provisioning/"' not in nav


def test_the_menu_holding_the_current_page_is_marked_and_so_is_its_link(client):
    client.force_login(factories.user("nav-fm2", role="finance_manager"))
    nav = nav_of(client, reverse("cases:worklist"))

    assert 'class="navgroup current" name="mainnav" data-group="collections"' in nav
    assert 'href="/collections/" aria-current="page"' in nav
    assert nav.count("navgroup current") == 1
    assert 'class="navtop" aria-current' not in nav


def test_the_staff_have_a_system_menu_with_the_admin(client):
    client.force_login(factories.user("nav-root", superuser=True))
    nav = nav_of(client, reverse("web:audit_list"))

    assert groups(nav)[-1] == "system"
    assert links_in(nav, "system") == [reverse("web:audit_list"), reverse("admin:index")]
    assert 'class="navgroup current" name="mainnav" data-group="system"' in nav


def test_the_menus_work_without_javascript_and_the_script_is_served_from_the_site(client):
    client.force_login(factories.user("nav-fm3", role="finance_manager"))
    html = client.get(reverse("web:home")).content.decode()

    assert html.count("<details class=\"navgroup") == 7 and html.count("<summary>") >= 7
    assert re.search(r'<script src="/static/web/nav\.js[^"]*" defer>', html)
