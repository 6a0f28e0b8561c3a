"""Automatic cash application (认款/核销): who paid, for what, and how sure ARMS is.

For one incoming statement line (a ``Receipt``) and the company's customers and open items (a ``Book``), ``match``
returns a ``Match``: the customer, the allocations, a bank charge or an early-payment discount that settles the rest,
any overpayment left unapplied, a confidence 0–100 and the reasons that gave it. The rules are a transparent
scorecard, like the credit scorecard: each reason adds points, printed beside the match.

**Who paid** — points for the strongest signal, plus ``AGREE`` when a second, independent one names the same customer:

====================================================================  ======
the payer's account is one the customer paid from before (learned)    60
a 统一社会信用代码 in the text                                         60
a third party mapped to the customer (learned name or account)        55
… when it is a factoring company (保理), which pays for many           45
the customer's code in the text                                        50
the payer's name equals the customer's, once normalised               50
the text names items of exactly one customer (who follows from what)  45
the text names the customer paid for ("代星河化工付货款")               50
the payer's name is close to the customer's (fuzzy ≥ 92 / ≥ 85)        35 / 25
====================================================================  ======

**For what** — the best that applies:

====================================================================  ======
items named in the text settle exactly (with charges or discount)     40
of several items named (a contract names all its invoices), the only
set the amount settles                                                35
the items named and the only combination of other items for the rest  30
one item named, paid in part                                          25
items named and more money than they need (the rest unapplied)        10
items named, paid in part, no telling which (oldest first), or one
named item paid in part while another open item equals the amount      5
exactly one open item of the customer equals the amount (or settles
it with its discount or short by a bank charge)                       35
the customer's whole open balance equals the amount                   35
several open items equal the amount and the text names the month of
exactly one of them ("9月货款", not the month of payment)             35
the only combination of open items that sums to the amount            35
several open items equal the amount (the oldest is taken), or one
does and other items make it up as well (``one_item_or_several``)      10
several combinations do, or the bounded search was cut short           5
====================================================================  ======

A short payment settles by a bank charge only when the text does not call it partial (部分, 首付, 分期 …).

Confidence is ``min(100, who + what)``; two customers named with equal strength (agreement included), or a text that
names items of another customer than the one chosen, cap it at ``CONFLICT_CAP``. The points are tuned with
``arms bench cashapp`` (docs/benchmarks.md): an ambiguous "what" (equal items, several combinations, a guess among
named items) never reaches the threshold, whoever paid. At or above the company's threshold the match is applied
without a human; below, it waits as a suggestion. Lines that are not customer receipts (money out, interest, fees,
refunds, transfers between own accounts) are set aside, never forced onto a customer.

Names are compared after ``name_key``: NFKC (full-width → half-width), no spaces or punctuation, no legal form
(有限公司, 股份有限公司, (中国) …) and no province or city prefix, so 上海申联贸易有限公司, 申联贸易（上海）有限公司 and
申联贸易 meet. References are compared after ``reference_keys``: letters and digit groups joined with and without
their leading zeros, so INV-2026-000123, inv2026000123 and ＩＮＶ－２０２６－１２３ meet.

Plain Python: the service builds the ``Book`` with a few set-based queries and calls ``match`` per line.
"""

from __future__ import annotations

import gc
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from rapidfuzz import fuzz

from arms.domain.uscc import ALPHABET, check_character

# --- points ----------------------------------------------------------------------------------------------------------

WHO_ACCOUNT, WHO_USCC, WHO_THIRD_PARTY, WHO_BY_ITEMS, WHO_CODE, WHO_NAME = 60, 60, 55, 45, 50, 50
WHO_NAME_IN_TEXT, WHO_FUZZY_HIGH, WHO_FUZZY_LOW, AGREE = 50, 35, 25, 10
WHO_FACTOR = 45
WHAT_REFERENCED_EXACT, WHAT_REFERENCED_SOME, WHAT_REFERENCED_AND_MORE, WHAT_REFERENCED_PART = 40, 35, 30, 25
WHAT_REFERENCED_OVER, WHAT_REFERENCED_GUESS = 10, 5
WHAT_ONE_ITEM, WHAT_ALL_OPEN, WHAT_MONTH_NAMED, WHAT_SEVERAL_EQUAL = 35, 35, 35, 10
WHAT_COMBINATION, WHAT_COMBINATION_AMBIGUOUS = 35, 5
CONFLICT_CAP = 50
#: a receipt for a written-off invoice (a recovery) is only ever a suggestion a clerk accepts
WHAT_RECOVERY, RECOVERY_CAP = 20, 70
FUZZY_HIGH, FUZZY_LOW = 92, 85

# --- names -----------------------------------------------------------------------------------------------------------

_LEGAL_FORMS = (
    "股份有限公司", "有限责任公司", "集团有限公司", "集团股份有限公司", "有限公司", "集团公司", "总公司", "公司",
    "股份公司", "有限合伙", "合伙企业", "经营部", "商行", "工作室", "CO.,LTD.", "CO.,LTD", "COMPANYLIMITED", "LIMITED",
    "LTD.", "LTD", "INC.", "INC", "CORP.", "CORP", "GMBH", "LLC",
)  # fmt: skip
_PROVINCES = (
    "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建", "江西",
    "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西", "甘肃", "青海", "台湾", "内蒙古",
    "广西", "西藏", "宁夏", "新疆", "香港", "澳门",
)  # fmt: skip
_CITIES = (
    "深圳", "广州", "杭州", "南京", "苏州", "宁波", "厦门", "青岛", "大连", "武汉", "成都", "西安", "长沙", "郑州",
    "济南", "合肥", "福州", "无锡", "佛山", "东莞", "珠海", "温州", "常州", "南通", "嘉兴", "绍兴", "金华", "台州",
    "烟台", "潍坊", "沈阳", "长春", "哈尔滨", "石家庄", "太原", "南昌", "南宁", "昆明", "贵阳", "兰州", "乌鲁木齐",
    "呼和浩特", "银川", "西宁", "拉萨", "海口", "三亚", "徐州", "扬州", "泉州", "漳州", "惠州", "中山", "江门",
)  # fmt: skip
_REGION = "|".join(sorted(_PROVINCES + _CITIES, key=len, reverse=True))
_REGION_PREFIX = re.compile(rf"^(?:(?:{_REGION})(?:省|市|自治区|特别行政区)?)+")
_DISTRICT = re.compile(r"^[\u4e00-\u9fff]{1,3}(?:区|县)")
_REGION_IN_BRACKETS = re.compile(rf"\((?:中国|{_REGION})(?:省|市)?\)")
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)
_FACTOR = re.compile(r"保理|FACTORING")
_LEGAL_FORMS_BARE = tuple(_NOT_WORD.sub("", form) for form in _LEGAL_FORMS)
_BRANCH = re.compile(r"^(.{2,}?(?:有限责任公司|有限公司|公司))[\u4e00-\u9fff]{0,8}?(?:分公司|分厂|办事处)$")


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").upper()


def name_key(name: str) -> str:
    """The part of a company name that identifies it (its 字号 and trade), for comparing payer and customer."""
    text = _REGION_IN_BRACKETS.sub("", _nfkc(name).replace(" ", ""))
    text = _NOT_WORD.sub("", text.replace("(", "").replace(")", "")) if "(" in text else _NOT_WORD.sub("", text)
    text = _BRANCH.sub(r"\1", text)  # a branch pays for its company: 上海申联贸易有限公司杭州分公司 is 申联贸易
    changed = True
    while changed:
        changed = False
        for bare in _LEGAL_FORMS_BARE:
            if text.endswith(bare) and len(text) > len(bare) + 1:
                text, changed = text[: -len(bare)], True
        stripped = _REGION_PREFIX.sub("", text)
        if stripped != text:
            stripped = _DISTRICT.sub("", stripped) if len(_DISTRICT.sub("", stripped)) >= 2 else stripped
        if stripped != text and len(stripped) >= 2:
            text, changed = stripped, True
    return text


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)} or {text}


# --- references ------------------------------------------------------------------------------------------------------

_TOKEN = re.compile(r"[A-Z]+|\d+")
_RUN = re.compile(r"[A-Z0-9]+(?:[\s\-_/.#:]*[A-Z0-9]+)*")
_USCC = re.compile(rf"(?<![{ALPHABET}])[{ALPHABET}]{{18}}(?![{ALPHABET}])")
_VAT = re.compile(r"(?<!\d)(\d{20}|\d{8})(?!\d)")
_MAX_GROUPS = 5


def _keys_of(groups: list[str]) -> set[str]:
    if not any(g.isdigit() for g in groups):
        return set()
    plain = "".join(groups)
    trimmed = "".join(g.lstrip("0") or "0" if g.isdigit() else g for g in groups)
    return {k for k in (plain, trimmed) if len(k) >= 4 and not (k.isdigit() and len(k) < 6)}


def number_keys(number: str) -> set[str]:
    """The keys of a document number as ARMS holds it (invoice, contract, customer code)."""
    return _keys_of(_TOKEN.findall(_nfkc(number)))


def reference_keys(text: str) -> set[str]:
    """Every key a remittance text might be naming: each run of up to five letter/digit groups, joined."""
    keys: set[str] = set()
    for run in _RUN.findall(_nfkc(text)):
        groups = _TOKEN.findall(run)
        for start in range(len(groups)):
            for end in range(start + 1, min(len(groups), start + _MAX_GROUPS) + 1):
                keys |= _keys_of(groups[start:end])
    return keys


def usccs_in(text: str) -> set[str]:
    return {c for c in _USCC.findall(_nfkc(text)) if check_character(c[:17]) == c[17]}


_VAT_AFTER_WORD = re.compile(r"(?:发票号码|发票号|发票|票号)[\s:：#]*(\d{5,20})(?!\d)")
_MONTHS = re.compile(r"(?<!\d)(\d{1,2})(?:\s*[-~至到]\s*(\d{1,2}))?\s*月份?")
_ON_BEHALF = re.compile(r"代([\u4e00-\u9fff()（）]{2,40}?)(?:支付|付款|付|还款|汇款|结算)")


def _vat_keys(text: str) -> set[str]:
    """发票号码 in a text: 8 or 20 digits anywhere, or fewer (leading zeros dropped) right after 发票号/票号."""
    normal = _nfkc(text)
    return {m.lstrip("0") for m in _VAT.findall(normal)} | {m.lstrip("0") for m in _VAT_AFTER_WORD.findall(normal)}


def months_in(text: str) -> set[int]:
    """The months a remittance text names: "3月货款" → {3}, "9-11月" → {9, 10, 11}."""
    months: set[int] = set()
    for first, last in _MONTHS.findall(_nfkc(text)):
        start, end = int(first), int(last or first)
        if 1 <= start <= 12 and 1 <= end <= 12 and start <= end:
            months.update(range(start, end + 1))
    return months


# --- the book --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Customer:
    id: int
    code: str
    name: str
    uscc: str = ""
    accounts: frozenset[str] = frozenset()  # bank accounts it paid from before (learned, visible, removable)
    payer_names: frozenset[str] = frozenset()  # third parties that pay for it (a group parent, a factor), learned


@dataclass(frozen=True, slots=True)
class Item:
    id: int
    customer_id: int
    number: str
    amount_open: int
    due_date: date
    issue_date: date
    vat_number: str = ""
    contract_number: str = ""
    discount: int = 0  # the early-payment discount on this item, if paid by discount_until
    discount_until: date | None = None
    discount_percent: str = ""  # how the discount reads ("2%"), for the reason shown with the match


@dataclass(frozen=True, slots=True)
class Receipt:
    amount: int  # signed minor units as on the statement
    booking_date: date
    payer_name: str = ""
    payer_account: str = ""
    text: str = ""
    from_own_account: bool = False


@dataclass(frozen=True, slots=True)
class Rules:
    threshold: int = 85  # apply without a human at or above this confidence
    charge_tolerance: int = 5000  # a short payment up to this (minor units) settles in full, the rest a bank charge
    charge_share_bp: int = 0  # … or up to this share of what it settles, in basis points, if larger
    max_items: int = 24  # open items of one customer considered for a combination (oldest first)
    max_steps: int = 50_000  # bound on the combination search


@dataclass(frozen=True, slots=True)
class Reason:
    code: str
    points: int
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Match:
    status: str  # auto, suggested, unmatched, ignored
    confidence: int = 0
    customer_id: int | None = None
    allocations: tuple[tuple[int, int], ...] = ()  # (item id, amount)
    charge: int = 0  # bank charge written off to 6603 to settle the items in full
    discount: int = 0  # early-payment discount granted
    unapplied: int = 0  # overpayment left as unapplied cash (预收)
    reasons: tuple[Reason, ...] = ()
    kind: str = ""  # for ignored lines: outgoing, interest, fee, refund, transfer


class Book:
    """Customers and open items, indexed for matching. Built once per run; ``match`` only reads it."""

    def __init__(self, customers: list[Customer], items: list[Item], recoverable: list[Item] | tuple[Item, ...] = ()):
        """``recoverable``: written-off invoices, each with ``amount_open`` the amount still written off; offered
        only when nothing open fits a receipt (``match``: a recovery, never applied without a clerk)."""
        # the indexes are a few million small sets without a cycle among them: the cyclic garbage collector would
        # walk them again and again while they are built (3 of 7 s for 100,000 customers), so it waits until the end
        collecting = gc.isenabled()
        gc.disable()
        try:
            self._index(customers, items, recoverable)
        finally:
            if collecting:
                gc.enable()

    def _index(self, customers: list[Customer], items: list[Item],
               recoverable: list[Item] | tuple[Item, ...] = ()) -> None:
        self.customers = {c.id: c for c in customers}
        self.by_account: dict[str, set[int]] = defaultdict(set)
        self.by_name: dict[str, set[int]] = defaultdict(set)
        self.by_payer: dict[str, set[int]] = defaultdict(set)
        self.by_code: dict[str, set[int]] = defaultdict(set)
        self.by_uscc: dict[str, int] = {}
        self.by_bigram: dict[str, set[int]] = defaultdict(set)
        self.by_prefix: dict[str, set[int]] = defaultdict(set)  # the first 2-4 characters of a name key (字号)
        self.name_keys: dict[int, str] = {}
        for c in customers:
            key = name_key(c.name)
            self.name_keys[c.id] = key
            self.by_name[key].add(c.id)
            for gram in _bigrams(key):
                self.by_bigram[gram].add(c.id)
            for length in range(2, min(4, len(key) - 1) + 1):
                self.by_prefix[key[:length]].add(c.id)
            for account in c.accounts:
                self.by_account[_account_key(account)].add(c.id)
            for payer in c.payer_names:
                self.by_payer[name_key(payer)].add(c.id)
            for k in number_keys(c.code):
                self.by_code[k].add(c.id)
            if c.uscc:
                self.by_uscc[c.uscc.upper()] = c.id
        self.items = {i.id: i for i in items}
        self.open_by_customer: dict[int, list[Item]] = defaultdict(list)
        self.by_reference: dict[str, set[int]] = defaultdict(set)
        contract_keys: dict[str, set[str]] = {"": set()}  # a contract's invoices share its number: key it once
        for item in sorted(items, key=lambda i: (i.due_date, i.issue_date, i.id)):
            if item.amount_open <= 0:
                continue
            self.open_by_customer[item.customer_id].append(item)
            if item.contract_number not in contract_keys:
                contract_keys[item.contract_number] = number_keys(item.contract_number)
            for k in number_keys(item.number) | contract_keys[item.contract_number]:
                self.by_reference[k].add(item.id)
            if item.vat_number:
                self.by_reference["VAT:" + item.vat_number.lstrip("0")].add(item.id)
        self.recoverable = {i.id: i for i in recoverable if i.amount_open > 0}
        self.recoverable_by_customer: dict[int, list[Item]] = defaultdict(list)
        self.recoverable_by_reference: dict[str, set[int]] = defaultdict(set)
        for item in sorted(self.recoverable.values(), key=lambda i: (i.due_date, i.issue_date, i.id)):
            self.recoverable_by_customer[item.customer_id].append(item)
            for k in number_keys(item.number):
                self.recoverable_by_reference[k].add(item.id)


def _account_key(account: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", _nfkc(account))


# --- matching --------------------------------------------------------------------------------------------------------

_INTEREST = re.compile(r"利息|结息|INTEREST")
_FEE = re.compile(r"手续费|工本费|年费|账户管理费|邮电费|短信费|FEE|CHARGE")  # not 服务费: customers pay those
_REFUND = re.compile(r"退款|退汇|退回|冲正|REFUND|RETURN")
_TRANSFER = re.compile(r"内部转账|资金归集|资金调拨|调拨|划转|归集|同名|TRANSFER")


def _set_aside(receipt: Receipt) -> str:
    if receipt.amount <= 0:
        return "outgoing"
    if receipt.from_own_account:
        return "transfer"
    text = _nfkc(f"{receipt.payer_name} {receipt.text}")
    for kind, pattern in (("interest", _INTEREST), ("fee", _FEE), ("refund", _REFUND), ("transfer", _TRANSFER)):
        if pattern.search(text):
            return kind
    return ""


def _who(receipt: Receipt, book: Book, referenced: dict[int, list[Item]]) -> list[tuple[int, Reason]]:
    """Every (customer, reason) the line gives, strongest first."""
    found: list[tuple[int, Reason]] = []
    account = _account_key(receipt.payer_account)
    if account:
        for cid in book.by_account.get(account, ()):
            found.append((cid, Reason("payer_account", WHO_ACCOUNT, receipt.payer_account)))
    for code in usccs_in(receipt.text):
        if code in book.by_uscc:
            found.append((book.by_uscc[code], Reason("uscc", WHO_USCC, code)))
    payer = name_key(receipt.payer_name)
    if payer:
        # a factoring company pays for many sellers' customers: having paid for this one before names it less surely
        points = WHO_FACTOR if _FACTOR.search(_nfkc(receipt.payer_name)) else WHO_THIRD_PARTY
        for cid in book.by_payer.get(payer, ()):
            found.append((cid, Reason("third_party", points, receipt.payer_name)))
    for named in _ON_BEHALF.findall(_nfkc(receipt.text)):  # "代三塘付货款": paid on behalf of the customer named
        key = name_key(named)
        ids = book.by_name.get(key) or book.by_prefix.get(key, set())
        if len(ids) == 1:
            found.append((next(iter(ids)), Reason("name_in_text", WHO_NAME_IN_TEXT, named)))
    if len(referenced) == 1:
        (cid,) = referenced
        found.append((cid, Reason("items_named", WHO_BY_ITEMS, ", ".join(i.number for i in referenced[cid]))))
    for key in reference_keys(receipt.text):
        for cid in book.by_code.get(key, ()):
            found.append((cid, Reason("customer_code", WHO_CODE, book.customers[cid].code)))
    if payer:
        exact = book.by_name.get(payer, set())
        for cid in exact:
            found.append((cid, Reason("name", WHO_NAME, book.customers[cid].name)))
        if not exact and len(payer) >= 2:
            for cid, other in _near_names(payer, book):
                shorter, longer = sorted((payer, other), key=len)
                # a branch or a longer form of the same name (星河化工杭州分 / 星河化工) is as good as a near-equal one
                score = 95.0 if len(shorter) >= 3 and shorter in longer else fuzz.ratio(payer, other)
                if score >= FUZZY_LOW:
                    points = WHO_FUZZY_HIGH if score >= FUZZY_HIGH else WHO_FUZZY_LOW
                    found.append((cid, Reason("name_fuzzy", points, f"{book.customers[cid].name} {score:.0f}")))
    found.sort(key=lambda pair: -pair[1].points)
    return found


def _near_names(payer: str, book: Book) -> list[tuple[int, str]]:
    """Customers whose name key shares at least half of the payer's bigrams. Set-based: a name sharing that many
    must contain one of the payer's rarest ``len - need + 1`` bigrams, so only those postings are read; of those, a
    bigram in more than one name in a hundred (a trade word: 科技, 商贸) is skipped, as sharing only trade words
    never makes two companies one."""
    grams = _bigrams(payer)
    need = max(1, len(grams) // 2)
    common = max(200, len(book.customers) // 100)
    # ties broken by the bigram itself: the same book and line choose the same candidates in every process
    rarest = sorted(grams, key=lambda g: (len(book.by_bigram.get(g, ())), g))[: len(grams) - need + 1]
    candidates: set[int] = set()
    for gram in rarest:
        postings = book.by_bigram.get(gram, set())
        if len(postings) <= common:
            candidates |= postings
    near = []
    for cid in candidates:
        other = book.name_keys[cid]
        if len(grams & _bigrams(other)) >= need:
            near.append((cid, other))
    return near


def _referenced(receipt: Receipt, book: Book) -> dict[int, list[Item]]:
    keys = reference_keys(receipt.text) | {"VAT:" + k for k in _vat_keys(receipt.text)}
    ids: set[int] = set()
    for key in keys:
        ids |= book.by_reference.get(key, set())
    by_customer: dict[int, list[Item]] = defaultdict(list)
    for item_id in sorted(ids, key=lambda i: (book.items[i].due_date, book.items[i].issue_date, i)):
        by_customer[book.items[item_id].customer_id].append(book.items[item_id])
    return dict(by_customer)


# the payer says it pays in part: what is short is not a bank charge
_PART_PAYMENT = re.compile(r"部分|首付|预付|分期|定金|第\s*\d+\s*期")
CHARGE_MAX_SHARE_BP = 500  # a "bank charge" is never more than 5% of what it settles, whatever the configuration


def _tolerance(rules: Rules, settles: int) -> int:
    allowed = max(rules.charge_tolerance, settles * rules.charge_share_bp // 10_000)
    return min(allowed, settles * CHARGE_MAX_SHARE_BP // 10_000)


def _settle(
    amount: int, items: list[Item], receipt: Receipt, rules: Rules
) -> tuple[list[tuple[int, int]], int, int] | None:
    """Allocations, charge, discount and unapplied rest when ``amount`` pays ``items``; None if it pays them only in
    part (then the caller allocates oldest first). Exact, then with the discounts earned, then short by a charge."""
    total = sum(i.amount_open for i in items)
    if amount == total:
        return [(i.id, i.amount_open) for i in items], 0, 0
    earned = {i.id: i.discount for i in items if i.discount_until and receipt.booking_date <= i.discount_until}
    if any(earned.values()) and amount == total - sum(earned.values()):
        return [(i.id, i.amount_open - earned.get(i.id, 0)) for i in items], 0, sum(earned.values())
    short = total - amount
    if 0 < short <= _tolerance(rules, total) and not _PART_PAYMENT.search(receipt.text):
        allocations = [(i.id, i.amount_open) for i in items]
        allocations[-1] = (allocations[-1][0], allocations[-1][1] - short)  # the charge settles the last item
        return allocations, short, 0
    return None


def _oldest_first(amount: int, items: list[Item]) -> tuple[list[tuple[int, int]], int]:
    allocations, left = [], amount
    for item in items:
        if left <= 0:
            break
        take = min(left, item.amount_open)
        allocations.append((item.id, take))
        left -= take
    return allocations, left


def _combinations(amount: int, items: list[Item], rules: Rules) -> tuple[list[Item] | None, bool]:
    """The first combination of items (oldest first) that sums to ``amount``, and whether there is (or, the search
    cut short, may be) another."""
    pool = [i for i in items[: rules.max_items] if i.amount_open <= amount]
    suffix = [0] * (len(pool) + 1)
    for k in range(len(pool) - 1, -1, -1):
        suffix[k] = suffix[k + 1] + pool[k].amount_open
    found: list[list[Item]] = []
    steps, cut_short = 0, False

    def search(start: int, left: int, chosen: list[Item]) -> None:
        nonlocal steps, cut_short
        for k in range(start, len(pool)):
            if suffix[k] < left or len(found) > 1 or cut_short:
                return  # the rest cannot make up what is left, or the answer is already known
            steps += 1
            if steps > rules.max_steps:
                cut_short = True
                return
            value = pool[k].amount_open
            if value > left:
                continue
            if value == left:
                found.append([*chosen, pool[k]])
                continue
            search(k + 1, left - value, [*chosen, pool[k]])

    search(0, amount, [])
    # a search cut short may have missed another combination: then the one found is not known to be the only one
    return (found[0] if found else None), len(found) > 1 or (cut_short and bool(found))


def _named(
    receipt: Receipt, book: Book, customer_id: int, referenced: list[Item], rules: Rules
) -> tuple[list[tuple[int, int]], int, int, int, Reason]:
    """What a receipt that names items pays: all of them, some of them, them and more, or part of one."""
    amount = receipt.amount
    settled = _settle(amount, referenced, receipt, rules)
    if settled:
        allocations, charge, discount = settled
        return allocations, charge, discount, 0, Reason("items_settled", WHAT_REFERENCED_EXACT)
    total = sum(i.amount_open for i in referenced)
    if amount > total:  # the named items and more: the rest pays other items only if exactly one set of them fits
        named = {i.id for i in referenced}
        others = [i for i in book.open_by_customer.get(customer_id, []) if i.id not in named]
        more, ambiguous = _combinations(amount - total, others, rules)
        if more and not ambiguous:
            paid = sorted([*referenced, *more], key=lambda i: (i.due_date, i.issue_date, i.id))
            return [(i.id, i.amount_open) for i in paid], 0, 0, 0, Reason("items_and_more", WHAT_REFERENCED_AND_MORE)
        allocations = [(i.id, i.amount_open) for i in referenced]
        return allocations, 0, 0, amount - total, Reason("items_over", WHAT_REFERENCED_OVER)
    if len(referenced) == 1:  # part of the one invoice it names, unless another invoice is exactly what it pays (the
        # number mistyped: INV-…123 for INV-…124)
        others = book.open_by_customer.get(customer_id, [])
        other = next((i for i in others if i.amount_open == amount and i.id != referenced[0].id), None)
        if other:
            return [(referenced[0].id, amount)], 0, 0, 0, Reason("items_or_other", WHAT_REFERENCED_GUESS, other.number)
        return [(referenced[0].id, amount)], 0, 0, 0, Reason("items_part", WHAT_REFERENCED_PART)
    # fewer than the items it names (a contract names all of its invoices): the ones it settles, if only one set does
    subset, ambiguous = _combinations(amount, referenced, rules)
    singles = [s for s in (_settle(amount, [i], receipt, rules) for i in referenced) if s]
    if subset and not ambiguous:
        return [(i.id, i.amount_open) for i in subset], 0, 0, 0, Reason("items_some", WHAT_REFERENCED_SOME)
    if not subset and len(singles) == 1:
        allocations, charge, discount = singles[0]
        return allocations, charge, discount, 0, Reason("items_some", WHAT_REFERENCED_SOME)
    allocations, left = _oldest_first(amount, referenced)
    return allocations, 0, 0, left, Reason("items_guess", WHAT_REFERENCED_GUESS)


def _what(
    receipt: Receipt, book: Book, customer_id: int, referenced: list[Item], rules: Rules
) -> tuple[list[tuple[int, int]], int, int, int, Reason | None]:
    """(allocations, charge, discount, unapplied, reason) for a receipt from a known customer."""
    amount = receipt.amount
    if referenced:
        return _named(receipt, book, customer_id, referenced, rules)
    open_items = book.open_by_customer.get(customer_id, [])
    equal = [i for i in open_items if i.amount_open == amount]
    if len(equal) == 1:
        # one invoice of that amount, unless two or more others make it up as well: then either may be meant
        others = [i for i in open_items if i.id != equal[0].id]
        alternative, _more = _combinations(amount, others, rules)
        if alternative:
            return [(equal[0].id, amount)], 0, 0, 0, Reason("one_item_or_several", WHAT_SEVERAL_EQUAL, equal[0].number)
        return [(equal[0].id, amount)], 0, 0, 0, Reason("one_item", WHAT_ONE_ITEM, equal[0].number)
    if len(open_items) > 1 and sum(i.amount_open for i in open_items) == amount:
        return [(i.id, i.amount_open) for i in open_items], 0, 0, 0, Reason("all_open", WHAT_ALL_OPEN)
    if equal:
        # "9月货款" paid in November: the one of the equal items issued in September. A range of months names several
        # items, and the month of payment itself is what people write for "this month's payment": neither tells.
        named = months_in(receipt.text)
        in_month = [i for i in equal if len(named) == 1 and i.issue_date.month in named - {receipt.booking_date.month}]
        if len(in_month) == 1:
            return [(in_month[0].id, amount)], 0, 0, 0, Reason("month_named", WHAT_MONTH_NAMED, in_month[0].number)
        return [(equal[0].id, amount)], 0, 0, 0, Reason("several_equal", WHAT_SEVERAL_EQUAL, equal[0].number)
    settling = [(item, s) for item, s in ((i, _settle(amount, [i], receipt, rules)) for i in open_items) if s]
    if settling:  # one item with its discount or short by a charge; several such items (or an exact combination
        # of others, the more likely reading of a short amount): the oldest, unsure
        (item, (allocations, charge, discount)) = settling[0]
        if len(settling) > 1:
            reason = Reason("several_equal", WHAT_SEVERAL_EQUAL, item.number)
        elif _combinations(amount, open_items, rules)[0]:
            reason = Reason("one_item_or_several", WHAT_SEVERAL_EQUAL, item.number)
        else:
            reason = Reason("one_item", WHAT_ONE_ITEM, item.number)
        return allocations, charge, discount, 0, reason
    combination, ambiguous = _combinations(amount, open_items, rules)
    if combination:
        reason = (
            Reason("combination_ambiguous", WHAT_COMBINATION_AMBIGUOUS) if ambiguous
            else Reason("combination", WHAT_COMBINATION)
        )  # fmt: skip
        return [(i.id, i.amount_open) for i in combination], 0, 0, 0, reason
    return [], 0, 0, amount, None


def _recovery(receipt: Receipt, book: Book, customer_id: int | None) -> Match | None:
    """Money for written-off invoices: those the text names (of one customer), else the customer's one written-off
    invoice of that amount, else, for a customer with nothing open, its written-off invoices oldest first."""
    if not book.recoverable or receipt.amount <= 0:
        return None
    named: dict[int, list[Item]] = defaultdict(list)
    for key in reference_keys(receipt.text):
        for item_id in book.recoverable_by_reference.get(key, ()):
            item = book.recoverable[item_id]
            if item not in named[item.customer_id]:
                named[item.customer_id].append(item)
    if customer_id is None:
        if len(named) != 1:
            return None
        customer_id = next(iter(named))
    items = sorted(named.get(customer_id, []), key=lambda i: (i.due_date, i.issue_date, i.id))
    detail = "named"
    if not items:
        candidates = book.recoverable_by_customer.get(customer_id, [])
        equal = [i for i in candidates if i.amount_open == receipt.amount]
        if len(equal) == 1:
            items, detail = equal, "amount"
        elif not book.open_by_customer.get(customer_id):
            items, detail = candidates, "customer"
    if not items:
        return None
    allocations, left = _oldest_first(receipt.amount, items)
    points = WHAT_RECOVERY if detail != "customer" else WHAT_RECOVERY // 2
    return Match(status="suggested", confidence=min(RECOVERY_CAP, points + (WHO_BY_ITEMS if detail == "named" else 0)),
                 customer_id=customer_id, allocations=tuple(allocations), unapplied=left,
                 reasons=(Reason("recovery", points, ", ".join(i.number for i in items)),))


def match(receipt: Receipt, book: Book, rules: Rules = Rules()) -> Match:
    kind = _set_aside(receipt)
    referenced = _referenced(receipt, book) if receipt.amount > 0 else {}
    who = _who(receipt, book, referenced) if receipt.amount > 0 else []
    if kind and all(reason.code == "name_fuzzy" for _cid, reason in who):
        # interest from a bank named like a customer (招商银行 / 招商银行实业): the word outweighs the likeness
        return Match(status="ignored", kind=kind)
    if not who:
        return _recovery(receipt, book, None) or Match(status="unmatched", unapplied=receipt.amount)
    best_points: dict[int, int] = {}
    reasons_of: dict[int, list[Reason]] = defaultdict(list)
    for cid, reason in who:
        reasons_of[cid].append(reason)
        best_points[cid] = max(best_points.get(cid, 0), reason.points)
    who_points_of = {
        cid: points + (AGREE if len({r.code for r in reasons_of[cid]}) > 1 else 0)
        for cid, points in best_points.items()
    }
    ranked = sorted(who_points_of, key=lambda c: (-who_points_of[c], -len(reasons_of[c]), c))
    customer_id = ranked[0]
    distinct = {r.code for r in reasons_of[customer_id]}
    who_points = who_points_of[customer_id]
    reasons = [max(reasons_of[customer_id], key=lambda r: r.points)]
    if len(distinct) > 1:
        reasons.append(Reason("agree", AGREE, ", ".join(sorted(distinct))))
    # another customer named as strongly, or the text names items of others only (a reference is the payer's own
    # word about what it pays; a learned payer or account for someone else does not outweigh it without a clerk)
    conflict = (len(ranked) > 1 and who_points_of[ranked[1]] >= who_points) or bool(
        referenced and customer_id not in referenced
    )
    allocations, charge, discount, unapplied, what = _what(
        receipt, book, customer_id, referenced.get(customer_id, []), rules
    )
    if what:
        reasons.append(what)
        if discount:  # the amount is what is open after the early-payment discount: say so beside the match
            reasons.append(Reason("discount", 0, ", ".join(
                f"{book.items[item_id].number} {book.items[item_id].discount_percent}".strip()
                for item_id, _amount in allocations if book.items[item_id].discount
                and receipt.booking_date <= (book.items[item_id].discount_until or receipt.booking_date)
            )))
    elif not conflict and (recovery := _recovery(receipt, book, customer_id)) is not None:
        return Match(status="suggested", confidence=min(RECOVERY_CAP, who_points + recovery.confidence),
                     customer_id=customer_id, allocations=recovery.allocations, unapplied=recovery.unapplied,
                     reasons=(*reasons, *recovery.reasons))
    confidence = min(100, who_points + (what.points if what else 0))
    if conflict:
        confidence = min(confidence, CONFLICT_CAP)
        reasons.append(Reason("conflict", 0, ", ".join(book.customers[c].code for c in ranked[:3])))
    assert sum(a for _, a in allocations) + unapplied == receipt.amount, "a match must account for every cent"
    return Match(
        status="auto" if confidence >= rules.threshold and allocations else "suggested",
        confidence=confidence,
        customer_id=customer_id,
        allocations=tuple(allocations),
        charge=charge,
        discount=discount,
        unapplied=unapplied,
        reasons=tuple(reasons),
    )
