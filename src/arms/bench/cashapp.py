"""``arms bench cashapp``: how often, how rightly and how fast cash application decides, measured on bank lines whose
truth is known.

A seeded **ledger** (customers with Chinese company names built from real 字号 - ``../shared/data/cn_company_names``
- a province or city, a trade and a legal form; their open invoices with VAT invoice numbers and contract numbers;
learned payer accounts; group parents and factoring companies that pay for some of them) and, with a seed of its own,
**bank lines** in difficulty classes, each with the allocation it truly pays (its *truth*):

=================  =================================================================================================
clean_reference    the registered name, one invoice number or 发票号码 in the text, the exact amount
noisy_reference    the number as people type it: no dashes, leading zeros dropped, full-width, 中文标点, "3月货款 …"
name_only          no reference: a name variant (short form, province prefix moved, brackets) and the amount of one
                   open item (the oldest, mostly)
many_items         one payment for two to five items, listed in the text or not
partial            part of one invoice, named in the text
charges            short by a bank charge (≤ 50.00) the payer deducted: the invoice is settled in full
third_party        a group parent or a factoring company pays (learned as the customer's payer, or not)
non_customer       not a receipt: interest, fees, refunds, transfers between own accounts, a subsidy, money out
=================  =================================================================================================

The matcher then runs exactly as production does: one ``Book`` built from all customers and open items (as
``arms.bank.services.matching.load_book`` builds it from the ledger), the default ``Rules`` (threshold 85), ``match``
per line. ``score`` compares each match with its truth. The generator does not model everything real statements do:
see docs/benchmarks.md.

Plain Python on the domain's dataclasses, so the tests run it without a database; ``demo_statement_csv`` is the one
function that reads the ledger (the demo's).
"""

from __future__ import annotations

import random
import time
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from django.utils import timezone

from arms.bank.enums import AliasKind  # the functions here that need Django and the ledger
from arms.bank.models import PayerAlias
from arms.bank.samples import SampleLine, generic_statement
from arms.customers.models import Customer as CustomerRow
from arms.domain.cashapp import Book, Customer, Item, Match, Receipt, Rules, match, name_key
from arms.domain.uscc import ALPHABET, make_uscc
from arms.ledger.models import Invoice

if TYPE_CHECKING:
    from arms.customers.models import Company

CLASSES = (
    "clean_reference", "noisy_reference", "name_only", "many_items", "partial", "charges", "third_party",
    "non_customer",
)  # fmt: skip
# the share of each class in a generated statement, in percent
CLASS_WEIGHTS = {
    "clean_reference": 20, "noisy_reference": 15, "name_only": 20, "many_items": 10, "partial": 6, "charges": 10,
    "third_party": 7, "non_customer": 12,
}  # fmt: skip

NAMES_FILE = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "cn_company_names" / (
    "Company-Shorter-Form-28W.txt"
)
OWN_COMPANY = "华东示范实业有限公司"
FIXED_AMOUNT_SHARE = 0.1  # customers billed the same amount every time (a monthly fee, a rent)
TYPO_SHARE = 0.03  # noisy references with a digit mistyped (the number may be another invoice's, or nobody's)
OWN_ACCOUNTS = ("1001 2345 6789 0123 456", "3100 5566 7788 9900")

REGIONS = (
    "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "江苏", "浙江", "安徽", "福建", "江西", "山东",
    "河南", "湖北", "湖南", "广东", "四川", "陕西", "深圳", "广州", "杭州", "南京", "苏州", "宁波", "厦门", "青岛",
    "武汉", "成都", "西安", "长沙", "郑州", "济南", "合肥", "无锡", "佛山", "东莞",
)  # fmt: skip
MUNICIPALITIES = {"北京", "天津", "上海", "重庆"}
TRADES = (
    "科技", "贸易", "电子", "化工", "机械", "实业", "物流", "建材", "食品", "医药", "纺织", "汽车零部件", "包装",
    "新材料", "信息技术", "环保科技", "精密制造", "供应链管理", "五金", "电气", "塑胶", "商贸", "工贸",
)  # fmt: skip
BANKS = (
    "中国工商银行", "中国建设银行", "中国农业银行", "中国银行", "交通银行", "招商银行", "浦发银行", "兴业银行",
)  # fmt: skip
_FALLBACK_CHARACTERS = (
    "安邦宝诚达鼎丰福富光广国海瀚和恒宏华汇佳嘉金锦久聚凯康力联隆"
    "茂美明鹏启瑞润森盛泰天通伟祥新鑫兴旭亚阳耀益永裕远悦泽振正中众卓"
)


# --- the ledger ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ledger:
    """What the matcher is given (customers, open items) and what the line generator needs to write lines."""

    customers: list[Customer]
    items: list[Item]
    short_names: dict[int, str]  # customer id -> its 字号
    regions: dict[int, str]  # customer id -> its province or city
    trades: dict[int, str]  # customer id -> its trade
    third_parties: dict[int, tuple[str, bool]] = field(default_factory=dict)  # id -> (payer name, learned)
    outsiders: list[str] = field(default_factory=list)  # 字号 of no customer (suppliers, the bank's other clients)


def read_names(path: Path | str | None = None) -> list[str]:
    """Company short forms (字号), one a line; the file's own header lines and non-Chinese lines are skipped.

    Without the shared data, short names are made up from a few characters (the figures are then less realistic)."""
    source = Path(path) if path else NAMES_FILE
    if not source.exists():
        if path:
            raise FileNotFoundError(source)
        rng = random.Random(0)
        return sorted({"".join(rng.sample(_FALLBACK_CHARACTERS, rng.choice((2, 2, 3)))) for _n in range(60_000)})
    names = []
    for line in source.read_text(encoding="utf-8-sig").splitlines():
        name = line.strip()
        if 2 <= len(name) <= 6 and all("\u4e00" <= ch <= "\u9fff" for ch in name):
            names.append(name)
    return names


def _account(rng: random.Random) -> str:
    return str(rng.randrange(10**15, 10**19))


def _amount(rng: random.Random) -> int:
    """A gross invoice amount in fen: net from 500 to 800,000 yuan (log-uniform, often round) plus 13% VAT."""
    net = int(10 ** rng.uniform(4.7, 7.9))
    if rng.random() < 0.5:
        net = max(100_00, net // 100_00 * 100_00)
    return net + net * 13 // 100


def generate_ledger(
    customers: int, *, seed: int, today: date, names: list[str] | None = None, items_per_customer: float = 3.0
) -> Ledger:
    """``customers`` customers with their open items (about ``items_per_customer`` each), reproducible by ``seed``."""
    rng = random.Random(seed)
    pool = names if names is not None else read_names()
    unique = list(dict.fromkeys(pool))
    rng.shuffle(unique)
    reserve = min(len(unique) // 10, 2_000)
    outsiders, usable = unique[:reserve], unique[reserve:] or unique
    result_customers: list[Customer] = []
    items: list[Item] = []
    short_names, regions, trades, third_parties = {}, {}, {}, {}
    invoice_seq = vat_seq = contract_seq = 0
    for n in range(1, customers + 1):
        short = usable[(n - 1) % len(usable)]
        region, trade = rng.choice(REGIONS), rng.choice(TRADES)
        style = rng.random()
        city = region + ("市" if region in MUNICIPALITIES or style < 0.3 else "")
        if style < 0.6:
            name = f"{city}{short}{trade}有限公司"
        elif style < 0.8:
            name = f"{short}{trade}（{region}）有限公司"
        elif style < 0.9:
            name = f"{city}{short}{trade}股份有限公司"
        else:
            name = f"{short}{trade}有限公司"
        stem = "91" + "".join(rng.choice(ALPHABET[:10]) for _ in range(6)) + "".join(
            rng.choice(ALPHABET) for _ in range(9)
        )
        accounts = frozenset({_account(rng)}) if rng.random() < 0.5 else frozenset()
        payers: frozenset[str] = frozenset()
        if rng.random() < 0.08:
            payer = (
                f"{short}集团有限公司" if rng.random() < 0.6
                else f"{rng.choice(outsiders or usable)}商业保理有限公司"
            )  # fmt: skip
            learned = rng.random() < 0.6
            third_parties[n] = (payer, learned)
            if learned:
                payers = frozenset({payer})
        result_customers.append(
            Customer(n, f"C{n:06d}", name, uscc=make_uscc(stem), accounts=accounts, payer_names=payers)
        )
        short_names[n], regions[n], trades[n] = short, region, trade
        count = max(1, min(30, int(rng.expovariate(1 / items_per_customer)) + 1))
        fixed = _amount(rng) if rng.random() < FIXED_AMOUNT_SHARE else 0  # a monthly fee: every invoice the same amount
        contract = ""
        if rng.random() < 0.4:
            contract_seq += 1
            contract = f"HT-{today.year - rng.choice((0, 1))}-{contract_seq:05d}"
        for _k in range(count):
            invoice_seq += 1
            issued = today - timedelta(days=rng.randrange(5, 200))
            due = issued + timedelta(days=rng.choice((0, 30, 30, 60, 90)))
            vat = ""
            kind = rng.random()
            if kind < 0.6:
                vat_seq += 1
                vat = f"{(vat_seq * 7919) % 10**8:08d}"
            elif kind < 0.8:
                vat = f"{today.year % 100:02d}{rng.randrange(10**17, 10**18)}"
            items.append(
                Item(
                    id=invoice_seq,
                    customer_id=n,
                    number=f"INV-{issued.year}-{invoice_seq:06d}",
                    amount_open=fixed or _amount(rng),
                    due_date=due,
                    issue_date=issued,
                    vat_number=vat,
                    contract_number=contract if rng.random() < 0.7 else "",
                )
            )
    return Ledger(result_customers, items, short_names, regions, trades, third_parties, outsiders)


# --- the lines -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Truth:
    """What a line truly pays: a customer's items, amount by amount, and the bank charge that settles the rest."""

    customer_id: int
    allocations: tuple[tuple[int, int], ...]
    charge: int = 0


@dataclass(frozen=True)
class Case:
    """One generated bank line: its class, what the matcher sees, and the truth (None: not a customer receipt)."""

    kind: str
    receipt: Receipt
    truth: Truth | None
    reference: str  # the bank's 流水号
    bank: str = ""


_FULL_WIDTH = {ord(ch): ord(ch) + 0xFEE0 for ch in "0123456789-ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
_FULL_WIDTH[ord("-")] = ord("－")


def noisy(number: str, rng: random.Random) -> str:
    """A document number as people type it into a 附言: one or two kinds of noise."""
    text = number
    for _n in range(rng.choice((1, 1, 2))):
        kind = rng.randrange(6)
        if kind == 0:
            text = text.replace("-", "")
        elif kind == 1:
            text = "-".join(part.lstrip("0") or "0" if part.isdigit() else part for part in text.split("-"))
        elif kind == 2:
            text = text.translate(_FULL_WIDTH)
        elif kind == 3:
            text = text.lower()
        elif kind == 4:
            text = text.replace("-", " ")
        else:
            text = text.replace("-", "_" if rng.random() < 0.5 else "/")
    return text


def name_variant(ledger: Ledger, customer: Customer, rng: random.Random) -> str:
    """How the customer's name shows on a statement when it is not the registered one."""
    short, region, trade = (ledger.short_names[customer.id], ledger.regions[customer.id],
                            ledger.trades[customer.id])
    kind = rng.randrange(7)
    if kind == 6:  # a branch paying for its company
        return f"{customer.name}{rng.choice(REGIONS)}分公司"
    if kind == 0:  # brackets the other way, half-width
        return unicodedata.normalize("NFKC", customer.name).replace("（", "(").replace("）", ")")
    if kind == 1:  # region moved into brackets
        return f"{short}{trade}({region})有限公司"
    if kind == 2:  # region prefixed with its 省/市
        return f"{region}{'市' if region in MUNICIPALITIES else '省'}{short}{trade}有限公司"
    if kind == 3:  # no legal form
        return f"{region}{short}{trade}"
    if kind == 4:  # short form with its trade
        return f"{short}{trade}"
    return f"{short}{trade}公司"


def _pick(rng: random.Random, open_items: list[Item], count: int) -> list[Item]:
    """``count`` items a customer would pay together: mostly its oldest, sometimes any."""
    if count >= len(open_items):
        return list(open_items)
    if rng.random() < 0.7:
        return open_items[:count]
    return sorted(rng.sample(open_items, count), key=lambda i: (i.due_date, i.issue_date, i.id))


def _reference_text(item: Item, rng: random.Random, *, noise: bool) -> str:
    if item.vat_number and rng.random() < 0.3:
        vat = item.vat_number
        if noise:
            vat = vat.translate(_FULL_WIDTH) if rng.random() < 0.5 else vat.lstrip("0") or vat
        return rng.choice(("发票号码", "发票号", "票号")) + vat
    if item.contract_number and rng.random() < 0.15:
        return "合同" + (noisy(item.contract_number, rng) if noise else item.contract_number)
    if noise and rng.random() < TYPO_SHARE:  # one digit mistyped: often another invoice's number, of anyone
        return noisy(_mistype(item.number, rng), rng)
    return noisy(item.number, rng) if noise else item.number


def _mistype(number: str, rng: random.Random) -> str:
    """The number with one of its last three digits changed (INV-2026-000123 → INV-2026-000128)."""
    positions = [k for k, ch in enumerate(number) if ch.isdigit()][-3:]
    k = rng.choice(positions)
    return number[:k] + rng.choice([d for d in "0123456789" if d != number[k]]) + number[k + 1 :]


def _payment_text(items: list[Item], month: int, rng: random.Random, *, noise: bool) -> str:
    refs = [_reference_text(i, rng, noise=noise) for i in items]
    joined = ("、" if noise else ",").join(refs)
    if not noise:
        return rng.choice(("付", "支付发票", "货款 ", "")) + joined
    return rng.choice(
        (f"{month}月货款{joined}", f"付{joined}货款。", f"货款：{joined}，谢谢", f"{joined}（{month}月）")
    )


_PLAIN_TEXTS = ("货款", "付货款", "往来款", "采购款", "", "支付货款", "材料款", "服务费用")


def generate_lines(
    ledger: Ledger, lines: int, *, seed: int, today: date, weights: dict[str, int] | None = None
) -> list[Case]:
    """``lines`` bank lines over ``ledger`` in the classes of ``weights`` (default ``CLASS_WEIGHTS``), reproducible by
    ``seed``.

    Every item is paid by at most one line, so one ``Book`` of the whole ledger answers every line, as one matching
    run over a day's statement does."""
    rng = random.Random(seed)
    weights = weights or CLASS_WEIGHTS
    kinds = rng.choices(list(weights), weights=list(weights.values()), k=lines)
    open_by_customer: dict[int, list[Item]] = {}
    for item in sorted(ledger.items, key=lambda i: (i.due_date, i.issue_date, i.id)):
        open_by_customer.setdefault(item.customer_id, []).append(item)
    customers = {c.id: c for c in ledger.customers}
    third_party_ids = sorted(ledger.third_parties)
    order = list(customers)
    rng.shuffle(order)
    cursor = 0
    cases: list[Case] = []

    def next_customer(need: int, among: list[int] | None = None) -> Customer | None:
        nonlocal cursor
        pool = among if among is not None else order
        for _attempt in range(50):
            if among is not None:
                cid = rng.choice(pool) if pool else None
            else:
                cid = order[cursor % len(order)] if order else None
                cursor += 1
            if cid is not None and len(open_by_customer.get(cid, ())) >= need:
                return customers[cid]
        return None

    def take(customer: Customer, paid: list[Item]) -> None:
        gone = {i.id for i in paid}
        open_by_customer[customer.id] = [i for i in open_by_customer[customer.id] if i.id not in gone]

    for number, kind in enumerate(kinds, start=1):
        day = today - timedelta(days=rng.randrange(0, 20))
        reference = f"{day:%Y%m%d}{number:08d}"
        if kind == "non_customer":
            cases.append(_non_customer(ledger, rng, day, reference))
            continue
        need = {"many_items": 2}.get(kind, 1)
        customer = next_customer(need, third_party_ids if kind == "third_party" else None)
        if customer is None:  # the ledger is used up: the line is a plain one of a fresh customer
            customer, kind, need = next_customer(1), "clean_reference", 1
            if customer is None:
                cases.append(_non_customer(ledger, rng, day, reference))
                continue
        open_items = open_by_customer[customer.id]
        account = next(iter(customer.accounts)) if customer.accounts and rng.random() < 0.6 else _account(rng)
        payer = customer.name if rng.random() < 0.8 else name_variant(ledger, customer, rng)
        charge = 0
        if kind in ("clean_reference", "noisy_reference"):
            paid = _pick(rng, open_items, 1)
            allocations = [(paid[0].id, paid[0].amount_open)]
            text = _payment_text(paid, day.month, rng, noise=kind == "noisy_reference")
            amount = paid[0].amount_open
        elif kind == "name_only":
            paid = _pick(rng, open_items, 1)
            allocations = [(paid[0].id, paid[0].amount_open)]
            payer = name_variant(ledger, customer, rng) if rng.random() < 0.7 else customer.name
            text = (
                f"{paid[0].issue_date.month}月货款" if rng.random() < 0.4  # the month of the goods, as people write
                else rng.choice((*_PLAIN_TEXTS, f"{day.month}月货款", f"{(day.month - 2) % 12 + 1}-{day.month}月货款"))
            )  # fmt: skip
            amount = paid[0].amount_open
        elif kind == "many_items":
            paid = _pick(rng, open_items, rng.randint(2, min(5, len(open_items))))
            allocations = [(i.id, i.amount_open) for i in paid]
            text = (
                _payment_text(paid, day.month, rng, noise=rng.random() < 0.5) if rng.random() < 0.6
                else rng.choice(_PLAIN_TEXTS)
            )  # fmt: skip
            amount = sum(i.amount_open for i in paid)
        elif kind == "partial":
            paid = _pick(rng, open_items, 1)
            share = rng.choice((20, 30, 40, 50, 60, 70, 80))
            amount = max(1, paid[0].amount_open * share // 100 // 100_00 * 100_00) or paid[0].amount_open // 2
            amount = min(amount, paid[0].amount_open * 9 // 10) or 1
            allocations = [(paid[0].id, amount)]
            text = _payment_text(paid, day.month, rng, noise=rng.random() < 0.5) + rng.choice(
                ("部分款", "首付款", "预付款", "", "（分期）")
            )
        elif kind == "charges":
            paid = _pick(rng, open_items, 1)
            charge = rng.choice((500, 1000, 1500, 2000, 2500, 5000, rng.randrange(100, 5001)))
            charge = min(charge, paid[0].amount_open * 5 // 100)  # never more than the matcher's 5% bound
            amount = paid[0].amount_open - charge
            allocations = [(paid[0].id, amount)]
            text = (
                _payment_text(paid, day.month, rng, noise=rng.random() < 0.5) if rng.random() < 0.5
                else rng.choice(_PLAIN_TEXTS)
            )  # fmt: skip
        else:  # third_party
            paid = _pick(rng, open_items, rng.choice((1, 1, 2)))
            allocations = [(i.id, i.amount_open) for i in paid]
            payer, _learned = ledger.third_parties[customer.id]
            account = _account(rng)
            style = rng.random()
            if style < 0.6:
                text = _payment_text(paid, day.month, rng, noise=rng.random() < 0.5)
            elif style < 0.85:
                text = f"代{ledger.short_names[customer.id]}付货款"
            else:  # the third party's own words only: nothing tells whom it pays for unless it was learned
                text = rng.choice(_PLAIN_TEXTS)
            amount = sum(i.amount_open for i in paid)
        take(customer, paid)
        receipt = Receipt(amount=amount, booking_date=day, payer_name=payer, payer_account=account, text=text)
        truth = Truth(customer.id, tuple(sorted(allocations)), charge)
        cases.append(Case(kind, receipt, truth, reference, rng.choice(BANKS)))
    return cases


def _non_customer(ledger: Ledger, rng: random.Random, day: date, reference: str) -> Case:
    bank = rng.choice(BANKS)
    kind = rng.randrange(7)
    own = False
    outsider = rng.choice(ledger.outsiders) if ledger.outsiders else "远航"
    if kind == 0:
        payer, text = f"{bank}股份有限公司", rng.choice(("结息", "利息收入", "活期存款利息"))
        amount = rng.randrange(1, 500_000)
    elif kind == 1:
        payer, text = f"{outsider}商贸有限公司", rng.choice(("退款", "退货款", "多付款退回"))
        amount = _amount(rng) // 3
    elif kind == 2:
        payer, text, amount = OWN_COMPANY, rng.choice(("资金归集", "内部转账", "同名划转")), _amount(rng) * 3
        own = True
    elif kind == 3:
        payer = rng.choice(("上海市财政局", "国家税务总局上海市税务局", "上海市人力资源和社会保障局"))
        text, amount = rng.choice(("稳岗补贴", "出口退税", "财政补贴款")), _amount(rng)
    elif kind == 4:
        payer, text, amount = bank, rng.choice(("手续费", "账户管理费", "短信服务费")), -rng.randrange(500, 50_000)
    elif kind == 5:  # money out to a supplier
        payer, text, amount = f"{outsider}材料有限公司", "采购付款", -_amount(rng)
    else:  # a deposit returned by a landlord, no telltale word
        payer, text, amount = f"{outsider}物业管理有限公司", "押金", _amount(rng) // 10
    receipt = Receipt(
        amount=amount, booking_date=day, payer_name=payer,
        payer_account=OWN_ACCOUNTS[1] if own else _account(rng), text=text, from_own_account=own,
    )  # fmt: skip
    return Case("non_customer", receipt, None, reference, bank)


# --- scoring ---------------------------------------------------------------------------------------------------------


def is_right(found: Match, truth: Truth | None) -> bool:
    """A match equals the truth: same customer, same items with the same amounts, the same bank charge."""
    if truth is None:
        return found.status in ("ignored", "unmatched")
    return (
        found.customer_id == truth.customer_id
        and tuple(sorted(found.allocations)) == truth.allocations
        and found.charge == truth.charge
        and found.discount == 0
    )


@dataclass
class Figures:
    """Counts for one class (or all): lines, applied without a human and rightly so, suggested rightly, set aside."""

    lines: int = 0
    auto: int = 0
    auto_right: int = 0
    suggested: int = 0
    suggested_right: int = 0
    set_aside: int = 0  # ignored or unmatched

    def add(self, found: Match, truth: Truth | None) -> None:
        self.lines += 1
        right = is_right(found, truth)
        if found.status == "auto":
            self.auto += 1
            self.auto_right += right
        elif found.status == "suggested":
            self.suggested += 1
            self.suggested_right += right and truth is not None
        else:
            self.set_aside += 1

    def as_dict(self) -> dict:
        return {
            "lines": self.lines,
            "auto": self.auto,
            "auto_share": _share(self.auto, self.lines),
            "precision": _share(self.auto_right, self.auto),
            "suggested": self.suggested,
            "suggested_right_share": _share(self.suggested_right, self.lines),
            "set_aside": self.set_aside,
            "wrong_auto": self.auto - self.auto_right,
        }


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 6) if whole else None


def score(cases: Iterable[Case], matches: Iterable[Match]) -> dict[str, dict]:
    """Figures per class, for all customer receipts ("receipts") and for every line ("all").

    ``precision`` is right auto-applications over all auto-applications; in "all" a non-customer line applied to a
    customer counts as a wrong one."""
    per_class = {kind: Figures() for kind in CLASSES}
    receipts, everything = Figures(), Figures()
    for case, found in zip(cases, matches, strict=True):
        per_class[case.kind].add(found, case.truth)
        everything.add(found, case.truth)
        if case.truth is not None:
            receipts.add(found, case.truth)
    result = {kind: figures.as_dict() for kind, figures in per_class.items() if figures.lines}
    result["receipts"] = receipts.as_dict()
    result["all"] = everything.as_dict()
    return result


# --- the run ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    figures: dict[str, dict]
    timing: dict[str, float]
    statuses: dict[str, int]


def run(ledger: Ledger, cases: list[Case], rules: Rules | None = None) -> Run:
    """Build the book as production does, match every line, score the matches; CPU and wall seconds of each step."""
    wall, cpu = time.perf_counter(), time.process_time()
    book = Book(ledger.customers, ledger.items)
    book_wall, book_cpu = time.perf_counter() - wall, time.process_time() - cpu
    wall, cpu = time.perf_counter(), time.process_time()
    rules = rules or Rules()
    matches = [match(case.receipt, book, rules) for case in cases]
    match_wall, match_cpu = time.perf_counter() - wall, time.process_time() - cpu
    count = len(cases)
    timing = {
        "book_seconds_wall": round(book_wall, 3),
        "book_seconds_cpu": round(book_cpu, 3),
        "match_seconds_wall": round(match_wall, 3),
        "match_seconds_cpu": round(match_cpu, 3),
        "lines_per_second_wall": round(count / match_wall) if match_wall else 0,
        "lines_per_second_cpu": round(count / match_cpu) if match_cpu else 0,
    }
    statuses = dict(Counter(m.status for m in matches))
    return Run(score(cases, matches), timing, statuses)


# --- a demo statement ------------------------------------------------------------------------------------------------

def statement_csv(cases: list[Case], *, opening_balance: int = 0) -> bytes:
    """The lines, by date and reference, as a bank export in the generic CSV layout (``arms.bank.samples``)."""
    lines = [
        SampleLine(booking_date=c.receipt.booking_date, reference=c.reference, amount_minor=c.receipt.amount,
                   payer_name=c.receipt.payer_name, payer_account=c.receipt.payer_account, payer_bank=c.bank,
                   text=c.receipt.text)
        for c in sorted(cases, key=lambda c: (c.receipt.booking_date, c.reference))
    ]
    return generic_statement(lines, opening_minor=opening_balance)[0]


# the demo's mix: more of what a clerk has to look at (third parties, lines that are not receipts) than a real day has
DEMO_WEIGHTS = {
    "clean_reference": 15, "noisy_reference": 12, "name_only": 18, "many_items": 10, "partial": 6, "charges": 9,
    "third_party": 15, "non_customer": 15,
}  # fmt: skip


def demo_statement_csv(company: Company, n: int = 40, *, seed: int = 7, today: date | None = None) -> bytes:
    """A realistic statement of ``n`` lines paying the company's open invoices in every class, as generic CSV.

    Reads the company's customers and open invoices (the demo's seeded ledger); the lines are made with ``seed`` and
    dated over the 20 days up to ``today``. Import it into a bank account of the company (the CSV reads with the
    generic profile) and run matching: most lines apply themselves, third parties and lines that are not receipts
    wait for the clerk."""
    today = today or timezone.localdate()
    ledger = ledger_from_database(company, seed=seed)
    cases = generate_lines(ledger, n, seed=seed, today=today, weights=DEMO_WEIGHTS)
    return statement_csv(with_typos(cases, ledger, seed=seed))


def ledger_from_database(company: Company, *, seed: int) -> Ledger:
    """The company's customers, with the payer accounts and names ARMS learned, and its open CNY invoices, read from
    the same rows as ``arms.bank.services.matching.load_book`` reads them (a few queries, none per customer)."""
    accounts: dict[int, set[str]] = {}
    payers: dict[int, set[str]] = {}
    for customer_id, kind, value in PayerAlias.objects.filter(company=company).values_list(
        "customer_id", "kind", "value"
    ):
        (accounts if kind == AliasKind.ACCOUNT else payers).setdefault(customer_id, set()).add(value)
    customers = [
        Customer(pk, code, name, uscc=uscc or "", accounts=frozenset(accounts.get(pk, ())),
                 payer_names=frozenset(payers.get(pk, ())))
        for pk, code, name, uscc in CustomerRow.objects.filter(company=company).values_list(
            "id", "code", "name", "uscc"
        )
    ]  # fmt: skip
    items = [
        Item(pk, customer_id, number, amount_open, due, issued, vat_number=vat or "", contract_number=contract or "")
        for pk, customer_id, number, amount_open, due, issued, vat, contract in Invoice.objects.filter(
            company=company, amount_open_minor__gt=0, currency="CNY"
        )
        .order_by("due_date", "id")
        .values_list("id", "customer_id", "number", "amount_open_minor", "due_date", "issue_date",
                     "vat_invoice_number", "contract__number")
        .iterator(chunk_size=5000)
    ]  # fmt: skip
    return ledger_from(customers, items, seed=seed)


def with_typos(cases: list[Case], ledger: Ledger, *, seed: int, share: float = 0.5) -> list[Case]:
    """The demo's clerk needs something to confirm: ``share`` of the name-only lines come with a character missing
    from the payer's 字号 (a name the matcher finds only by resemblance, so it suggests and learns when accepted)."""
    rng = random.Random(seed)
    result = []
    for case in cases:
        if case.kind == "name_only" and case.truth and rng.random() < share:
            short = ledger.short_names[case.truth.customer_id]
            if len(short) >= 3:
                cut = rng.randrange(len(short))
                typo = short[:cut] + short[cut + 1 :]
                name = next(c.name for c in ledger.customers if c.id == case.truth.customer_id).replace(short, typo)
                case = Case(case.kind, replace(case.receipt, payer_name=name, payer_account=""), case.truth,
                            case.reference, case.bank)  # fmt: skip
        result.append(case)
    return result


def ledger_from(customers: list[Customer], items: list[Item], *, seed: int) -> Ledger:
    """A ``Ledger`` over customers and items that exist (the demo's): short forms, regions and trades are read back
    from the names as ``name_key`` reads them; third parties are made up for a few customers (not learned)."""
    rng = random.Random(seed)
    short_names, regions, trades, third_parties = {}, {}, {}, {}
    for c in customers:
        key = name_key(c.name)
        trade = next((t for t in sorted(TRADES, key=len, reverse=True) if key.endswith(t) and len(key) > len(t)), "")
        short_names[c.id] = key[: len(key) - len(trade)] if trade else key
        trades[c.id] = trade
        regions[c.id] = next((r for r in REGIONS if r in c.name), "上海")
        if rng.random() < 0.1:
            third_parties[c.id] = (f"{short_names[c.id]}集团有限公司", False)
    return Ledger(customers, items, short_names, regions, trades, third_parties, ["远航", "金桥", "东方"])
