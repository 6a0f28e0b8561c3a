"""Cash application on the ledger: matching stores what it decided, applies at or above the threshold only, books a
bank charge to 6603 and an overpayment to 2203 with a task, sets aside what is not a receipt, learns from a clerk, and
refuses what does not fit without writing anything. `arms ledger check` stays clean throughout."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command

from arms.audit.models import AuditEvent
from arms.bank.cash_errors import LineAlreadyApplied, LineNotApplied, LineNotReceipt, NoSuggestion, SharesDoNotFit
from arms.bank.enums import AliasKind, IgnoredKind, LineStatus
from arms.bank.models import CashSettings, LineApplication, PayerAlias, StatementLine
from arms.bank.services.applying import Share, alias_remove, line_accept, line_apply, line_ignore, line_reset
from arms.bank.services.matching import load_book, match_lines
from arms.cases.models import Task
from arms.common.errors import ValidationFailed
from arms.ledger.models import Invoice, JournalEntry, Payment
from tests import factories
from tests.bank.cash.conftest import statement_line
from tests.conftest import ledger_problems
from tests.ledger.helpers import account_balances, entry_lines, ledger_state


@pytest.fixture
def days(today):
    """(issued, booked): an invoice issued a month ago, paid yesterday."""
    return today - timedelta(days=30), today - timedelta(days=1)


def _invoice(customer, days, gross, number, **kw):
    net = gross * 100 // 113
    return factories.invoice(customer, net=net, tax=gross - net, issued=days[0], number=number, **kw)


def _state():
    return {
        **ledger_state(),
        "lines": sorted(StatementLine.objects.values_list("pk", "status", "payment_id", "customer_id", "note")),
        "aliases": PayerAlias.objects.count(),
        "applications": LineApplication.objects.count(),
        "tasks": Task.objects.count(),
    }


def test_load_book_reads_customers_aliases_and_open_items_in_a_few_queries(
    company, days, django_assert_max_num_queries
):
    customers = [factories.customer(name=f"星河化工{n}有限公司") for n in range(5)]
    for n, customer in enumerate(customers):
        _invoice(customer, days, 113_000, f"INV-{n}", vat_invoice_number=f"0{n}345678")
    PayerAlias.objects.create(company=company, customer=customers[0], kind=AliasKind.ACCOUNT, value="6222 0001",
                              key="62220001")
    with django_assert_max_num_queries(4):  # aliases, customers, open items, written-off items (recoveries)
        book = load_book(company)
    assert len(book.customers) == 5 and len(book.items) == 5
    assert book.customers[customers[0].pk].accounts == frozenset({"6222 0001"})
    assert "VAT:345678" in book.by_reference


def test_matching_stores_what_it_decided_and_applies_only_at_or_above_the_threshold(company, account, days):
    customer = factories.customer(name="上海申联贸易有限公司")
    invoice = _invoice(customer, days, 226_000, "INV-2026-0101")
    CashSettings.objects.create(company=company, auto_threshold=86)
    line = statement_line(account, amount=226_000, on=days[1], payer="申联贸易（上海）有限公司")

    run = match_lines(actor=None)

    line.refresh_from_db()
    assert run.lines == 1 and run.suggested == 1 and run.auto_applied == 0
    assert line.status == LineStatus.SUGGESTED and line.confidence == 85 and line.customer_id == customer.pk
    assert line.match["allocations"] == [[invoice.pk, 226_000]]
    assert [r["code"] for r in line.reasons] == ["name", "one_item"]
    assert line.payment_id is None and not Payment.objects.exists()
    assert AuditEvent.objects.filter(action="cash_line_matched").count() == 1

    CashSettings.objects.filter(company=company).update(auto_threshold=85)
    run = match_lines(actor=None, line_ids=[line.pk])

    line.refresh_from_db()
    assert run.auto_applied == 1 and line.status == LineStatus.AUTO
    assert line.payment.amount_minor == 226_000 and line.payment.amount_unallocated_minor == 0
    invoice.refresh_from_db()
    assert invoice.amount_open_minor == 0
    assert not PayerAlias.objects.exists()  # only a clerk teaches
    assert ledger_problems() == {}


def test_the_settings_are_created_with_their_defaults_when_missing(company, account, days):
    statement_line(account, amount=1_000, on=days[1], payer="无名氏")
    match_lines(actor=None)
    assert CashSettings.objects.get(company=company).auto_threshold == 85


def test_a_bank_charge_settles_the_invoice_in_full_and_is_booked_to_6603_on_its_own_line(account, days):
    customer = factories.customer(name="杭州星河化工有限公司")
    invoice = _invoice(customer, days, 113_000, "INV-2026-0202")
    line = statement_line(account, amount=111_500, on=days[1], payer="杭州星河化工有限公司", text="付INV-2026-0202货款")

    match_lines(actor=None)

    line.refresh_from_db()
    assert line.status == LineStatus.AUTO and line.match["charge"] == 1_500
    payment = line.payment
    assert (payment.amount_minor, payment.charge_minor, payment.amount_unallocated_minor) == (113_000, 1_500, 0)
    assert entry_lines(JournalEntry.objects.get(payment=payment, kind="payment")) == [
        ("1002", 111_500, 0), ("2203", 0, 113_000), ("6603", 1_500, 0)]
    invoice.refresh_from_db()
    assert invoice.amount_open_minor == 0
    assert account_balances(customer) == {"1002": 111_500, "6603": 1_500, "6001": -100_000, "22210106": -13_000}
    assert ledger_problems() == {}
    call_command("ledger", "check")


def test_an_overpayment_stays_unapplied_cash_with_a_task(account, days, clerk):
    customer = factories.customer(name="苏州恒达机械有限公司")
    invoice = _invoice(customer, days, 113_000, "INV-2026-0303")
    line = statement_line(account, amount=120_000, on=days[1], payer="苏州恒达机械有限公司", text="INV-2026-0303")

    payments = line_apply(actor=clerk, line=line,
                          shares=[Share(customer_id=customer.pk, allocations=((invoice.pk, 113_000),))])

    (payment,) = payments
    assert payment.amount_unallocated_minor == 7_000
    assert account_balances(customer)["2203"] == -7_000
    task = Task.objects.get(source="cash", source_ref=f"payment:{payment.pk}")
    assert task.customer_id == customer.pk and task.status == "open"
    line.refresh_from_db()
    assert line.status == LineStatus.MANUAL and line.reviewed_by == clerk
    assert ledger_problems() == {}


def test_a_known_customer_with_nothing_open_is_suggested_and_its_cash_stays_unapplied_when_accepted(account, days,
                                                                                                   clerk):
    customer = factories.customer(name="宁波海天塑料有限公司")
    line = statement_line(account, amount=50_000, on=days[1], payer="宁波海天塑料有限公司", text="预付款")

    match_lines(actor=None)
    line.refresh_from_db()
    assert line.status == LineStatus.SUGGESTED and line.customer_id == customer.pk and line.match["allocations"] == []

    (payment,) = line_accept(actor=clerk, line=line)
    assert payment.amount_unallocated_minor == 50_000
    assert Task.objects.filter(source="cash", source_ref=f"payment:{payment.pk}").exists()
    assert ledger_problems() == {}


@pytest.mark.parametrize(("amount", "payer", "text", "kind"), [
    (-50_000, "杭州星河化工有限公司", "货款", IgnoredKind.OUTGOING),
    (1_234, "", "结息", IgnoredKind.INTEREST),
    (500, "", "手续费退回 FEE", IgnoredKind.FEE),
    (80_000, "杭州星河化工有限公司", "退款", IgnoredKind.REFUND),
])
def test_lines_that_are_not_receipts_are_set_aside_with_their_kind(account, days, amount, payer, text, kind):
    factories.customer(name="某某不相干有限公司")
    line = statement_line(account, amount=amount, on=days[1], payer=payer, text=text)

    run = match_lines(actor=None)

    line.refresh_from_db()
    assert run.ignored == 1
    assert (line.status, line.ignored_kind, line.customer_id) == (LineStatus.IGNORED, kind, None)
    assert not Payment.objects.exists()


def test_a_transfer_from_an_own_account_is_set_aside(company, account, days):
    from arms.bank.models import BankAccount

    BankAccount.objects.create(company=company, name="建行一般户", bank="中国建设银行",
                               account_number="3100 2000 1000", ledger_account="100202")
    customer = factories.customer(name="本公司有限公司")
    _invoice(customer, days, 10_000, "INV-X")
    line = statement_line(account, amount=10_000, on=days[1], payer="本公司有限公司", payer_account="310020001000")
    match_lines(actor=None)
    line.refresh_from_db()
    assert (line.status, line.ignored_kind) == (LineStatus.IGNORED, IgnoredKind.TRANSFER)


def test_story_import_suggestion_correction_alias_and_the_next_payment_applies_itself(company, account, days, clerk,
                                                                                      today):
    """The Hong Kong arm of a group pays for the Shenzhen company. ARMS suggests the customer whose name it carries;
    the clerk corrects it; ARMS remembers; the next payment from that account applies itself to the right one."""
    CashSettings.objects.create(company=company, auto_threshold=90)  # the finance manager wants more certainty
    namesake = factories.customer(name="华强电子有限公司")
    shenzhen = factories.customer(name="深圳华强电子科技有限公司")
    _invoice(namesake, days, 339_000, "INV-2026-0601")
    first = _invoice(shenzhen, days, 339_000, "INV-2026-0701")
    second = _invoice(shenzhen, days, 452_000, "INV-2026-0702")
    # given: an imported line (as the import leaves it: NEW) from the Hong Kong company, no reference
    line = statement_line(account, amount=339_000, on=days[1], payer="华强电子（香港）有限公司",
                          payer_account="HK 0123-456-789", text="货款")

    # when: the run matches it, the namesake's equal invoice is suggested, below the threshold
    run = match_lines(actor=None)
    line.refresh_from_db()
    assert (run.suggested, run.auto_applied) == (1, 0)
    assert (line.status, line.customer_id, line.confidence) == (LineStatus.SUGGESTED, namesake.pk, 85)
    assert not Payment.objects.exists()

    # and the clerk corrects it: Shenzhen's invoice
    line_apply(actor=clerk, line=line, shares=[Share(customer_id=shenzhen.pk, allocations=((first.pk, 339_000),))],
               note="香港公司代付")
    line.refresh_from_db()
    assert (line.status, line.customer_id, line.reviewed_by) == (LineStatus.MANUAL, shenzhen.pk, clerk)

    # then: ARMS remembers the account and the name for Shenzhen, visibly
    assert {(a.kind, a.key) for a in PayerAlias.objects.filter(customer=shenzhen)} == {
        (AliasKind.ACCOUNT, "HK0123456789"), (AliasKind.NAME, "华强电子")}
    assert all(a.learned_from_id == line.pk and a.created_by == clerk for a in PayerAlias.objects.all())

    # and the next payment from them is applied to Shenzhen without a human
    nxt = statement_line(account, amount=452_000, on=today, payer="华强电子（香港）有限公司",
                         payer_account="HK0123456789", text="货款")
    run = match_lines(actor=None)
    nxt.refresh_from_db()
    assert run.auto_applied == 1
    assert (nxt.status, nxt.customer_id, nxt.confidence) == (LineStatus.AUTO, shenzhen.pk, 100)
    second.refresh_from_db()
    assert second.amount_open_minor == 0
    assert ledger_problems() == {}
    call_command("ledger", "check")


def test_a_group_treasury_nobody_could_place_is_learned_as_a_third_party(account, days, clerk, today):
    """A group treasury pays for its subsidiary; the first time nobody can place it, the clerk decides, ARMS
    remembers, and the next payment from the same account and name applies itself."""
    subsidiary = factories.customer(name="深圳华强电子有限公司")
    first = _invoice(subsidiary, days, 339_000, "INV-2026-0501")
    second = _invoice(subsidiary, days, 452_000, "INV-2026-0502")
    # given: an imported line from the parent's account, no reference
    line = statement_line(account, amount=339_000, on=days[1], payer="华强集团财务有限公司",
                          payer_account="6217 0000 1111 2222", text="货款")

    match_lines(actor=None)
    line.refresh_from_db()
    assert line.status == LineStatus.UNMATCHED and line.customer_id is None

    # when: the clerk applies it to the subsidiary's first invoice
    line_apply(actor=clerk, line=line, shares=[Share(customer_id=subsidiary.pk, allocations=((first.pk, 339_000),))],
               note="集团代付")

    # then: ARMS remembers the account and the third party
    learned = {(a.kind, a.key) for a in PayerAlias.objects.filter(customer=subsidiary)}
    assert learned == {(AliasKind.ACCOUNT, "6217000011112222"), (AliasKind.THIRD_PARTY, "华强集团财务")}
    assert AuditEvent.objects.filter(action="payer_alias_learned").count() == 2

    # and the next payment from them is applied without a human
    nxt = statement_line(account, amount=452_000, on=today, payer="华强集团财务有限公司",
                         payer_account="6217000011112222", text="货款")
    run = match_lines(actor=None)
    nxt.refresh_from_db()
    assert run.auto_applied == 1 and nxt.status == LineStatus.AUTO and nxt.customer_id == subsidiary.pk
    second.refresh_from_db()
    assert second.amount_open_minor == 0

    # removing the alias changes nothing applied, and the matcher forgets it
    for alias in PayerAlias.objects.all():
        alias_remove(actor=clerk, alias=alias)
    assert not PayerAlias.objects.exists() and nxt.payment.status == "posted"
    assert ledger_problems() == {}
    call_command("ledger", "check")  # exits non-zero (CommandError) on any finding


def test_a_clerk_corrects_a_wrong_suggestion_and_the_payer_is_learned(company, account, days, clerk):
    CashSettings.objects.create(company=company, auto_threshold=95)
    wrong = factories.customer(name="华强电子贸易有限公司")
    right = factories.customer(name="深圳华强电子有限公司")
    _invoice(wrong, days, 100_000, "INV-W")
    invoice = _invoice(right, days, 100_000, "INV-R")
    line = statement_line(account, amount=100_000, on=days[1], payer="华强电子贸易有限公司",
                          payer_account="955880001")
    match_lines(actor=None)
    line.refresh_from_db()
    assert line.customer_id == wrong.pk and line.status == LineStatus.SUGGESTED

    line_apply(actor=clerk, line=line, shares=[Share(customer_id=right.pk, allocations=((invoice.pk, 100_000),))])

    assert set(PayerAlias.objects.values_list("customer_id", "kind")) == {
        (right.pk, AliasKind.ACCOUNT), (right.pk, AliasKind.NAME)}  # 华强电子 is a form of its name


def test_a_reset_forgets_what_the_decision_taught(company, account, days, clerk):
    customer = factories.customer(name="深圳华强电子有限公司")
    other = factories.customer(name="杭州娃哈哈集团有限公司")
    invoice = _invoice(customer, days, 100_000, "INV-R")
    line = statement_line(account, amount=100_000, on=days[1], payer="华强电子贸易有限公司",
                          payer_account="955880001")
    kept = PayerAlias.objects.create(company=company, customer=other, kind=AliasKind.ACCOUNT, value="6222000",
                                     key="6222000")
    line_apply(actor=clerk, line=line, shares=[Share(customer_id=customer.pk, allocations=((invoice.pk, 100_000),))])
    assert PayerAlias.objects.filter(learned_from=line).count() == 2

    line_reset(actor=clerk, line=line, reason="认错了客户")

    assert list(PayerAlias.objects.all()) == [kept]
    event = AuditEvent.objects.filter(action="cash_line_reset").latest("seq")
    assert sorted(event.after["forgotten_payers"]) == sorted(["955880001", "华强电子贸易有限公司"])
    assert AuditEvent.objects.filter(action="payer_alias_removed").count() == 2


def test_a_line_split_across_two_customers_makes_one_payment_each(account, days, clerk):
    a = factories.customer(name="甲方有限公司")
    b = factories.customer(name="乙方有限公司")
    inv_a = _invoice(a, days, 60_000, "INV-A")
    inv_b = _invoice(b, days, 40_000, "INV-B")
    line = statement_line(account, amount=100_000, on=days[1], payer="集团总部")

    payments = line_apply(actor=clerk, line=line, shares=[
        Share(customer_id=a.pk, allocations=((inv_a.pk, 60_000),)),
        Share(customer_id=b.pk, allocations=((inv_b.pk, 40_000),)),
    ])

    line.refresh_from_db()
    assert [p.customer_id for p in payments] == [a.pk, b.pk]
    assert line.payment_id is None and line.status == LineStatus.MANUAL
    assert sorted(LineApplication.objects.values_list("customer_id", "amount_minor")) == sorted(
        [(a.pk, 60_000), (b.pk, 40_000)])
    assert not PayerAlias.objects.exists()  # a split teaches nothing: the payer pays for several
    line_reset(actor=clerk, line=line, reason="分错了")
    assert not LineApplication.objects.exists()
    assert set(Payment.objects.values_list("status", flat=True)) == {"reversed"}
    assert ledger_problems() == {}


def test_reset_reverses_the_payment_and_cancels_the_task(account, days, clerk):
    customer = factories.customer(name="苏州恒达机械有限公司")
    invoice = _invoice(customer, days, 113_000, "INV-2026-0404")
    line = statement_line(account, amount=112_000, on=days[1], payer="苏州恒达机械有限公司", text="INV-2026-0404")
    match_lines(actor=None)
    line.refresh_from_db()
    assert line.status == LineStatus.AUTO

    line_reset(actor=clerk, line=line, reason="客户说付错了")

    line.refresh_from_db()
    invoice.refresh_from_db()
    assert line.status == LineStatus.SUGGESTED and line.payment_id is None and line.note == "客户说付错了"
    assert invoice.amount_open_minor == 113_000
    assert Payment.objects.get().status == "reversed"
    assert account_balances(customer) == {"1122": 113_000, "6001": -100_000, "22210106": -13_000}
    assert ledger_problems() == {}
    # and the run does not apply it again by itself
    assert match_lines(actor=None).lines == 0


def test_applying_a_line_twice_is_refused_with_a_clear_error_and_writes_nothing(account, days, clerk):
    customer = factories.customer(name="宁波海天塑料有限公司")
    line = statement_line(account, amount=50_000, on=days[1], payer="宁波海天塑料有限公司")
    line_apply(actor=clerk, line=line, shares=[Share(customer_id=customer.pk)])
    before = _state()

    with pytest.raises(LineAlreadyApplied, match="already") as refused:
        line_apply(actor=clerk, line=line, shares=[Share(customer_id=customer.pk)])
    assert refused.value.field == "line"
    with pytest.raises(LineAlreadyApplied):
        line_ignore(actor=clerk, line=line, kind=IgnoredKind.OTHER)
    assert _state() == before


def test_ignore_then_reset_puts_the_line_back(account, days, clerk):
    line = statement_line(account, amount=50_000, on=days[1], payer="谁")
    line_ignore(actor=clerk, line=line, kind=IgnoredKind.OTHER, note="押金退回")
    line.refresh_from_db()
    assert (line.status, line.ignored_kind) == (LineStatus.IGNORED, IgnoredKind.OTHER)
    with pytest.raises(LineAlreadyApplied):
        line_accept(actor=clerk, line=line)
    line_reset(actor=clerk, line=line, reason="看错了")
    line.refresh_from_db()
    assert line.status == LineStatus.UNMATCHED and line.ignored_kind == ""
    with pytest.raises(LineNotApplied):
        line_reset(actor=clerk, line=line, reason="again")


@pytest.mark.parametrize(("shares", "error", "field"), [
    ([], SharesDoNotFit, "shares"),
    (lambda c, i: [Share(customer_id=c.pk, amount_minor=60_000)], SharesDoNotFit, "shares"),
    (lambda c, i: [Share(customer_id=999_999)], ValidationFailed, "shares[0].customer_id"),
    (lambda c, i: [Share(customer_id=c.pk, allocations=((i.pk, 0),))], ValidationFailed,
     "shares[0].allocations[0].amount_minor"),
    (lambda c, i: [Share(customer_id=c.pk, allocations=((i.pk, 113_001),))], SharesDoNotFit,
     "shares[0].allocations[0].amount_minor"),
    (lambda c, i: [Share(customer_id=c.pk, allocations=((i.pk, 50_000),), charge_minor=63_001)], SharesDoNotFit,
     "shares[0].charge_minor"),
    (lambda c, i: [Share(customer_id=c.pk, allocations=((i.pk + 1000, 50_000),))], ValidationFailed,
     "shares[0].allocations[0].invoice_id"),
    (lambda c, i: [Share(customer_id=c.pk, charge_minor=-1)], ValidationFailed, "shares[0].charge_minor"),
    (lambda c, i: [Share(customer_id=c.pk), Share(customer_id=c.pk)], SharesDoNotFit, "shares[1].customer_id"),
])
def test_a_decision_that_does_not_fit_is_refused_naming_the_field_and_writes_nothing(account, days, clerk, shares,
                                                                                  error, field):
    customer = factories.customer(name="杭州星河化工有限公司")
    invoice = _invoice(customer, days, 113_000, "INV-F")
    line = statement_line(account, amount=50_000, on=days[1], payer="杭州星河化工有限公司")
    before = _state()
    with pytest.raises(error) as refused:
        line_apply(actor=clerk, line=line, shares=shares(customer, invoice) if callable(shares) else shares)
    assert refused.value.field == field
    assert _state() == before


def test_money_out_cannot_be_applied_and_a_line_without_suggestion_cannot_be_accepted(account, days, clerk):
    customer = factories.customer(name="杭州星河化工有限公司")
    out = statement_line(account, amount=-5_000, on=days[1])
    nobody = statement_line(account, amount=5_000, on=days[1], payer="不认识")
    before = _state()
    with pytest.raises(LineNotReceipt):
        line_apply(actor=clerk, line=out, shares=[Share(customer_id=customer.pk)])
    with pytest.raises(NoSuggestion):
        line_accept(actor=clerk, line=nobody)
    with pytest.raises(ValidationFailed) as refused:
        line_ignore(actor=clerk, line=nobody, kind="nonsense")
    assert refused.value.field == "kind"
    with pytest.raises(ValidationFailed) as refused:
        line_reset(actor=clerk, line=nobody, reason=" ")
    assert refused.value.field == "reason"
    assert _state() == before


def test_a_run_does_not_offer_an_invoice_a_line_before_it_settled(account, days):
    customer = factories.customer(name="杭州星河化工有限公司")
    invoice = _invoice(customer, days, 113_000, "INV-2026-0909")
    first = statement_line(account, amount=113_000, on=days[1], payer="杭州星河化工有限公司", text="INV-2026-0909")
    second = statement_line(account, amount=113_000, on=days[1], payer="杭州星河化工有限公司", text="INV-2026-0909")

    run = match_lines(actor=None)

    first.refresh_from_db()
    second.refresh_from_db()
    assert run.auto_applied == 1
    assert first.status == LineStatus.AUTO and second.status == LineStatus.SUGGESTED
    assert second.match["allocations"] == [] and second.match["unapplied"] == 113_000  # matched after the first
    assert Invoice.objects.get(pk=invoice.pk).amount_open_minor == 0
    assert ledger_problems() == {}
