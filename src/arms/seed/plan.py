"""The demo plan: every customer, contract, invoice, credit note and payment, drawn from one seed.

Nothing here touches the database. One ``random.Random(seed)`` and two Faker instances seeded with the
same number make every choice, in a fixed order, relative to the given "today" (`arms seed` takes the real
date unless told otherwise); the same arguments therefore always give the same plan, and ``load`` turns it
into the same documents.

Payment behaviour is per customer (``Behaviour``):

- prompt: pays within about a week of the due date;
- late: habitually about 30 days late;
- deteriorating: on time until the last months, then later and later (the newest invoices stay open);
- disputing: some invoices are disputed; older disputes end in a credit note and the rest is paid,
  recent ones are left unpaid;
- defaulted: paid, then stopped paying (about 8 months before today); deliveries stopped a few months
  later, so its open items are old.

Across behaviours: some invoices are paid in two parts, payments are by transfer or by bank or
commercial acceptance bill (with maturity dates), payments of the last weeks are not yet allocated
(unapplied cash), some customers paid an advance, and a few overseas customers buy in USD (zero-rated
exports, paid net of bank charges).

The current month is never empty, whatever day of it "today" is (the 1st too): one CNY customer that pays (on
time, if there is one) was invoiced and paid an advance in it, so the dashboard's collections of the month, its
DSO and the month's budget have something to show.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from faker import Faker

from arms.domain.money import split_largest_remainder
from arms.domain.terms import PaymentTerms
from arms.domain.terms import TermBasis as DomainBasis
from arms.domain.uscc import make_uscc

YUAN = 100  # minor units per yuan (and per US dollar)
MIN_GROSS = 10_000 * YUAN
MAX_GROSS = 2_000_000 * YUAN


class Behaviour(StrEnum):
    PROMPT = "prompt"
    LATE = "late"
    DETERIORATING = "deteriorating"
    DISPUTING = "disputing"
    DEFAULTED = "defaulted"


BEHAVIOUR_WEIGHTS = {
    Behaviour.PROMPT: 40,
    Behaviour.LATE: 25,
    Behaviour.DETERIORATING: 12,
    Behaviour.DISPUTING: 13,
    Behaviour.DEFAULTED: 10,
}

BEHAVIOUR_NOTES = {
    Behaviour.PROMPT: "演示数据：付款及时，通常在到期日前后一周内付款。",
    Behaviour.LATE: "演示数据：习惯性逾期，通常在到期后约30天付款。",
    Behaviour.DETERIORATING: "演示数据：近几个月付款越来越晚。",
    Behaviour.DISPUTING: "演示数据：常对质量、数量提出异议；部分发票以红字发票折让，近期争议发票尚未付款。",
    Behaviour.DEFAULTED: "演示数据：自{stop}起停止付款，已暂停发货。",
}


@dataclass(frozen=True)
class Place:
    region: str
    province: str
    city: str
    division: str  # 行政区划代码, the 3rd to 8th characters of a 统一社会信用代码
    weight: int


PLACES = [
    Place("north", "北京市", "北京市", "110105", 5),
    Place("north", "天津市", "天津市", "120116", 4),
    Place("north", "河北省", "石家庄市", "130100", 3),
    Place("north", "山西省", "太原市", "140100", 1),
    Place("northeast", "辽宁省", "沈阳市", "210100", 3),
    Place("northeast", "辽宁省", "大连市", "210200", 2),
    Place("northeast", "吉林省", "长春市", "220100", 2),
    Place("northeast", "黑龙江省", "哈尔滨市", "230100", 1),
    Place("east", "上海市", "上海市", "310115", 8),
    Place("east", "江苏省", "苏州市", "320500", 8),
    Place("east", "江苏省", "无锡市", "320200", 4),
    Place("east", "浙江省", "宁波市", "330200", 5),
    Place("east", "浙江省", "杭州市", "330100", 4),
    Place("east", "安徽省", "合肥市", "340100", 3),
    Place("east", "福建省", "厦门市", "350200", 2),
    Place("east", "山东省", "青岛市", "370200", 4),
    Place("east", "山东省", "济南市", "370100", 2),
    Place("south", "广东省", "深圳市", "440300", 6),
    Place("south", "广东省", "东莞市", "441900", 4),
    Place("south", "广东省", "佛山市", "440600", 3),
    Place("south", "广西壮族自治区", "柳州市", "450200", 1),
    Place("central", "湖北省", "武汉市", "420100", 3),
    Place("central", "湖南省", "长沙市", "430100", 3),
    Place("central", "河南省", "郑州市", "410100", 3),
    Place("central", "江西省", "南昌市", "360100", 1),
    Place("southwest", "重庆市", "重庆市", "500112", 3),
    Place("southwest", "四川省", "成都市", "510100", 3),
    Place("southwest", "贵州省", "贵阳市", "520100", 1),
    Place("southwest", "云南省", "昆明市", "530100", 1),
    Place("northwest", "陕西省", "西安市", "610100", 2),
    Place("northwest", "甘肃省", "兰州市", "620100", 1),
    Place("northwest", "宁夏回族自治区", "银川市", "640100", 1),
    Place("northwest", "新疆维吾尔自治区", "乌鲁木齐市", "650100", 1),
]

INDUSTRY_WEIGHTS = {
    "manufacturing": 25, "automotive": 14, "electronics": 12, "construction": 10, "energy": 9, "wholesale": 9,
    "logistics": 5, "healthcare": 4, "agriculture": 3, "services": 4, "public": 3, "other": 2,
}

#: What the demo manufacturer (pumps, valves, motors, drives) sells at 13% VAT: (name, unit, unit price in yuan).
GOODS = [
    ("IS型离心泵", "台", 6_800), ("不锈钢球阀 DN100", "个", 1_450), ("三相异步电机 55kW", "台", 18_600),
    ("数控机床主轴组件", "套", 42_000), ("液压油缸", "支", 5_300), ("硬齿面减速机", "台", 23_500),
    ("变频控制柜", "台", 36_800), ("精密圆锥滚子轴承", "套", 880), ("板式换热器", "台", 58_000),
    ("螺杆式空压机", "台", 96_000), ("电动蝶阀 DN200", "个", 4_200), ("多级管道泵", "台", 12_400),
]
#: Services at 9% (installation, transport) and 6% (technical and maintenance services).
SERVICES_9 = ["设备安装服务", "设备运输服务"]
SERVICES_6 = ["技术服务费", "设备维保服务费", "远程运维平台服务费"]

MILESTONES = [("预付款", 3000, 7), ("到货款", 4000, 30), ("验收款", 2500, 30), ("质保金", 500, 365)]

CREDIT_REASONS = ["质量问题折让", "数量短缺，按实收数量冲红", "价格调整（年度返利）", "部分退货"]
FULL_CREDIT_REASON = "整批退货，全额冲红"

#: 12-digit bank codes (大额支付行号) of the accepting banks on the demo's acceptance bills.
BANKS = ["102100099996", "103100000026", "104100000004", "105100000017", "308584000013", "301290000007"]

VENUES = [
    ("litigation", "卖方所在地人民法院"),
    ("arbitration", "上海国际经济贸易仲裁委员会"),
    ("arbitration", "中国国际经济贸易仲裁委员会"),
]
GUARANTEES = [
    ("none", ""), ("none", ""), ("none", ""),
    ("personal", "实际控制人提供连带责任保证"),
    ("bank_guarantee", "买方开户行出具见索即付履约保函，金额为合同总额的10%"),
    ("deposit", "买方预交合同总额5%的保证金"),
]


@dataclass
class ContactPlan:
    name: str
    role: str
    phone: str
    email: str
    is_primary: bool


@dataclass
class ContractPlan:
    number: str
    title: str
    signed: date
    start: date
    end: date
    amount_minor: int
    late_interest_daily: Decimal
    penalty_rate: Decimal
    penalty_clause: str
    guarantee_type: str
    guarantee_details: str
    dispute_resolution: str
    venue: str
    milestones: list[tuple[str, int, int]] = field(default_factory=list)

    def completed_by(self, today: date) -> bool:
        return self.end < today


@dataclass
class CustomerPlan:
    index: int
    code: str
    name: str
    uscc: str
    industry: str
    region: str
    province: str
    address: str
    salesperson: str
    collector: str
    terms_days: int
    terms_basis: str
    currency: str
    behaviour: Behaviour
    notes: str
    contacts: list[ContactPlan] = field(default_factory=list)
    contracts: list[ContractPlan] = field(default_factory=list)
    on_hold: bool = False


@dataclass
class InvoicePlan:
    key: int
    customer: int
    contract: str | None
    issue: date
    due: date
    explicit_due: bool
    net: int
    tax: int
    vat_number: str
    description: str

    @property
    def gross(self) -> int:
        return self.net + self.tax


@dataclass
class CreditNotePlan:
    invoice: int
    customer: int
    on: date
    net: int
    tax: int
    reason: str


@dataclass
class PaymentPlan:
    customer: int
    received: date
    amount: int
    currency: str
    method: str
    bill_number: str
    bill_maturity: date | None
    bank_reference: str
    payer: str
    lines: list[tuple[int, int]]
    allocate: bool


@dataclass
class RatePlan:
    currency: str
    on: date
    rate: Decimal


@dataclass
class Plan:
    seed: int
    today: date
    start: date
    deteriorating_from: date  # deteriorating customers pay later and later for what falls due from here on
    defaulted_from: date  # defaulted customers paid nothing from this day on
    customers: list[CustomerPlan]
    rates: list[RatePlan]
    invoices: list[InvoicePlan]
    credit_notes: list[CreditNotePlan]
    payments: list[PaymentPlan]

    def ledger_events(self) -> list[tuple[date, str, object]]:
        """Invoices, credit notes and payments in the order they happened (same day: that order)."""
        order = {"invoice": 0, "credit_note": 1, "payment": 2}
        events = [(i.issue, "invoice", i) for i in self.invoices]
        events += [(c.on, "credit_note", c) for c in self.credit_notes]
        events += [(p.received, "payment", p) for p in self.payments]
        return [
            (on, kind, obj) for _position, (on, kind, obj) in sorted(
                enumerate(events), key=lambda e: (e[1][0], order[e[1][1]], e[1][2].customer, e[0])
            )
        ]


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def org_code_check(body: str) -> str:
    """GB 11714 check character of an 8-character organisation code body."""
    weights = [3, 7, 9, 10, 5, 8, 4, 2]
    values = [int(ch) if ch.isdigit() else ord(ch) - ord("A") + 10 for ch in body]
    check = 11 - sum(v * w for v, w in zip(values, weights, strict=True)) % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def tax_of(net: int, rate_bp: int) -> int:
    """VAT on ``net`` at ``rate_bp`` basis points, rounded half up to the fen."""
    return (net * rate_bp + 5_000) // 10_000


def net_of(gross: int, rate_bp: int) -> int:
    """The net part of a tax-inclusive ``gross`` at ``rate_bp``, rounded half up."""
    return (2 * gross * 10_000 + 10_000 + rate_bp) // (2 * (10_000 + rate_bp))


class Planner:
    def __init__(self, *, customers: int, seed: int, months: int, today: date):
        if customers < 1:
            raise ValueError("at least one customer")
        if not 3 <= months <= 120:
            raise ValueError("months must be between 3 and 120")
        self.count = customers
        self.seed = seed
        self.today = today
        self.start = add_months(today.replace(day=1), -(months - 1))
        self.span_days = (today - self.start).days
        self.deteriorating_from = today - timedelta(days=min(183, self.span_days // 2))
        self.defaulted_from = today - timedelta(days=min(240, int(self.span_days * 0.4)))
        self.last_delivery = self.defaulted_from + timedelta(days=min(90, int(self.span_days * 0.2)))
        self.rng = random.Random(seed)
        self.cn = Faker("zh_CN")
        self.cn.seed_instance(seed)
        self.en = Faker("en_US")
        self.en.seed_instance(seed)
        self.invoices: list[InvoicePlan] = []
        self.credit_notes: list[CreditNotePlan] = []
        self.payments: list[PaymentPlan] = []
        self.contract_numbers: dict[int, int] = {}
        self.names: set[str] = set()
        self.usccs: set[str] = set()

    # ---- small draws -------------------------------------------------------------------------------

    def digits(self, n: int) -> str:
        return "".join(self.rng.choice("0123456789") for _ in range(n))

    def weighted(self, weights: dict):
        keys = list(weights)
        return self.rng.choices(keys, weights=[weights[k] for k in keys])[0]

    def day_between(self, first: date, last: date) -> date:
        return first + timedelta(days=self.rng.randint(0, max(0, (last - first).days)))

    def contract_number(self, year: int) -> str:
        self.contract_numbers[year] = self.contract_numbers.get(year, 0) + 1
        return f"XS{year}-{self.contract_numbers[year]:04d}"

    # ---- customers ---------------------------------------------------------------------------------

    def behaviours(self) -> list[Behaviour]:
        kinds = list(BEHAVIOUR_WEIGHTS)
        counts = split_largest_remainder(self.count, [BEHAVIOUR_WEIGHTS[k] for k in kinds])
        if self.count >= len(kinds):
            for index, value in enumerate(counts):
                if value == 0:
                    counts[counts.index(max(counts))] -= 1
                    counts[index] = 1
        result = [kind for kind, n in zip(kinds, counts, strict=True) for _ in range(n)]
        self.rng.shuffle(result)
        return result

    def unique_name(self, make) -> str:
        for _attempt in range(20):
            name = make()
            if name not in self.names:
                break
        else:
            name = f"{make()}（{len(self.names) + 1}）"
        self.names.add(name)
        return name

    def uscc(self, division: str) -> str:
        while True:
            body = self.digits(8)
            code = make_uscc(f"91{division}{body}{org_code_check(body)}")
            if code not in self.usccs:
                self.usccs.add(code)
                return code

    def customer(self, index: int, behaviour: Behaviour, usd: bool) -> CustomerPlan:
        width = max(4, len(str(self.count)))
        code = f"C{index + 1:0{width}d}"
        salesperson = self.rng.choice(["sales1", "sales2", "sales3"])
        industry = self.weighted(INDUSTRY_WEIGHTS)
        if usd:
            name = self.unique_name(self.en.company)
            contacts = [
                ContactPlan(self.en.name(), "Accounts Payable", self.en.phone_number(), self.en.company_email(), True),
                ContactPlan(self.en.name(), "Purchasing Manager", self.en.phone_number(), self.en.company_email(),
                            False),
            ]
            return CustomerPlan(
                index=index, code=code, name=name, uscc="", industry=industry, region="overseas", province="",
                address=self.en.address().replace("\n", ", "), salesperson=salesperson, collector="collector2",
                terms_days=60, terms_basis="invoice_date", currency="USD", behaviour=behaviour,
                notes=BEHAVIOUR_NOTES[behaviour] if behaviour != Behaviour.DEFAULTED else "", contacts=contacts,
            )
        place = self.rng.choices(PLACES, weights=[p.weight for p in PLACES])[0]
        name = self.unique_name(self.cn.company)
        if industry == "public":
            terms_days, basis = 90, "invoice_date"
        else:
            terms_days = self.rng.choices([30, 45, 60, 90], weights=[35, 20, 30, 15])[0]
            basis = "month_end" if self.rng.random() < 0.3 else "invoice_date"
        roles = ["财务经理", "采购经理", "出纳"]
        contacts = [
            ContactPlan(self.cn.name(), roles[n], self.cn.phone_number(), self.cn.free_email(), n == 0)
            for n in range(self.rng.randint(1, 3))
        ]
        address = f"{place.province}{place.city if place.city != place.province else ''}{self.cn.district()}区" \
                  f"{self.cn.street_name()}{self.rng.randint(1, 999)}号"
        return CustomerPlan(
            index=index, code=code, name=name, uscc=self.uscc(place.division), industry=industry,
            region=place.region, province=place.province, address=address, salesperson=salesperson,
            collector="collector1" if place.region in ("north", "northeast", "east") else "collector2",
            terms_days=terms_days, terms_basis=basis, currency="CNY", behaviour=behaviour,
            notes=BEHAVIOUR_NOTES[behaviour] if behaviour != Behaviour.DEFAULTED else "", contacts=contacts,
        )

    # ---- contracts ---------------------------------------------------------------------------------

    def clauses(self) -> dict:
        daily = self.rng.choice([Decimal("0.0003"), Decimal("0.0005"), Decimal("0.0005"), Decimal("0.001")])
        penalty = self.rng.choice([Decimal("0.05"), Decimal("0.08"), Decimal("0.10")])
        per_10k = int(daily * 10_000)
        resolution, venue = self.rng.choice(VENUES)
        guarantee, details = self.rng.choice(GUARANTEES)
        clause = (
            f"买方逾期付款的，每逾期一日按逾期金额的万分之{'一二三四五六七八九十'[per_10k - 1]}支付逾期利息；"
            f"逾期超过60日的，卖方有权暂停发货、解除合同，并要求买方按未付金额的{int(penalty * 100)}%支付违约金。"
        )
        return {
            "late_interest_daily": daily, "penalty_rate": penalty, "penalty_clause": clause,
            "guarantee_type": guarantee, "guarantee_details": details, "dispute_resolution": resolution,
            "venue": venue,
        }

    def framework(self, year: int, first_day: date, monthly_net: int) -> ContractPlan:
        start = max(date(year, 1, 1), first_day)
        annual = monthly_net * 12 * 113 // 100 * 13 // 10
        return ContractPlan(
            number=self.contract_number(year), title=f"{year}年度产品购销框架协议",
            signed=start - timedelta(days=self.rng.randint(3, 20)), start=start, end=date(year, 12, 31),
            amount_minor=max(MIN_GROSS, -(-annual // (10_000 * YUAN)) * 10_000 * YUAN), **self.clauses(),
        )

    # ---- invoices ----------------------------------------------------------------------------------

    def vat_number(self, on: date, customer: CustomerPlan) -> str:
        """A 20-digit 数电票 number: year (2), province (2), issuing channel (1), serial (15)."""
        return f"{on.year % 100:02d}{customer.uscc[2:4] if customer.uscc else '00'}2{self.digits(15)}"

    def goods_invoice(self, customer: CustomerPlan, on: date, monthly_net: int) -> tuple[int, int, str]:
        """(net, tax, description) of an ordinary delivery invoice: goods at 13%, some services at 9% or 6%,
        zero-rated exports for USD customers; gross between 10k and 2M yuan (or its dollar equivalent)."""
        usd = customer.currency == "USD"
        if usd:
            rate_bp, text = 0, f"Export: {self.rng.choice(GOODS)[0]}"
        else:
            rate_bp = self.rng.choices([1300, 900, 600], weights=[85, 8, 7])[0]
            if rate_bp == 1300:
                product, unit, price = self.rng.choice(GOODS)
                text = f"{product}（约{max(1, monthly_net // (price * YUAN))}{unit}）"
            else:
                text = self.rng.choice(SERVICES_9 if rate_bp == 900 else SERVICES_6)
        wanted = int(monthly_net * self.rng.uniform(0.55, 1.6))
        ceiling = MAX_GROSS * 10_000 // (10_000 + rate_bp)
        floor = MIN_GROSS * 10_000 // (10_000 + rate_bp) + YUAN
        if usd:  # the limits are in yuan; a dollar is about seven
            ceiling, floor = ceiling // 7, floor // 7 + YUAN
        net = min(ceiling, max(floor, wanted)) // 50 * 50
        return net, tax_of(net, rate_bp), text

    def project(self, customer: CustomerPlan, monthly_net: int, first_day: date) -> tuple[ContractPlan, list]:
        """A project contract with milestones (预付款/到货款/验收款/质保金) and the invoices it has led to."""
        signed = self.day_between(max(first_day, self.start + timedelta(days=20)), self.today - timedelta(days=90))
        amount = int(monthly_net * self.rng.uniform(3, 8) * 1.13)
        amount = min(4_800_000 * YUAN, max(300_000 * YUAN, amount)) // (1_000 * YUAN) * (1_000 * YUAN)
        prepaid = signed + timedelta(days=self.rng.randint(3, 10))
        delivered = signed + timedelta(days=self.rng.randint(60, 120))
        accepted = delivered + timedelta(days=self.rng.randint(30, 60))
        line = self.rng.randint(1, 6)
        title = f"{customer.province or ''}{customer.name[:4]}{line}号生产线改造项目设备采购合同"
        contract = ContractPlan(
            number=self.contract_number(signed.year), title=title, signed=signed, start=signed,
            end=accepted + timedelta(days=365), amount_minor=amount,
            milestones=[(name, share, due) for name, share, due in MILESTONES], **self.clauses(),
        )
        shares = split_largest_remainder(amount, [share for _name, share, _due in MILESTONES])
        invoices = []
        for (name, _share, due_days), gross, on in zip(
            MILESTONES, shares, [prepaid, delivered, accepted, accepted], strict=True
        ):
            if on > self.today:
                break
            net = net_of(gross, 1300)
            invoices.append((on, on + timedelta(days=due_days), net, gross - net, f"{title}—{name}"))
        return contract, invoices

    # ---- payments ----------------------------------------------------------------------------------

    def delay(self, behaviour: Behaviour, due: date, window_start: date) -> int:
        if behaviour == Behaviour.PROMPT:
            return round(self.rng.triangular(-6, 6, 0))
        if behaviour == Behaviour.LATE:
            return self.rng.randint(20, 42)
        if behaviour == Behaviour.DETERIORATING:
            if due < window_start:
                return self.rng.randint(0, 10)
            months_in = (due - window_start).days / 30
            return 12 + int(months_in * 16) + self.rng.randint(0, 8)
        if behaviour == Behaviour.DEFAULTED:
            return self.rng.randint(5, 30)
        return self.rng.randint(5, 25)

    def method(self, received: date, usd: bool) -> dict:
        if usd:
            return self.transfer(received)
        draw = self.rng.random()
        if draw < 0.20:
            bank = draw < 0.14
            drawn = received - timedelta(days=self.rng.randint(0, 20))
            tenor = self.rng.choice([90, 180, 180, 180] if bank else [180, 365])
            return {
                "method": "bank_acceptance" if bank else "commercial_acceptance",
                "bill_number": f"{1 if bank else 2}{self.rng.choice(BANKS)}{drawn:%Y%m%d}{self.digits(9)}",
                "bill_maturity": drawn + timedelta(days=tenor), "bank_reference": "",
            }
        if draw < 0.22:
            return {"method": "online", "bill_number": "", "bill_maturity": None,
                    "bank_reference": f"WX{received:%Y%m%d}{self.digits(10)}"}
        return self.transfer(received)

    def transfer(self, received: date) -> dict:
        return {"method": "bank_transfer", "bill_number": "", "bill_maturity": None,
                "bank_reference": f"{received:%Y%m%d}{self.digits(12)}"}

    def split(self, amount: int, first: date, partial: float) -> list[tuple[date, int]]:
        if amount >= 40_000 * YUAN and self.rng.random() < partial:
            part = int(amount * self.rng.uniform(0.3, 0.7)) // (100 * YUAN) * (100 * YUAN)
            return [(first, part), (first + timedelta(days=self.rng.randint(20, 50)), amount - part)]
        return [(first, amount)]

    # ---- one customer's two years ------------------------------------------------------------------

    def customer_history(self, customer: CustomerPlan, this_month: bool) -> None:
        """Two years (``--months``) of the customer's invoices, credit notes and payments. ``this_month``: it is
        the customer that keeps the current month from being empty (an invoice and an advance in it)."""
        usd = customer.currency == "USD"
        behaviour = customer.behaviour
        rng = self.rng
        if usd:
            monthly_net = int(math.exp(rng.uniform(math.log(8_000), math.log(120_000)))) * YUAN
        else:
            monthly_net = int(math.exp(rng.uniform(math.log(15_000), math.log(900_000)))) * YUAN
        first_month = self.start
        if rng.random() < 0.15:  # a newer customer
            first_month = add_months(self.start, rng.randint(1, max(1, int(self.span_days / 30 * 0.6))))
        first_day = first_month + timedelta(days=rng.randint(0, 20))
        stop, last_delivery, window_start = self.defaulted_from, self.last_delivery, self.deteriorating_from

        frameworks = {}
        for year in range(first_day.year, self.today.year + 1):
            frameworks[year] = self.framework(year, first_day, monthly_net)
        customer.contracts.extend(frameworks.values())

        terms = PaymentTerms(customer.terms_days, DomainBasis(customer.terms_basis))
        dated: list[tuple[date, date, bool, int, int, str, str]] = []
        month = first_month
        while month <= self.today:
            n = rng.choices([0, 1, 2, 3], weights=[30, 60, 10, 0] if usd else [8, 62, 25, 5])[0]
            if this_month and month.year == self.today.year and month.month == self.today.month:
                n = max(n, 1)
            for on in sorted(self.day_between(max(month, first_day), min(self.today, month.replace(day=28)))
                             for _ in range(n)):
                if on < first_day or on > self.today:
                    continue
                if behaviour == Behaviour.DEFAULTED and on > last_delivery:
                    continue
                net, tax, text = self.goods_invoice(customer, on, monthly_net)
                dated.append((on, terms.due_date(on), False, net, tax, text, frameworks[on.year].number))
            month = add_months(month, 1)
        if not usd and self.span_days >= 150 and rng.random() < 0.3:
            contract, milestone_invoices = self.project(customer, monthly_net, first_day)
            customer.contracts.append(contract)
            for on, due, net, tax, text in milestone_invoices:
                if behaviour == Behaviour.DEFAULTED and on > last_delivery:
                    continue
                dated.append((on, due, True, net, tax, text, contract.number))
        dated.sort(key=lambda d: (d[0], d[6]))
        own: list[InvoicePlan] = []
        for on, due, explicit, net, tax, text, number in dated:
            key = len(self.invoices)
            invoice = InvoicePlan(key, customer.index, number, on, due, explicit, net, tax,
                                  self.vat_number(on, customer), text)
            self.invoices.append(invoice)
            own.append(invoice)

        disputed = self.disputes(customer, own) if behaviour == Behaviour.DISPUTING else {}
        parts: dict[date, list[tuple[int, int]]] = {}
        delays: dict[date, int] = {}
        for invoice in own:
            remaining = invoice.gross
            first = None
            if invoice.key in disputed:
                note = disputed[invoice.key]
                if note is None:
                    continue  # an open dispute: nothing is paid
                remaining -= note.net + note.tax
                first = note.on + timedelta(days=rng.randint(10, 30))
            if remaining == 0:
                continue
            if first is None:
                # the same delay for every invoice due the same day: a 月结 customer pays a month in one go
                if invoice.due not in delays:
                    delays[invoice.due] = self.delay(behaviour, invoice.due, window_start)
                first = max(invoice.issue + timedelta(days=1), invoice.due + timedelta(days=delays[invoice.due]))
            partial = 0.5 if behaviour == Behaviour.DEFAULTED and first > stop - timedelta(days=60) else 0.12
            for on, amount in self.split(remaining, first, partial):
                if usd:  # wired net of the banks' charges; the few dollars stay open on the invoice
                    amount -= rng.randint(15, 45) * YUAN
                if on > self.today or (behaviour == Behaviour.DEFAULTED and on >= stop) or amount <= 0:
                    break
                parts.setdefault(on, []).append((invoice.key, amount))
        for on in sorted(parts):
            lines = parts[on]
            fresh = on > self.today - timedelta(days=21)
            self.payments.append(PaymentPlan(
                customer=customer.index, received=on, amount=sum(amount for _key, amount in lines),
                currency=customer.currency, payer=customer.name, lines=lines,
                allocate=not (fresh and rng.random() < 0.35), **self.method(on, usd),
            ))
        wants_advance = behaviour != Behaviour.DEFAULTED and not usd and rng.random() < 0.08
        if this_month or wants_advance:
            on = (self.day_between(self.today.replace(day=1), self.today) if this_month
                  else self.today - timedelta(days=rng.randint(5, 60)))
            amount = max(10_000, int(monthly_net / YUAN * rng.uniform(0.3, 1.0)) // 10_000 * 10_000) * YUAN
            self.payments.append(PaymentPlan(
                customer=customer.index, received=on, amount=amount, currency=customer.currency,
                payer=customer.name, lines=[], allocate=False, **self.transfer(on),
            ))
        if behaviour == Behaviour.DEFAULTED:
            customer.notes = BEHAVIOUR_NOTES[behaviour].format(stop=f"{stop.year}年{stop.month}月")
            customer.on_hold = True

    def disputes(self, customer: CustomerPlan, own: list[InvoicePlan]) -> dict[int, CreditNotePlan | None]:
        """Which invoices the customer disputes: key -> the credit note that settled it, or None if open."""
        cutoff = self.today - timedelta(days=max(60, self.span_days // 3))
        chosen = {inv.key for inv in own if self.rng.random() < 0.3}
        old = [inv for inv in own if inv.issue < cutoff - timedelta(days=40)]
        recent = [inv for inv in own if inv.issue >= cutoff]
        if old and not chosen & {inv.key for inv in old}:
            chosen.add(old[0].key)
        if recent and not chosen & {inv.key for inv in recent}:
            chosen.add(recent[0].key)
        result: dict[int, CreditNotePlan | None] = {}
        for inv in own:
            if inv.key not in chosen:
                continue
            on = inv.issue + timedelta(days=self.rng.randint(15, 40))
            if inv.issue >= cutoff or on > self.today:
                result[inv.key] = None
                continue
            if self.rng.random() < 0.15:
                net, tax, reason = inv.net, inv.tax, FULL_CREDIT_REASON
            else:
                gross = max(YUAN, int(inv.gross * self.rng.uniform(0.05, 0.3)) // (100 * YUAN) * (100 * YUAN))
                tax = gross * inv.tax // inv.gross
                net, reason = gross - tax, self.rng.choice(CREDIT_REASONS)
            note = CreditNotePlan(inv.key, customer.index, on, net, tax, reason)
            self.credit_notes.append(note)
            result[inv.key] = note
        return result

    def exchange_rates(self) -> list[RatePlan]:
        """A weekly USD rate (a random walk around 7.2) from a week before the first invoice to today."""
        day = self.start - timedelta(days=self.start.weekday() + 7)
        rate = Decimal("7.1000") + Decimal(self.rng.randint(0, 1500)) / 10_000
        rates = []
        while day <= self.today:
            rates.append(RatePlan("USD", day, rate))
            step = Decimal(self.rng.randint(-250, 250)) / 10_000
            rate = min(Decimal("7.3500"), max(Decimal("6.9500"), rate + step))
            day += timedelta(days=7)
        return rates

    def plan(self) -> Plan:
        behaviours = self.behaviours()
        candidates = [i for i, b in enumerate(behaviours) if b in (Behaviour.PROMPT, Behaviour.LATE)]
        usd_count = min(len(candidates) - 1, max(1, round(self.count * 0.04))) if self.count >= 5 else 0
        usd = set(self.rng.sample(candidates, usd_count)) if usd_count > 0 else set()
        customers = [self.customer(i, behaviour, i in usd) for i, behaviour in enumerate(behaviours)]
        # a CNY customer that pays, on time if there is one: it keeps the current month from being empty
        payers = sorted((c for c in customers if c.currency == "CNY" and c.behaviour != Behaviour.DEFAULTED),
                        key=lambda c: (c.behaviour != Behaviour.PROMPT, c.behaviour != Behaviour.LATE, c.index))
        this_month = payers[0].index if payers else None
        for customer in customers:
            self.customer_history(customer, this_month=customer.index == this_month)
        return Plan(
            seed=self.seed, today=self.today, start=self.start, deteriorating_from=self.deteriorating_from,
            defaulted_from=self.defaulted_from, customers=customers,
            rates=self.exchange_rates() if usd else [], invoices=self.invoices, credit_notes=self.credit_notes,
            payments=self.payments,
        )


def make_plan(*, customers: int, seed: int, today: date, months: int = 24) -> Plan:
    """The whole demo up to ``today``, decided before anything is written."""
    return Planner(customers=customers, seed=seed, months=months, today=today).plan()
