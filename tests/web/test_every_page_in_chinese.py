"""Every page, for every role, in Simplified Chinese: no English message, no Latin word that is not data, no raw code.

The pages are discovered from the URL resolver (``arms.urls``), so a page added later is covered without touching
this test; a path parameter it does not know fails with its name (add a value to ``tests/web/complete_book.py``).
Only the admin, the API and downloads are left out, by the explicit lists below. Each page is rendered with the
Django test client for a user of each role (``arms.accounts.roles.Role``) on a small but complete book, and its
visible text (text nodes, the page title, and the ``placeholder``, ``title``, ``aria-label`` and ``alt``
attributes) is checked for

1. a message id of the English catalogues left untranslated (named in the failure, so it is easy to find);
2. a Latin word that is not data: allowed are codes and numbers (anything with a digit, a single capital such as
   a grade, the credit bureaus' rating scale AAA ... C), e-mail addresses, currency codes, the brand and format
   names in ``ALLOWED_WORDS``, and the book's own data (names, codes, usernames: ``book_words``);
3. a raw code: a snake_case token (``stop_supply``) or a ``word:word`` token (``dunning:stop_supply``).

A page a role may not open (403), or a form that only takes POST (405), is fine; its error page is checked too.
"""

from __future__ import annotations

import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from arms.accounts.roles import Role
from arms.credit.enums import BureauRating
from arms.domain.money import CURRENCY_EXPONENT
from tests.web.complete_book import CompleteBook, build_complete_book

SRC = Path(__file__).resolve().parents[2] / "src" / "arms"

#: routes not rendered, by prefix: Django's admin (English by design of this test's scope), the API (JSON), and
#: the language switch (a redirect)
SKIP_PREFIXES = ("admin/", "api/", "i18n/")
#: downloads (files, not pages), by URL name
SKIP_DOWNLOADS = {
    "healthz",  # the load balancer's JSON health check, not a page
    "web:job_file",  # a background job's result file
    "cases:bundle",  # ZIP evidence bundle
    "cases:attachment",  # an activity's stored file
    "dunning:letter",  # PDF
    "dunning:statement",  # PDF
    "reports:export",  # a dashboard panel as XLSX / CSV
    "reports:run_download",  # a stored monthly report
    "web:invoice_pdf",  # PDF
    "web:delivery_scan",  # a signed receipt scan
    "confirmations:pdf",  # a confirmation letter as PDF
    "confirmations:xlsx",  # ... as Excel
    "confirmations:scan",  # the customer's signed and sealed reply
    "portal:letter_pdf",  # PDF (the customer portal's copy of a dunning letter)
    "portal:invoice_pdf",  # PDF (the customer portal's copy of an invoice)
    "portal:confirmation_pdf",  # PDF (the customer portal's copy of a confirmation letter)
    "writeoffs:evidence",  # a write-off's evidence file
    "writeoffs:collection_record",  # the frozen collection record (JSON)
    "writeoffs:tax_file",  # the tax filing's receipt
    "limitation:evidence",  # an interruption's evidence file (a postal receipt, a call recording)
    "legal:letter_pdf",  # PDF (a lawyer's letter draft as it would be issued)
    "legal:case_document",  # a legal case's stored document
    "legal:asset_file",  # a debtor asset's stored extract
    "provisioning:run_pdf",  # a provision run's report as PDF
    "stress:run_pdf",  # a stress scenario run's report as PDF
    "provisioning:assessment_evidence",  # an individual assessment's evidence file
    "earlywarning:signal_evidence",  # a risk signal's evidence file (a photo from the field)
    "contractreview:attachment",  # a contract's scan
    "credit:guarantee_document",  # a guarantee's stored scan
    "handover:pdf",  # the hand-over list (逾期账款交接表) as PDF
    "handover:xlsx",  # ... as Excel
}
#: pages that are 404 to whoever may not see their object, as the API is (a job: its starter and whoever may
#: view its kind)
NOT_FOUND_TO_OTHERS = {"web:job",
                       # 404 unless the company lets contacts log in (ARMS_PORTAL_CONTACT_LOGIN; see tests/portal)
                       "portal:login", "portal:password"}
#: query strings a page needs to be a page rather than a form with errors
QUERY = {"web:customer_statement": "date_from={start}&date_to={today}"}

#: Latin words that are fine in the Chinese UI: names of formats, brands and abbreviations Chinese finance staff use
ALLOWED_WORDS = {"ARMS", "PDF", "Excel", "CSV", "XLSX", "ZIP", "API", "ERP", "DSO", "CEI", "ADD", "English",
                 "KB", "MB", "GB", "SLA", "RMB", "EMS"}
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.@'+-]*(?::[A-Za-z0-9_]+)*")
_RAW_CODE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b|\b[a-z][a-z_]*:[a-z0-9_]+\b")
_EMAIL = re.compile(r"^[\w.+-]+@[\w-]+(\.[\w-]+)+$")
_PLACEHOLDER = re.compile(r"%\(\w+\)[sdfr]|%[sdfr]|\{\w*\}")


class VisibleText(HTMLParser):
    """The text a person sees: text nodes (not scripts or styles) and the attributes browsers show. A command
    shown to an administrator (in <code> or <kbd>) is literal, in no language, and is passed over."""

    ATTRIBUTES = ("placeholder", "title", "aria-label", "alt")
    INVISIBLE = {"script", "style", "template", "code", "kbd"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.INVISIBLE:
            self._hidden += 1
        for name, value in attrs:
            if name in self.ATTRIBUTES and value and value.strip():
                self.chunks.append(" ".join(value.split()))

    def handle_endtag(self, tag):
        if tag in self.INVISIBLE and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.chunks.append(" ".join(data.split()))


def visible_text(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return parser.chunks


def _po_strings(path: Path) -> list[str]:
    """The message ids (singular and plural) of a .po file, read without polib. The English catalogue has them
    all; a compiled .mo would not (msgfmt leaves out the entries with an empty msgstr)."""
    ids, keyword = [], None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith(("msgid ", "msgid_plural ")):
            keyword, line = "id", line.split(" ", 1)[1]
            ids.append("")
        elif line.startswith(("msgstr", "msgctxt", "#")) or not line.strip():
            keyword = None
        if keyword == "id" and line.startswith('"'):
            ids[-1] += line.strip()[1:-1].replace('\\"', '"').replace("\\n", "\n")
    return [msgid for msgid in ids if msgid]


@cache
def catalogue_messages() -> list[tuple[str, re.Pattern]]:
    """Every English message id with a Latin word that is not allowed, as a pattern (placeholders match anything)."""
    messages = {}
    for po in sorted(SRC.glob("**/locale/en/LC_MESSAGES/django.po")):
        for msgid in _po_strings(po):
            text = " ".join(msgid.split())
            if all(word in ALLOWED_WORDS for word in re.findall(r"[A-Za-z]{2,}", _PLACEHOLDER.sub("", text))):
                continue  # nothing in it the Chinese page may not show
            parts = [re.escape(p) for p in _PLACEHOLDER.split(text)]
            messages[text] = re.compile(r"(?<![A-Za-z])" + ".+?".join(parts) + r"(?![A-Za-z])")
    return sorted(messages.items(), key=lambda item: -len(item[0]))


def book_words() -> set[str]:
    """Latin words of the book's own data: users, customers, contacts, the dunning policies' codes, credit files."""
    from django.contrib.auth import get_user_model

    from arms.credit.models import CreditProfile
    from arms.customers.models import Contact, Customer
    from arms.dunning.models import DunningPolicy

    values = [
        *get_user_model().objects.values_list("username", "first_name", "last_name", "email"),
        *Customer.objects.values_list("code", "name", "address"),
        *Contact.objects.values_list("name", "email"),
        *DunningPolicy.objects.values_list("code"),
        *CreditProfile.objects.values_list("bureau_rating", "bureau_name"),
    ]
    return {word for row in values for value in row for word in _words(value or "")}


def _words(text: str) -> list[str]:
    """The Latin words of ``text``: tokens with a letter and no digit (codes and numbers are not words), of two
    letters or more (a single capital is a grade or a check character)."""
    tokens = (token.rstrip(".'-+") for token in _TOKEN.findall(text))
    return [t for t in tokens if len(t) > 1 and re.search(r"[A-Za-z]", t) and not re.search(r"\d", t)]


def offences(chunks: list[str], data_words: set[str]) -> list[str]:
    found = []
    for chunk in chunks:
        if _RAW_CODE.search(chunk):
            found.append(f"raw code {_RAW_CODE.search(chunk).group(0)!r} in {chunk!r}")
            continue
        foreign = [w for w in _words(chunk) if w not in ALLOWED_WORDS and w not in data_words
                   and w not in CURRENCY_EXPONENT and w not in BureauRating.values and not _EMAIL.match(w)]
        if not foreign:
            continue
        msgid = next((text for text, pattern in catalogue_messages() if pattern.search(chunk)), None)
        if msgid:
            found.append(f"untranslated message {msgid!r} in {chunk!r}")
        else:
            found.append(f"Latin text {' '.join(foreign)!r} in {chunk!r}")
    return found


def page_routes() -> list[tuple[str, str]]:
    """(route, name) of every URL pattern, e.g. ("collections/customers/<int:customer_id>/", "cases:case")."""
    def walk(resolver, prefix: str, namespace: str):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = ":".join(p for p in (namespace, pattern.namespace) if p)
                yield from walk(pattern, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern), ":".join(p for p in (namespace, pattern.name or "") if p)
    return [(route, name) for route, name in walk(get_resolver(), "", "")
            if not route.startswith(SKIP_PREFIXES) and name not in SKIP_DOWNLOADS]


def page_url(route: str, name: str, book: CompleteBook) -> str:
    def value(match: re.Match) -> str:
        parameter = match.group(1)
        for key in (f"{name}.{parameter}", parameter):
            if key in book.path_values:
                return str(book.path_values[key])
        raise AssertionError(f"no value for the path parameter {parameter!r} of {name} ({route}): "
                             f"add one to tests/web/complete_book.py")

    path = "/" + re.sub(r"<(?:\w+:)?(\w+)>", value, route)
    query = QUERY.get(name, "").format(start=book.today.replace(day=1), today=book.today)
    return f"{path}?{query}" if query else path


@pytest.fixture(scope="module")
def complete_book(django_db_setup, django_db_blocker, tmp_path_factory):
    """The book, made once for the module inside a transaction rolled back at the end (as a TestCase class does)."""
    from arms.accounts.roles import roles_sync
    from arms.dunning import documents
    from arms.reports import services as report_services

    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(LANGUAGE_CODE="zh-hans", MEDIA_ROOT=media), \
            pytest.MonkeyPatch.context() as patch:
        # the stored files are never opened here: skip laying out PDFs and workbooks (seconds each)
        patch.setattr(documents, "render_pdf", lambda template, context: b"%PDF-1.4\n% stub")
        patch.setattr(report_services, "report_build", lambda **_kwargs: b"PK\x03\x04 stub")
        atomic = transaction.atomic()
        atomic._from_testcase = True  # the services' durable transactions run inside it, as in a TestCase
        atomic.__enter__()
        try:
            roles_sync()
            yield build_complete_book(timezone.localdate())
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_every_page_is_in_chinese_for_every_role(role, complete_book, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    user = complete_book.user_of(role)
    client.force_login(user)
    data_words = book_words()
    problems, rendered = [], 0
    for route, name in page_routes():
        url = page_url(route, name, complete_book)
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
        if response.status_code in (301, 302, 405):
            continue  # a redirect, or a form's POST-only address: not a page
        if response.status_code == 404 and name in NOT_FOUND_TO_OTHERS:
            continue
        assert response.status_code in (200, 400, 403), f"{role} GET {url} ({name}): {response.status_code}"
        assert response["Content-Type"].startswith("text/html"), \
            f"{name} ({url}) is a download ({response['Content-Type']}): add it to SKIP_DOWNLOADS"
        rendered += response.status_code == 200
        problems += [f"{url} ({name}) as {role}: {problem}"
                     for problem in offences(visible_text(response.content.decode()), data_words)]
    assert rendered > 10, f"{role} could open only {rendered} pages: is the book complete?"
    assert not problems, f"{len(problems)} places not in Chinese:\n" + "\n".join(sorted(set(problems)))


@pytest.mark.django_db
@override_settings(LANGUAGE_CODE="zh-hans")
def test_the_login_page_is_in_chinese_for_a_visitor(client):
    response = client.get("/login/", HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert response.status_code == 200
    assert offences(visible_text(response.content.decode()), data_words=set()) == []


def test_the_checks_catch_english_latin_words_and_codes():
    """The detector itself: each kind of leftover is found, data and allowed words are not."""
    chunks = ["处理结果 · Escalated", "来源 · dunning", "dunning:stop_supply", "状态：stop_supply",
              "发票 INV-HD-1 · CNY 1,234.56 · ap@huadong.example.cn · PDF · Excel", "客户 HD001 Acme"]

    found = offences(chunks, data_words={"Acme", "HD001"})

    assert found == [
        "untranslated message 'Escalated' in '处理结果 · Escalated'",
        "Latin text 'dunning' in '来源 · dunning'",
        "raw code 'dunning:stop_supply' in 'dunning:stop_supply'",
        "raw code 'stop_supply' in '状态：stop_supply'",
    ]
