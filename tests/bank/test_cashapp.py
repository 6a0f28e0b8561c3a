"""Who paid and for what: the cash-application scorecard on small books that tell one story each."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from arms.domain.cashapp import (
    CONFLICT_CAP,
    Book,
    Customer,
    Item,
    Receipt,
    Rules,
    match,
    name_key,
    number_keys,
    reference_keys,
)
from arms.domain.uscc import make_uscc

DAY = date(2026, 4, 10)
USCC = make_uscc("91310000MA1FL0000")

SHENLIAN = Customer(1, "C0001", "上海申联贸易有限公司", uscc=USCC, accounts=frozenset({"3100 1234 5678 90"}))
HUAQIANG = Customer(2, "C0002", "深圳市华强电子股份有限公司", payer_names=frozenset({"华强集团财务有限公司"}))
XINGHE = Customer(3, "C0003", "杭州星河化工有限公司")


def _item(id_, customer, number, amount, due=date(2026, 3, 1), **kw):
    return Item(id_, customer.id, number, amount, due, date(2026, 1, 30), **kw)


ITEMS = [
    _item(11, SHENLIAN, "INV-2026-000123", 11300000, vat_number="04567890"),
    _item(12, SHENLIAN, "INV-2026-000124", 5000000, due=date(2026, 3, 15)),
    _item(13, SHENLIAN, "INV-2026-000125", 2500000, due=date(2026, 4, 1), contract_number="HT-2026-007"),
    _item(21, HUAQIANG, "INV-2026-000200", 880000),
    _item(22, HUAQIANG, "INV-2026-000201", 880000, due=date(2026, 3, 20)),
    _item(23, HUAQIANG, "INV-2026-000202", 120000, due=date(2026, 3, 25),
          discount=2400, discount_until=date(2026, 4, 15)),
    _item(31, XINGHE, "INV-2026-000300", 4000000),
]  # fmt: skip
BOOK = Book([SHENLIAN, HUAQIANG, XINGHE], ITEMS)


def _receipt(amount, name="", account="", text="", day=DAY):
    return Receipt(amount=amount, booking_date=day, payer_name=name, payer_account=account, text=text)


def _codes(m):
    return [r.code for r in m.reasons]


def test_a_known_account_paying_the_amount_of_one_invoice_applies_itself():
    m = match(_receipt(5000000, "申联贸易", "31001234567890"), BOOK)

    assert (m.status, m.customer_id, m.allocations, m.unapplied) == ("auto", 1, ((12, 5000000),), 0)
    assert m.confidence == 100  # 60 for the account, 10 because the name agrees, 35 for the one invoice
    assert _codes(m) == ["payer_account", "agree", "one_item"]


def test_a_noisy_invoice_number_in_the_text_finds_the_invoice_and_the_customer():
    m = match(_receipt(11300000, "某个代付人", text="付ＩＮＶ－２０２６－１２３货款。"), BOOK)

    assert (m.status, m.customer_id, m.allocations) == ("auto", 1, ((11, 11300000),))
    assert "items_named" in _codes(m) and "items_settled" in _codes(m)


def test_a_vat_invoice_number_with_its_leading_zero_dropped():
    m = match(_receipt(11300000, text="4567890"), BOOK)
    assert m.allocations == ()  # seven digits alone are not a 发票号码

    for text in ("发票号码04567890", "发票号4567890", "票号：４５６７８９０", "发票 04567890"):
        m = match(_receipt(11300000, text=text), BOOK)
        assert (m.customer_id, m.allocations) == (1, ((11, 11300000),)), text


def test_a_contract_number_names_its_items():
    m = match(_receipt(2500000, "上海申联贸易有限公司", text="HT2026007"), BOOK)

    assert (m.status, m.allocations) == ("auto", ((13, 2500000),))


def test_two_invoices_in_one_payment_by_name_and_amount():
    """The only combination of the customer's open items that makes up the amount, and the registered name."""
    m = match(_receipt(5000000 + 2500000, "申联贸易（上海）有限公司"), BOOK)

    assert m.allocations == ((12, 5000000), (13, 2500000))
    assert _codes(m) == ["name", "combination"]
    assert m.confidence == 85 and m.status == "auto"


def test_a_combination_that_is_not_the_only_one_waits_for_a_clerk():
    items = [_item(40 + k, XINGHE, f"X-{k}", amount) for k, amount in enumerate((300, 500, 200, 600))]
    m = match(_receipt(800, "杭州星河化工有限公司"), Book([XINGHE], items))  # 300+500 or 200+600

    assert (m.allocations, m.status) == (((40, 300), (41, 500)), "suggested")
    assert "combination_ambiguous" in _codes(m)


def test_equal_invoices_take_the_oldest_and_say_so():
    m = match(_receipt(880000, "华强电子"), BOOK)

    assert m.allocations == ((21, 880000),)
    assert "several_equal" in _codes(m) and m.status == "suggested"


def test_a_third_party_payer_learned_for_the_customer():
    m = match(_receipt(120000 - 2400, "华强集团财务有限公司"), BOOK)

    assert (m.customer_id, m.allocations, m.discount) == (2, ((23, 117600),), 2400)
    assert _codes(m)[0] == "third_party"


def test_the_discount_is_not_earned_after_its_day():
    """A day late, the 24.00 short is no discount; being within the bank-charge tolerance, it settles as a charge."""
    m = match(_receipt(117600, "华强集团财务有限公司", day=date(2026, 4, 16)), BOOK)

    assert (m.discount, m.charge) == (0, 2400)
    no_charges = Rules(charge_tolerance=0)
    assert match(_receipt(117600, "华强集团财务有限公司", day=date(2026, 4, 16)), BOOK, no_charges).allocations == ()


def test_a_short_payment_within_the_charge_tolerance_settles_in_full():
    m = match(_receipt(4000000 - 3500, "杭州星河化工有限公司"), BOOK)

    assert (m.allocations, m.charge, m.unapplied) == (((31, 3996500),), 3500, 0)
    assert m.status == "auto"


def test_a_short_payment_that_would_settle_either_of_two_equal_invoices_waits():
    m = match(_receipt(880000 - 1000, "华强电子"), BOOK)

    assert (m.allocations, m.charge, m.status) == (((21, 879000),), 1000, "suggested")
    assert "several_equal" in _codes(m)


def test_the_month_in_the_text_picks_among_equal_invoices_unless_it_is_the_month_of_payment():
    items = [
        Item(60 + month, XINGHE.id, f"M-{month}", 500_000, date(2026, month, 28), date(2026, month, 1))
        for month in (8, 9, 10, 11)
    ]
    book = Book([XINGHE], items)
    paid_in_november = date(2026, 11, 20)

    m = match(_receipt(500_000, "杭州星河化工有限公司", text="9月货款", day=paid_in_november), book)
    assert (m.allocations, m.status, _codes(m)[-1]) == (((69, 500_000),), "auto", "month_named")

    for text in ("11月货款", "9-10月货款", "货款"):
        m = match(_receipt(500_000, "杭州星河化工有限公司", text=text, day=paid_in_november), book)
        assert (m.status, _codes(m)[-1]) == ("suggested", "several_equal"), text


def test_a_customer_named_in_the_text_as_the_one_paid_for():
    m = match(_receipt(4000000, "某某商业保理有限公司", text="代星河化工付货款"), BOOK)
    assert (m.customer_id, m.allocations, m.status) == (3, ((31, 4000000),), "auto")  # named, and its one invoice
    assert _codes(m) == ["name_in_text", "one_item"]

    m = match(_receipt(3000000, "某某商业保理有限公司", text="代星河化工付货款"), BOOK)
    assert (m.customer_id, m.allocations, m.status) == (3, (), "suggested")  # named, but the amount fits nothing

    m = match(_receipt(4000000, "某某商业保理有限公司", text="代星河付货款"), BOOK)
    assert (m.customer_id, m.status) == (3, "auto")  # the 字号 alone, when it is one customer's


def test_a_factor_learned_for_a_customer_paying_an_amount_only_waits_for_a_clerk():
    """It may pay for another seller's customer of the same amount; a group parent learned the same way does not."""
    payers = frozenset({"远东商业保理有限公司", "甲乙集团有限公司"})
    a = Customer(7, "C0007", "上海甲乙贸易有限公司", payer_names=payers)
    book = Book([a], [_item(71, a, "INV-71", 100_000)])

    m = match(_receipt(100_000, "远东商业保理有限公司", text="货款"), book)
    assert (m.customer_id, m.allocations, m.status, m.confidence) == (7, ((71, 100_000),), "suggested", 80)

    m = match(_receipt(100_000, "甲乙集团有限公司", text="货款"), book)
    assert (m.status, m.confidence) == ("auto", 90)

    m = match(_receipt(100_000, "远东商业保理有限公司", text="INV-71"), book)
    assert m.status == "auto"


def test_a_factor_paying_for_two_customers_pays_for_the_one_whose_invoice_it_names():
    factor = frozenset({"远东商业保理有限公司"})
    a = Customer(7, "C0007", "上海甲乙贸易有限公司", payer_names=factor)
    b = Customer(8, "C0008", "上海丙丁贸易有限公司", payer_names=factor)
    book = Book([a, b], [_item(71, a, "INV-71", 100_000), _item(81, b, "INV-81", 100_000)])

    m = match(_receipt(100_000, "远东商业保理有限公司", text="INV-81"), book)
    assert (m.customer_id, m.allocations, m.status) == (8, ((81, 100_000),), "auto")
    assert "conflict" not in _codes(m)

    m = match(_receipt(100_000, "远东商业保理有限公司"), book)
    assert m.status == "suggested" and "conflict" in _codes(m)


def test_one_invoice_of_the_amount_waits_when_two_others_make_it_up_too():
    items = [_item(41, XINGHE, "Z-1", 500), _item(42, XINGHE, "Z-2", 300), _item(43, XINGHE, "Z-3", 200)]
    book = Book([XINGHE], items)

    m = match(_receipt(500, "杭州星河化工有限公司"), book)
    assert (m.allocations, m.status, _codes(m)[-1]) == (((41, 500),), "suggested", "one_item_or_several")

    m = match(_receipt(500, "杭州星河化工有限公司"), Book([XINGHE], items[:2]))
    assert (m.status, _codes(m)[-1]) == ("auto", "one_item")


def test_a_learned_payer_for_one_customer_naming_another_customers_invoice_waits_for_a_clerk():
    m = match(_receipt(4000000, "华强集团财务有限公司", text="INV-2026-000300"), BOOK)  # 华强's payer, 星河's invoice

    assert m.status == "suggested" and m.confidence <= CONFLICT_CAP
    assert "conflict" in _codes(m)


def test_a_payment_said_to_be_in_part_is_not_settled_by_a_charge():
    m = match(_receipt(4000000 - 3500, "杭州星河化工有限公司", text="部分货款"), BOOK)

    assert (m.allocations, m.charge, m.unapplied) == ((), 0, 3996500)  # no item equals it: a clerk decides


def test_a_short_invoice_waits_when_other_items_make_up_the_amount_exactly():
    items = [_item(44, XINGHE, "Q-1", 100_000), _item(45, XINGHE, "Q-2", 60_000), _item(46, XINGHE, "Q-3", 39_500)]

    m = match(_receipt(99_500, "杭州星河化工有限公司"), Book([XINGHE], items))  # Q-1 less 5.00, or Q-2 + Q-3
    assert (m.allocations, m.charge, m.status) == (((44, 99_500),), 500, "suggested")
    assert _codes(m)[-1] == "one_item_or_several"


def test_a_short_payment_beyond_the_tolerance_is_not_settled_by_a_charge():
    m = match(_receipt(4000000 - 6000, "杭州星河化工有限公司"), BOOK)

    assert m.charge == 0 and m.status == "suggested"


def test_an_overpayment_leaves_unapplied_cash_and_waits_for_a_clerk():
    """More than the named invoice and no other item that makes up the rest: perhaps a reference the text mangled,
    perhaps an advance; either way a clerk decides."""
    m = match(_receipt(11300000 + 10000, "上海申联贸易有限公司", text="INV-2026-000123"), BOOK)

    assert (m.allocations, m.unapplied, m.status) == (((11, 11300000),), 10000, "suggested")
    assert "items_over" in _codes(m)


def test_a_named_invoice_paid_in_part_waits_when_another_invoice_is_exactly_the_amount():
    """INV-2026-000124 mistyped as …123: 50,000.00 is part of 123, or all of 124."""
    m = match(_receipt(5000000, "上海申联贸易有限公司", text="INV-2026-000123"), BOOK)

    assert (m.allocations, m.status, _codes(m)[-1]) == (((11, 5000000),), "suggested", "items_or_other")

    m = match(_receipt(4000000, "上海申联贸易有限公司", text="INV-2026-000123"), BOOK)
    assert (m.status, _codes(m)[-1]) == ("auto", "items_part")


def test_the_named_invoice_and_the_one_other_item_that_makes_up_the_rest():
    m = match(_receipt(11300000 + 2500000, "上海申联贸易有限公司", text="INV-2026-000123 发票号0999"), BOOK)

    assert (m.allocations, m.unapplied, m.status) == (((11, 11300000), (13, 2500000)), 0, "auto")
    assert "items_and_more" in _codes(m)


def test_a_contract_names_all_its_invoices_and_the_amount_picks_the_one_it_pays():
    items = [
        _item(51, XINGHE, "INV-51", 300_000, contract_number="HT-2026-09"),
        _item(52, XINGHE, "INV-52", 450_000, due=date(2026, 3, 10), contract_number="HT-2026-09"),
        _item(53, XINGHE, "INV-53", 450_000, due=date(2026, 3, 20), contract_number="HT-2026-09"),
    ]
    book = Book([XINGHE], items)

    m = match(_receipt(300_000 - 1500, "杭州星河化工有限公司", text="合同HT-2026-09"), book)
    assert (m.allocations, m.charge, m.status) == (((51, 298_500),), 1500, "auto")  # the one it settles, less a fee
    assert "items_some" in _codes(m)

    m = match(_receipt(450_000, "杭州星河化工有限公司", text="合同HT-2026-09"), book)
    assert m.status == "suggested" and "items_guess" in _codes(m)  # two of its invoices are 4,500.00: a clerk picks


def test_the_uscc_in_the_text_names_the_customer():
    m = match(_receipt(4000000, "某人", text=f"代{USCC}付款"), BOOK)
    assert m.customer_id == 1

    wrong = USCC[:17] + ("0" if USCC[17] != "0" else "1")
    assert match(_receipt(4000000, "某人", text=wrong), BOOK).customer_id is None


def test_a_fuzzy_name_suggests_and_never_applies_alone():
    book = Book([Customer(5, "C0005", "杭州星河精细化工材料有限公司")], [])
    m = match(_receipt(4000000, "杭州星河精细化二材料有限公司"), book)  # a typo: 工 → 二

    assert (m.customer_id, m.status) == (5, "suggested")
    assert _codes(m)[0] == "name_fuzzy"

    m = match(_receipt(4000000, "杭州星河精细化二材料有限公司", text="技术服务费"), book)  # customers pay 服务费
    assert (m.customer_id, m.status) == (5, "suggested")


def test_two_customers_named_with_equal_strength_cap_the_confidence():
    twin = Customer(4, "C0004", "申联贸易（北京）有限公司")
    book = Book([SHENLIAN, twin], ITEMS[:3])

    m = match(_receipt(5000000, "申联贸易有限公司"), book)

    assert m.confidence <= CONFLICT_CAP and m.status == "suggested"
    assert "conflict" in _codes(m)


@pytest.mark.parametrize(("amount", "name", "text", "kind"), [
    (-5000, "国网上海电力", "电费", "outgoing"),
    (1234, "", "结息", "interest"),
    (1200, "", "退汇 账户名不符", "refund"),
    (10000000, "本公司", "资金归集", "transfer"),
])  # fmt: skip
def test_lines_that_are_not_customer_receipts_are_set_aside(amount, name, text, kind):
    m = match(_receipt(amount, name, text=text), BOOK)

    assert (m.status, m.kind, m.customer_id, m.allocations) == ("ignored", kind, None, ())


def test_interest_from_a_bank_named_like_a_customer_is_set_aside():
    book = Book([Customer(9, "C0009", "山东招商银行实业有限公司")], [])

    m = match(_receipt(16949, "招商银行股份有限公司", text="活期存款利息"), book)
    assert (m.status, m.kind, m.customer_id) == ("ignored", "interest", None)

    m = match(_receipt(16949, "招商银行股份有限公司", text="货款"), book)
    assert (m.status, m.customer_id, _codes(m)) == ("suggested", 9, ["name_fuzzy"])  # without the word: a clerk looks


def test_a_payment_nobody_can_place_is_unmatched_and_stays_unapplied():
    m = match(_receipt(777, "陌生人"), BOOK)

    assert (m.status, m.customer_id, m.unapplied) == ("unmatched", None, 777)


def test_nothing_is_applied_below_the_threshold_even_when_everything_fits():
    m = match(_receipt(5000000, "上海申联贸易有限公司"), BOOK)
    assert (m.confidence, m.status) == (85, "auto")

    m = match(_receipt(5000000, "上海申联贸易有限公司"), BOOK, Rules(threshold=90))
    assert (m.confidence, m.status, m.allocations) == (85, "suggested", ((12, 5000000),))


def test_the_combination_search_is_bounded():
    many = [_item(100 + k, XINGHE, f"X-{k}", 100_000 + 7 * k) for k in range(40)]
    amount = sum(100_000 + 7 * k for k in (3, 17, 29, 38))
    book = Book([XINGHE], many)

    cut_short = match(_receipt(amount, "杭州星河化工有限公司"), book, Rules(max_items=40, max_steps=10))
    searched = match(_receipt(amount, "杭州星河化工有限公司"), book, Rules(max_items=40, max_steps=10**6))

    assert (cut_short.allocations, cut_short.unapplied) == ((), amount)
    assert sum(a for _, a in searched.allocations) == amount and searched.unapplied == 0
    assert "combination_ambiguous" in _codes(searched)  # 40 near-equal items make up that sum more than one way


def test_a_combination_found_by_a_search_cut_short_is_not_known_to_be_the_only_one():
    book = Book([XINGHE], [_item(90 + k, XINGHE, f"Y-{k}", v) for k, v in enumerate((300, 200, 120, 70, 40))])

    whole = match(_receipt(500, "杭州星河化工有限公司"), book)
    cut = match(_receipt(500, "杭州星河化工有限公司"), book, Rules(max_steps=2))

    assert (whole.allocations, _codes(whole)[-1], whole.status) == (((90, 300), (91, 200)), "combination", "auto")
    assert (cut.allocations, _codes(cut)[-1], cut.status) == (((90, 300), (91, 200)), "combination_ambiguous",
                                                              "suggested")


def test_names_and_references_meet_after_normalising():
    assert name_key("上海申联贸易有限公司") == name_key("申联贸易（上海）有限公司") == "申联贸易"
    assert name_key("广东省深圳市华强电子股份有限公司") == name_key("华强电子(中国)有限公司") == "华强电子"
    assert name_key("北京市朝阳区某某科技有限公司") == "某某科技"
    assert name_key("上海申联贸易有限公司杭州分公司") == name_key("申联贸易（上海）有限公司苏州办事处") == "申联贸易"
    assert name_key("申联贸易分公司") == "申联贸易分"  # no company before it: not read as a branch
    assert reference_keys("inv2026000123") & number_keys("INV-2026-000123")
    assert reference_keys("ＩＮＶ－２０２６－１２３") & number_keys("INV-2026-000123")
    assert not reference_keys("3月货款") & number_keys("INV-2026-000003")


@given(
    amount=st.integers(-10**9, 2 * 10**8),
    who=st.sampled_from(["", "申联贸易", "华强电子", "华强集团财务有限公司", "杭州星河化工有限公司", "陌生人"]),
    text=st.sampled_from(
        ["", "INV-2026-000123", "INV2026000124 INV-2026-125", "HT-2026-007", "发票号码04567890", "结息"]
    ),
    day=st.dates(date(2026, 1, 1), date(2026, 12, 31)),
)
def test_every_match_accounts_for_every_cent_and_never_overpays_an_item(amount, who, text, day):
    m = match(_receipt(amount, who, text=text, day=day), BOOK)

    if m.status == "ignored":
        assert m.allocations == () and m.customer_id is None
        return
    assert sum(a for _, a in m.allocations) + m.unapplied == amount
    items = {i.id: i for i in ITEMS}
    for item_id, allocated in m.allocations:
        assert items[item_id].customer_id == m.customer_id
        assert 0 < allocated <= items[item_id].amount_open
    assert 0 <= m.charge <= 5000 and 0 <= m.discount
    assert m.status != "auto" or (m.confidence >= Rules().threshold and m.allocations)


def test_building_a_book_leaves_the_garbage_collector_as_it_found_it():
    import gc

    assert gc.isenabled()
    Book([SHENLIAN], ITEMS)
    assert gc.isenabled()

    gc.disable()
    try:
        Book([SHENLIAN], ITEMS)
        assert not gc.isenabled()
    finally:
        gc.enable()
