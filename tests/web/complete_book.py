"""A small but complete book: one of everything a page can show, made through the services, for the page tests.

Customer 华东精密机械 (HD001) carries the whole story: a contract, contacts, invoices from 220 days overdue to not
yet due, payments (one allocated, one acceptance bill left unapplied), a dispute closed by a credit note and one
open, two ratings (one proposal accepted, one waiting), a limit request, overrides, three dunning runs (the
whole ladder: reminder before the due date, reminder, call, letter, stop supply with its hold, lawyer's letter,
hand-off), calls, visits and notes, tasks, promises kept, broken and open, an installment plan.
西南物流 (XN001) belongs to another salesperson and is excluded from dunning, with a manual hold and a plan
waiting for approval; 环球贸易 (GL001) owes in US dollars. Budgets and a stored monthly report complete it.
One user per role, every one with a Chinese name.

Everything is written as an installation in Simplified Chinese writes it (names of the default dunning ladder,
notes the services compose), because that is what a Chinese user sees. Dates are relative to today.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.utils import translation

from arms.accounts.roles import Role
from tests import factories

#: one user per role (two salespeople): key -> (username, role, family name, given name). Usernames are pinyin,
#: as in a Chinese company, and not English words, so they cannot hide an untranslated word on a page.
PEOPLE = {
    "sales": ("wangwei", Role.SALES, "王", "伟"),
    "sales_b": ("lifang", Role.SALES, "李", "芳"),
    "collector": ("liujing", Role.COLLECTOR, "刘", "静"),
    "credit": ("yangmin", Role.CREDIT_MANAGER, "杨", "敏"),
    "clerk": ("zhaoli", Role.FINANCE_CLERK, "赵", "丽"),
    "finmgr": ("huangjun", Role.FINANCE_MANAGER, "黄", "军"),
    "legal": ("zhouyang", Role.LEGAL, "周", "洋"),
    "auditor": ("wuyan", Role.AUDITOR, "吴", "艳"),
    "executive": ("xuyong", Role.EXECUTIVE, "徐", "勇"),
    "admin": ("sunchao", Role.ADMIN, "孙", "超"),
    "senior_collector": ("zhanghua", Role.SENIOR_COLLECTOR, "张", "华"),
}


@dataclass
class CompleteBook:
    today: date
    users: dict[str, object]
    #: a value for each path parameter of the pages, by parameter name (or "namespace:name.parameter")
    path_values: dict[str, object] = field(default_factory=dict)

    def user_of(self, role: str):
        """The book's user of ``role`` (the first salesperson, who owns HD001, for sales)."""
        key = next(key for key, (_username, r, _f, _g) in PEOPLE.items() if r == role)
        return self.users[key]


def build_complete_book(today: date) -> CompleteBook:
    # built outside any test (module fixtures), so the suite's unrated policy is set here: the book invoices unrated
    # customers far above the default limit, as the seed loads its history (issue 16)
    from django.test import override_settings

    with translation.override("zh-hans"), override_settings(ARMS_CREDIT_UNRATED_POLICY="warn"):
        return _build(today)


def _build(today: date) -> CompleteBook:
    from arms.analytics.models import BudgetScope
    from arms.analytics.services import budget_create
    from arms.cases.models import Activity, Task
    from arms.cases.services import (
        activity_record,
        dispute_raise,
        dispute_resolve,
        plan_approve,
        plan_request,
        promise_record,
        task_create,
    )
    from arms.cases.tasks import daily_checks
    from arms.common.models import Notification
    from arms.contracts.services import MilestoneIn, contract_create
    from arms.credit.models import RatingProposal
    from arms.credit.services import (
        credit_file_update,
        financial_statement_save,
        limit_request_create,
        proposal_accept,
        rating_run,
    )
    from arms.customers.services import company_ensure, contact_create
    from arms.dunning.models import DunningAction, DunningEmail, DunningPolicy, RunTrigger
    from arms.dunning.services import dunning_run, exclusion_add, policy_ensure_default, process_actions
    from arms.exposure.models import CreditHold
    from arms.exposure.services import hold_place, override_approve, override_request
    from arms.ledger.models import LedgerSettings
    from arms.ledger.services import exchange_rate_set, payment_allocate
    from arms.ledger.services.allocations import AllocationRequest
    from arms.ledger.services.approvals import manual_credit_note
    from arms.reports.jobs import monthly_job_start
    from arms.reports.models import ReportFormat, ReportTrigger
    from arms.reports.schedule import month_start, previous_month
    from arms.reports.services import report_generate

    users = {}
    for key, (username, role, family, given) in PEOPLE.items():
        user = factories.user(username, role=None if role == Role.ADMIN else role.value,
                              superuser=role == Role.ADMIN)
        user.last_name, user.first_name, user.email = family, given, f"{username}@arms.example.cn"
        user.save(update_fields=["last_name", "first_name", "email"])
        users[key] = user
    sales, collector, credit, clerk, finmgr = (users[n] for n in ("sales", "collector", "credit", "clerk", "finmgr"))

    company = company_ensure()
    company.name = "华东示范实业有限公司"
    company.save(update_fields=["name"])
    exchange_rate_set(actor=finmgr, currency="USD", on=today - timedelta(days=400), rate=Decimal("7.1000"))

    hd = factories.customer("HD001", name="华东精密机械有限公司", salesperson=sales, collector=collector,
                            industry="manufacturing", region="east", province="上海",
                            address="上海市浦东新区世纪大道100号", payment_terms_days=30)
    xn = factories.customer("XN001", name="西南物流有限公司", salesperson=users["sales_b"], collector=collector,
                            industry="logistics", region="southwest", province="四川")
    gl = factories.customer("GL001", name="环球贸易（香港）有限公司", salesperson=sales, collector=collector,
                            industry="wholesale", region="south", province="广东", currency="USD")
    contact_create(actor=sales, customer=hd, name="李娜", role="财务经理", phone="13800000000",
                   email="ap@huadong.example.cn", is_primary=True)
    contact_create(actor=sales, customer=hd, name="张强", role="采购经理", phone="13900000000")
    contract = contract_create(
        actor=sales, customer=hd, number="HT-2026-001", signed_date=today - timedelta(days=400),
        amount_minor=5_000_000_00, title="数控机床供货合同", payment_terms_days=30,
        late_interest_rate_daily=Decimal("0.0005"), penalty_rate=Decimal("0.05"),
        penalty_clause="买方逾期付款的，每逾期一日按逾期金额的万分之五支付逾期利息。", dispute_venue="上海仲裁委员会",
        milestones=[MilestoneIn(name="预付款", share_bp=3000, due_days=0),
                    MilestoneIn(name="验收款", share_bp=7000, due_days=30)],
    )

    def invoice(customer, days_ago: int, net: int, number: str, **kw):
        return factories.invoice(customer, net=net, tax=net * 13 // 100, issued=today - timedelta(days=days_ago),
                                 number=number, actor=clerk, **kw)

    h1 = invoice(hd, 220, 100_000_00, "INV-HD-1", contract=contract, description="数控机床首批")
    h2 = invoice(hd, 100, 60_000_00, "INV-HD-2", contract=contract)
    h3 = invoice(hd, 50, 40_000_00, "INV-HD-3")
    h4 = invoice(hd, 20, 20_000_00, "INV-HD-4")
    h5 = invoice(hd, 35, 10_000_00, "INV-HD-5")
    x1 = invoice(xn, 60, 30_000_00, "INV-XN-1")
    invoice(xn, 10, 5_000_00, "INV-XN-2")
    invoice(gl, 45, 8_000_00, "INV-GL-1")
    # early-payment discount (issue 16): HD001's invoice on 2/10, n/30 with its window open (invoice page, statement,
    # portal list and page)
    hd_discounted = invoice(hd, 2, 3_000_00, "INV-HD-6", discount_bp=200, discount_until=today + timedelta(days=8))

    paid = factories.payment(hd, amount=20_000_00, received=today - timedelta(days=60), number="RCV-HD-1",
                             actor=clerk, bank_reference="BR-0001", payer_name="华东精密机械有限公司")
    [paid_allocation] = payment_allocate(actor=clerk, payment=paid, lines=[AllocationRequest(h2.pk, 20_000_00)],
                                         on=today - timedelta(days=60))
    unapplied = factories.payment(hd, amount=5_000_00, received=today - timedelta(days=3), number="RCV-HD-2",
                                  actor=clerk, method="bank_acceptance", bill_number="BA-2026-0001",
                                  bill_maturity_date=today + timedelta(days=150))

    # credit: a file, last year's figures, a rating three months ago (accepted), one today (waiting)
    credit_file_update(customer=hd, actor=credit, bureau_rating="AA", bureau_name="中诚信征信", lawsuits_count=1,
                       dishonest_debtor=False, business_abnormal=False, external_checked_on=today - timedelta(days=20),
                       legal_representative="陈建国", business_scope="机械设备制造与销售")
    financial_statement_save(customer=hd, actor=credit, fiscal_year=today.year - 1, audited=True, source="审计报告",
                             total_assets_minor=800_000_000_00, total_liabilities_minor=480_000_000_00,
                             current_assets_minor=300_000_000_00, current_liabilities_minor=200_000_000_00,
                             revenue_minor=600_000_000_00, net_profit_minor=30_000_000_00,
                             operating_cash_flow_minor=40_000_000_00)
    earlier = rating_run(customer=hd, as_of=today - timedelta(days=90), actor=credit, reason="年度信用评审")
    proposal_accept(proposal=RatingProposal.objects.get(rating=earlier), actor=credit, reason="")
    rating = rating_run(customer=hd, as_of=today, actor=None, reason="季度复评", trigger="scheduled")
    rating_run(customer=xn, as_of=today, actor=credit, reason="新客户评级")
    limit_request = limit_request_create(customer=hd, actor=sales, requested_limit_minor=2_000_000_00,
                                         justification="客户新签年度框架合同")

    # exposure: a manual hold, an override waiting and one approved
    hold_place(customer=xn, reason_code="manual", note="客户涉诉，法务评估期间暂停赊销", actor=credit)
    override = override_request(customer=hd, amount_minor=50_000_00, currency="CNY", document_kind="invoice",
                                reason="重点项目首批到货，合同已签", actor=sales)
    approved = override_request(customer=gl, amount_minor=1_000_00, currency="USD", document_kind="invoice",
                                reason="年底备货订单", actor=clerk)
    override_approve(override=approved, actor=credit, note="同意一次")

    # dunning: the default ladder, XN kept out, three runs so HD climbs the whole ladder
    policy = policy_ensure_default()
    exclusion = exclusion_add(customer=xn, reason="正在商谈整体付款安排", actor=finmgr)
    for days_ago in (75, 35, 0):
        run = dunning_run(as_of=today - timedelta(days=days_ago), trigger=RunTrigger.CLI, actor=finmgr,
                          process=False)
        process_actions(run.pk, queue_email=False, documents_wanted=())

    # collections: contacts of every kind, tasks, promises, a dispute each way, plans
    for kind, outcome, note in [("call", "reached", "已联系财务，对方表示本月内安排付款。"),
                                ("call", "no_answer", "电话无人接听。"), ("visit", "promised", "上门拜访，确认欠款。"),
                                ("email", "sent", "已发送对账单。"), ("sms", "delivered", "已发送短信提醒。"),
                                ("meeting", "refused", "对方称资金紧张。"), ("note", "", "客户更换了财务负责人。")]:
        activity_record(customer=hd, kind=kind, outcome=outcome, note=note, actor=collector, invoices=[h1])
    task_create(customer=hd, kind="follow_up", title="确认付款计划", level="finance",
                due_on=today + timedelta(days=3), actor=collector)
    promise_record(customer=hd, amount_minor=10_000_00, promised_on=today - timedelta(days=58),
                   made_on=today - timedelta(days=65), actor=collector, contact_name="李娜", note="电话承诺")
    promise_record(customer=hd, amount_minor=20_000_00, promised_on=today - timedelta(days=3), invoices=[h3],
                   made_on=today - timedelta(days=12), actor=collector, contact_name="李娜", note="口头承诺")
    promise_record(customer=hd, amount_minor=5_000_00, promised_on=today + timedelta(days=5), invoices=[h4],
                   made_on=today - timedelta(days=1), actor=collector, contact_name="李娜", note="邮件确认付款日期")
    dispute = dispute_raise(invoice=h5, amount_minor=3_000_00, reason_code="quality", actor=collector,
                            raised_on=today - timedelta(days=4), description="部分货物破损")
    closed = dispute_raise(invoice=h3, amount_minor=2_000_00, reason_code="price", actor=collector,
                           raised_on=today - timedelta(days=20), description="单价与合同不符")
    dispute_resolve(dispute=closed, resolution="credit_note", actor=clerk, note="同意折让", credit_minor=2_000_00,
                    on=today - timedelta(days=2))
    plan = plan_request(customer=hd, invoices=[h2], installments=3, first_due_on=today + timedelta(days=10),
                        actor=collector, starts_on=today - timedelta(days=1), note="客户资金周转困难，分三期付款。")
    plan_approve(plan=plan, actor=finmgr, note="同意")
    pending_plan = plan_request(customer=xn, invoices=[x1], installments=2, first_due_on=today + timedelta(days=15),
                                actor=collector, note="分两期付款")
    daily_checks(as_of=today)

    # analytics and reports: budgets for this month and the last, and last month's report
    this_month = month_start(today)
    budget = budget_create(actor=finmgr, period=this_month, scope=BudgetScope.COMPANY,
                           collections_target_minor=100_000_00, dso_target_days=Decimal(45),
                           overdue_ratio_target_bp=2000, note="本月预算")
    budget_create(actor=finmgr, period=previous_month(this_month), scope=BudgetScope.SALESPERSON, user_id=sales.pk,
                  collections_target_minor=50_000_00, dso_target_days=Decimal(40), overdue_ratio_target_bp=1500)
    report_run = report_generate(month=previous_month(this_month), fmt=ReportFormat.XLSX, trigger=ReportTrigger.WEB,
                                 actor=finmgr, today=today)

    # a background job (queued: the test's transaction never commits, so the queue never sees it)
    monthly_job, _created = monthly_job_start(month=this_month, fmt=ReportFormat.PDF, email=False,
                                              trigger=ReportTrigger.WEB, actor=finmgr)

    # a bank account and a statement imported into it (its lines wait for cash application)
    from arms.bank.services.accounts import bank_account_create
    from arms.bank.services.importing import statement_import
    from tests.bank.builders import ACCOUNT_NUMBER, days_before, rows_for, to_csv

    bank_account = bank_account_create(actor=finmgr, name="工行基本户", bank="中国工商银行",
                                       account_number=ACCOUNT_NUMBER, ledger_account="100201")
    bank_import = statement_import(actor=clerk, data=to_csv(rows_for(days_before(today, 5, 3))),
                                   filename="工行流水", account=bank_account, match=False)
    # a credit note above the company's four-eyes amount, waiting for a second person (the amount lowered for it)
    four_eyes = LedgerSettings.objects.create(company=hd.company, four_eyes_minor=1_000_00)
    pending_approval = manual_credit_note(actor=clerk, invoice=h3, on=today, net_minor=2_000_00, tax_minor=260_00,
                                          reason="质量折让，待审批").approval
    four_eyes.delete()
    # cash application: an account with a statement, a suggested line, an unmatched one, interest set aside, and a
    # payer learned from an earlier confirmation
    from arms.bank.models import BankAccount, BankStatement, PayerAlias, StatementLine

    bank = BankAccount.objects.create(company=company, name="建行一般户", bank="中国建设银行",
                                      account_number="6222020200112233445")
    bank_statement = BankStatement.objects.create(
        account=bank, format="cn:icbc", filename="工行十一月流水", sha256="0" * 64,
        first_date=today - timedelta(days=3), last_date=today, opening_balance_minor=500_000_00, imported_by=clerk)
    h4.refresh_from_db()
    suggested_line = StatementLine.objects.create(
        account=bank, statement=bank_statement, booking_date=today - timedelta(days=1),
        amount_minor=h4.amount_open_minor, currency="CNY", bank_reference="ICBC20260001",
        counterparty_name="华东精密机械有限公司", counterparty_account="31001234567890", remittance="四月货款",
        status="suggested", customer=hd, confidence=80,
        match={"customer_id": hd.pk, "allocations": [[h4.pk, h4.amount_open_minor]], "charge": 0, "unapplied": 0},
        reasons=[{"code": "name", "points": 50, "detail": ""},
                 {"code": "one_item", "points": 30, "detail": "INV-HD-4"}])
    StatementLine.objects.create(account=bank, statement=bank_statement, booking_date=today, amount_minor=8_800_00,
                                 currency="CNY", bank_reference="ICBC20260002", counterparty_name="某某商贸有限公司",
                                 remittance="货款", status="unmatched")
    StatementLine.objects.create(account=bank, statement=bank_statement, booking_date=today - timedelta(days=2),
                                 amount_minor=12_34, currency="CNY", bank_reference="ICBC20260003",
                                 remittance="结息", status="ignored", ignored_kind="interest")
    alias = PayerAlias.objects.create(company=company, customer=hd, kind="account", value="31001234567890",
                                      key="31001234567890", created_by=clerk)
    from arms.bank.services.applying import line_accept

    h3.refresh_from_db()
    applied_line = StatementLine.objects.create(
        account=bank, statement=bank_statement, booking_date=today - timedelta(days=2),
        amount_minor=h3.amount_open_minor, currency="CNY", bank_reference="ICBC20260004",
        counterparty_name="华东精密机械有限公司", remittance="INV-HD-3", status="suggested", customer=hd,
        confidence=70, match={"customer_id": hd.pk, "allocations": [[h3.pk, h3.amount_open_minor]]},
        reasons=[{"code": "items_named", "points": 45, "detail": "INV-HD-3"}])
    line_accept(actor=clerk, line=applied_line)

    # invoice delivery proof: INV-HD-1 went by EMS and its signed receipt was scanned; INV-HD-2 by e-mail, unconfirmed
    from arms.ledger.services.deliveries import invoice_delivery_record, invoice_receipt_confirm

    invoice_delivery_record(invoice=h1, actor=clerk, channel="post", carrier="EMS", tracking_no="EA123456789CN",
                            delivered_on=today - timedelta(days=218), recipient="李娜")
    receipt = invoice_receipt_confirm(invoice=h1, actor=clerk, channel="scan", received_on=today - timedelta(days=215),
                                      contact=hd.contacts.order_by("pk").first(), note="签收单原件已归档",
                                      scan=("签收单扫描件", b"%PDF-1.4 scan"))
    invoice_delivery_record(invoice=h2, actor=clerk, channel="email", delivered_on=today - timedelta(days=99),
                            recipient="li.na@huadong.example")

    # the customer portal: a live link for HD001's finance manager (the walk enters with it)
    from arms.customers.portal_access import portal_access_issue

    portal_access, portal_token = portal_access_issue(contact=hd.contacts.get(name="李娜"), actor=clerk,
                                                       purpose="对账")
    # the last month's sales–finance reconciliation: the salesperson listed a difference, one resolved
    from arms.salesrecon.services import sales_recon_answer, sales_recon_difference_resolve, sales_recon_open

    recons = sales_recon_open(period=today.replace(day=1) - timedelta(days=1), actor=clerk)
    recon = next(r for r in recons if r.salesperson_id == sales.pk)
    sales_recon_answer(reconciliation=recon, actor=sales, agree=False, note="与销售台账核对",
                       differences=[{"customer_id": hd.pk, "sales_minor": 1_000_00, "note": "客户称已付"},
                                    {"customer_id": gl.pk, "sales_minor": 0, "currency": "USD", "note": "已结清"}])
    recon_difference = recon.differences.order_by("pk").first()
    sales_recon_difference_resolve(difference=recon_difference, actor=clerk, resolution="已开红字发票")

    # write-offs: a bankrupt customer's invoice written off with its three sign-offs, filed with the tax office and
    # partly recovered; a second request waiting for sign-offs
    from arms.ledger.services.writeoffs import payment_apply_to_written_off
    from arms.writeoffs.services import (
        EvidenceIn,
        ItemIn,
        write_off_request_create,
        write_off_request_sign,
        write_off_tax_filing_record,
    )

    pc = factories.customer("PC001", name="破产债务人有限公司", salesperson=users["sales_b"], collector=collector)
    pc_old = factories.invoice(pc, issued=today - timedelta(days=500), net=2_000_000, tax=260_000, actor=clerk)
    pc_new = factories.invoice(pc, issued=today - timedelta(days=400), net=1_000_000, tax=130_000, actor=clerk)
    write_off = write_off_request_create(
        actor=collector, customer=pc, reason="bankruptcy", note="法院裁定破产终结",
        items=[ItemIn(pc_old.pk, 2_260_000)],
        evidence=[EvidenceIn("bankruptcy", "破产终结裁定书.PDF", b"%PDF-1.4 ruling", "（2026）沪03破12号")])
    for signer in (finmgr, users["legal"], users["auditor"]):
        write_off_request_sign(actor=signer, request=write_off, note="同意核销")
    write_off_tax_filing_record(actor=clerk, request=write_off, filed_on=today, reference="沪税核备2026-001",
                                note="已报送主管税务机关", file_name="备案回执.PDF", content=b"%PDF-1.4 receipt")
    pc_cash = factories.payment(pc, amount=500_000, received=today, actor=clerk)
    payment_apply_to_written_off(actor=clerk, payment=pc_cash, invoice=pc_old, amount_minor=500_000, on=today)
    write_off_request_create(actor=collector, customer=pc, reason="limitation_expired", note="诉讼时效已届满",
                             items=[ItemIn(pc_new.pk, 1_130_000)])

    # balance confirmations: last month's run; one letter answered "disputed" with a scan and a difference
    from arms.confirmations.models import Confirmation
    from arms.confirmations.services import confirmation_reply
    from arms.confirmations.services.runs import confirmation_run_start

    confirmation_run, _created = confirmation_run_start(
        company=company, period_end=today.replace(day=1) - timedelta(days=1), actor=clerk)
    letters = Confirmation.objects.filter(run=confirmation_run)
    confirmation = letters.filter(customer=hd).first() or letters.order_by("pk").first()
    confirmation_reply(confirmation=confirmation, actor=clerk, answer="disputed", channel="scan",
                       scan=("回执.PDF", b"%PDF-1.4 signed"), differences=[
                           {"invoice_id": None, "kind": "not_in_our_books", "amount_minor": 10_000,
                            "description": "已付款未入账"}])
    # limitation periods: the clocks refreshed, a letter's delivery recorded by hand with its EMS receipt
    from arms.limitation.services import interruption_record_for_customer, limitation_refresh

    limitation_refresh(company=company)
    [interruption] = interruption_record_for_customer(
        actor=users["legal"], customer=hd, invoice_ids=[h1.pk], kind="demand_delivered", on=today - timedelta(days=3),
        note="催款函已签收", evidence_bytes=b"%PDF-1.4 EMS", evidence_name="EMS回执.PDF")
    # legal: a law firm issues the lawyer's letters (HD's is a draft awaiting review), a filed case with a hearing,
    # preservation naming a debtor asset, a cost and a document, an agency mandate and a settlement to approve
    from arms.legal import services as legal

    lawyer = users["legal"]
    legal.legal_settings_update(actor=lawyer, company=company, issuer_mode="law_firm", firm_name="上海明理律师事务所",
                                lawyer_name="张明", licence_number="13101200910123456", firm_address="上海市黄浦区")
    legal_asset = legal.asset_record(actor=lawyer, customer=hd, kind="real_estate", description="松江区厂房一处",
                                     location="上海市松江区不动产登记中心", estimated_value_minor=3_000_000_00,
                                     source="法院查询", fact_date=today - timedelta(days=120),
                                     attachment_name="查询结果.pdf", attachment_bytes=b"%PDF-1.4 asset")
    legal_case = legal.case_open(actor=lawyer, customer=hd, kind="litigation", forum="上海市浦东新区人民法院",
                                 invoice_ids=[h1.pk], note="拖欠货款")
    legal.case_file(actor=lawyer, case=legal_case, filed_on=today - timedelta(days=10),
                    case_number="(2026)沪0115民初12345号")
    legal.case_preservation(actor=lawyer, case=legal_case, applied_on=today - timedelta(days=9),
                            amount_minor=50_000_00, asset_ids=[legal_asset.pk])
    legal.hearing_record(actor=lawyer, case=legal_case, on=today + timedelta(days=20), note="第一次开庭")
    legal.cost_record(actor=lawyer, case=legal_case, kind="court_fee", on=today - timedelta(days=10),
                      amount_minor=1_183_00, note="案件受理费")
    legal_document = legal.document_attach(actor=lawyer, case=legal_case, name="起诉状.PDF", content=b"%PDF-1.4 claim")
    legal_mandate = legal.mandate_create(actor=lawyer, customer=hd, agency_name="华信商账管理有限公司",
                                         handed_over_on=today - timedelta(days=5), fee_share_bp=1500,
                                         invoice_ids=[h2.pk], contact="王经理 021-60000000")
    legal_settlement = legal.settlement_request(actor=lawyer, invoice=h1, case=legal_case,
                                                terms="分期付清本金，免除逾期利息", waived_interest_minor=1_000_00)
    lawyer_letter = DunningAction.objects.filter(customer=hd, stage__letter_kind="lawyer_letter").first()
    # a small balance (小额尾差): GL001 paid all but USD 18.00 of an invoice (bank charges); its write-off waits
    from arms.writeoffs.small_services import small_balance_batch_request

    residue = invoice(gl, 40, 1_000_00, "INV-GL-9", currency="USD")  # USD 1,130.00 with VAT
    short = factories.payment(gl, amount=1_112_00, received=today - timedelta(days=20), number="RCV-GL-9",
                              actor=clerk, currency="USD")
    payment_allocate(actor=clerk, payment=short, lines=[AllocationRequest(residue.pk, 1_112_00)],
                     on=today - timedelta(days=20))
    small_batch = small_balance_batch_request(actor=clerk, invoice_ids=[residue.pk], note="银行手续费尾差")
    # the allowance for doubtful accounts: an individual assessment of XN001 with evidence, last month end's run
    from arms.provisioning.services import assessment_record, provision_run_post

    provision_assessment = assessment_record(
        actor=users["finmgr"], customer=xn, rate_bp=5_000, reason="客户涉诉，经营困难",
        valid_from=today.replace(day=1) - timedelta(days=40), evidence_content=b"%PDF-1.4 judgment",
        evidence_name="判决书.pdf")
    provision_run = provision_run_post(actor=users["finmgr"], company=company,
                                       as_of=today.replace(day=1) - timedelta(days=1))
    # early warning: the shipped indicators and two more, evaluated today: HD001's oldest overdue item (a customer's
    # warning with its follow-up task) and the top-10 share (a warning about the whole company); a risk signal
    # reported by HD001's salesperson with a photo
    from django.utils import timezone as dj_timezone

    from arms.earlywarning.models import Warning as EarlyWarning
    from arms.earlywarning.services import IndicatorFields, indicator_create, risk_signal_raise, warnings_evaluate

    ew_indicator = indicator_create(actor=users["finmgr"], fields=IndicatorFields(
        name="华东机电逾期预警", metric="oldest_overdue_days", threshold=1, scope="customer", scope_customer_id=hd.pk,
        severity="critical", responsible_role="collector", notify_roles=("collector",)))
    indicator_create(actor=users["finmgr"], fields=IndicatorFields(
        name="前十大客户集中度", metric="concentration_top10", threshold=1, responsible_role="finance_manager"))
    warnings_evaluate(as_of=today)
    early_warning = EarlyWarning.objects.get(indicator=ew_indicator)
    risk_signal = risk_signal_raise(actor=users["sales"], customer=hd, category="orders_down",
                                    description="客户本月订单明显减少",
                                    observed_at=dj_timezone.now() - timedelta(hours=2),
                                    evidence_bytes=b"%PDF-1.4 photo", evidence_name="现场照片.PDF")
    # stress tests: the standard scenario and one run of it today
    from arms.stress.services import scenario_run, standard_scenario_ensure

    stress_scenario = standard_scenario_ensure(company=company)
    stress_run = scenario_run(actor=users["finmgr"], scenario=stress_scenario, as_of=today)
    # payment prediction: two model versions (the older retired) and the predicted dates of HD001's invoice
    from arms.common.attachments import attachment_store
    from arms.prediction.models import ModelVersion, PaymentPrediction

    scores = [{"method": "model", "mae_days": 4.2, "within_7": 0.81},
              {"method": "customer_average", "mae_days": 6.9, "within_7": 0.64},
              {"method": "due_date", "mae_days": 11.5, "within_7": 0.4}]
    prediction_versions = []
    for number in (1, 2):
        artifact = attachment_store(content=f"complete-book model {number}".encode(), name="model.pkl")
        prediction_versions.append(ModelVersion.objects.create(
            version=number, status="active" if number == 2 else "retired", window_start=today - timedelta(days=700),
            window_end=today - timedelta(days=5), rows=1200, features=["mean_days_late", "log_amount"],
            metrics={"cutoff": (today - timedelta(days=180)).isoformat(), "test_end": (today - timedelta(
                days=90)).isoformat(), "train_rows": 900, "test_rows": 150, "coverage_p10_p90": 0.78,
                "scores": scores}, artifact=artifact, artifact_sha256=artifact.sha256, trained_by=users["finmgr"]))
    PaymentPrediction.objects.create(invoice=h1, model_version=prediction_versions[1], p10=today,
                                     p50=today + timedelta(days=9), p90=today + timedelta(days=30), predicted_on=today)
    # a stored cash-in forecast of the book (issue 15), HD001's invoice dated by the model
    from arms.forecast.services import forecast_run

    cash_forecast = forecast_run(actor=users["finmgr"], company=company, as_of=today, include_new_sales=True)
    # collection plans (收款计划): HD001's contract plan approved and a plan of its open items waiting, GL001's draft
    from arms.collectionplans.services import (
        LineIn,
        collection_plan_approve,
        collection_plan_create,
        collection_plan_draft_from_contract,
        collection_plan_submit,
    )

    approved_plan = collection_plan_draft_from_contract(actor=users["sales"], contract=contract, note="按合同节点收款")
    collection_plan_submit(actor=users["sales"], plan=approved_plan)
    collection_plan_approve(actor=users["finmgr"], plan=approved_plan, comment="同意")
    waiting_plan = collection_plan_create(actor=users["sales"], customer=hd, note="客户承诺月底付款",
                                          lines=[LineIn(today + timedelta(days=10), 5_000_000, "货款第一期")])
    collection_plan_submit(actor=users["sales"], plan=waiting_plan)
    draft_plan = collection_plan_create(actor=users["sales"], customer=gl, currency="USD",
                                        lines=[LineIn(today + timedelta(days=20), 1_200_000, "二季度货款")])
    # hand-over (逾期账款交接表): XN001 (a key account) from the collector to the senior collector, awaiting both
    from arms.customers.models import Customer
    from arms.handover.services import handover_open

    Customer.objects.filter(pk=xn.pk).update(key_account=True)
    handover = handover_open(actor=clerk, role="collector", from_user=collector, to_user=users["senior_collector"],
                             customer_ids=[xn.pk], reason="客户调整为重点客户", effective_on=today)
    # incentives (issue 16): last month's scheme for the salespeople and the collector, rated and computed
    from arms.incentives.services import rating_set, scheme_compute, scheme_create

    incentive_scheme = scheme_create(
        actor=finmgr, company=company, period=month_start(month_start(today) - timedelta(days=1)),
        terms={"base_pool_minor": 5_000_000, "note": "上月奖惩方案"},
        members=[(sales, "salesperson"), (users["sales_b"], "salesperson"), (collector, "collector")])
    rating_set(actor=clerk, scheme=incentive_scheme, ratee=sales, score=85, note="对账及时")
    rating_set(actor=sales, scheme=incentive_scheme, ratee=collector, score=90, note="催收配合好")
    incentive_scheme = scheme_compute(actor=finmgr, scheme=incentive_scheme)
    letter_action = (DunningAction.objects.filter(customer=hd, stage__letter_kind="letter").first()
                     or DunningAction.objects.filter(customer=hd).first())
    # contracts (issue 16, h2): the main contract amended with tiers and a delivery, a scan; a draft in review
    # returned once for a missing clause and resubmitted, waiting for credit after sales management approved
    from arms.contractreview.services import review_decide, review_submit
    from arms.contracts.services import contract_amend, contract_attach, contract_milestone_event

    contract = contract_amend(actor=clerk, contract=contract, reason="补充协议：阶梯逾期利率",
                              governing_law="中华人民共和国法律",
                              acceptance_clause="到货后七日内验收", review_date=today + timedelta(days=20),
                              late_interest_tiers=[{"from_day": 1, "daily_rate": "0.0003"},
                                                   {"from_day": 30, "daily_rate": "0.0005"}])
    contract_milestone_event(actor=clerk, contract=contract, sequence=1, event_date=today - timedelta(days=230))
    scan = contract_attach(actor=clerk, contract=contract, filename="合同扫描件.PDF", content=b"%PDF-1.4 scan",
                           description="双方盖章版")
    reviewed = contract_create(
        actor=sales, customer=hd, number="HT-2026-009", signed_date=today, amount_minor=80_000_000,
        title="自动化产线改造合同", status="draft", payment_terms_days=45, late_interest_rate_daily=Decimal("0.0005"),
        dispute_venue="上海仲裁委员会", governing_law="中华人民共和国法律",
        milestones=[MilestoneIn(name="预付款", share_bp=3000), MilestoneIn(name="验收款", share_bp=7000, due_days=30)])
    review_submit(actor=sales, contract=reviewed)
    review_decide(actor=users["executive"], contract=reviewed, kind="sales", decision="returned",
                  comment="缺少验收条款")
    reviewed = contract_amend(actor=sales, contract=reviewed, reason="补充验收条款", acceptance_clause="验收合格后付款")
    review_submit(actor=sales, contract=reviewed)
    review_decide(actor=users["executive"], contract=reviewed, kind="sales", decision="approved",
                  confirmed=["payment_terms", "late_interest", "acceptance", "dispute_venue", "governing_law"],
                  comment="同意")
    # credit terms in force (issue 16, h1): a guarantee with its scan, expiring soon; a terms exception waiting
    from arms.credit.services import guarantee_record

    guarantee = guarantee_record(actor=credit, customer=hd, guarantor="华东融资担保有限公司", kind="bank_guarantee",
                                 amount_minor=300_000_00, currency="CNY", valid_from=today - timedelta(days=300),
                                 expiry_date=today + timedelta(days=20), reference="BG-2026-0007",
                                 note="履约保函", document_bytes=b"%PDF-1.4 guarantee", document_name="保函.pdf")
    override_request(customer=hd, amount_minor=80_000_00, currency="CNY", document_kind="invoice",
                     reason="年度框架合同约定账期60天", actor=sales, terms_days=60)
    values = {
        "customer_id": hd.pk, "invoice_id": h1.pk, "payment_id": paid.pk, "budget_id": budget.pk,
        "task_id": Task.objects.filter(customer=hd, status="open").order_by("pk").first().pk,
        "plan_id": pending_plan.pk, "decision": "approve", "dispute_id": dispute.pk,
        "activity_id": Activity.objects.filter(customer=hd).order_by("pk").first().pk,
        "rating_id": rating.pk, "proposal_id": RatingProposal.objects.get(rating=rating).pk,
        "request_id": limit_request.pk, "action_id": letter_action.pk,
        "dunning:run.run_id": run.pk, "reports:run_download.run_id": report_run.pk,
        "email_id": DunningEmail.objects.order_by("pk").first().pk,
        "policy_id": DunningPolicy.objects.get(pk=policy.pk).pk, "exclusion_id": exclusion.pk,
        "hold_id": CreditHold.objects.filter(customer=hd, reason_code="dunning_stop_supply").first().pk,
        "override_id": override.pk,
        "notification_id": Notification.objects.order_by("pk").first().pk,
        "key": "aging", "fmt": "xlsx", "job_id": monthly_job.pk,
        "account_id": bank_account.pk, "statement_id": bank_import.statements[0].statement_id,
        "approval_id": pending_approval.pk, "allocation_id": paid_allocation.pk,
        "web:payment_detail.payment_id": unapplied.pk,
        "line_id": suggested_line.pk, "cash:review.line_id": applied_line.pk, "alias_id": alias.pk,
        "delivery_id": receipt.pk,
        "token": portal_token,
        "reconciliation_id": recon.pk,
        "salesrecon:difference_assign.difference_id": recon.differences.order_by("pk").last().pk,
        "salesrecon:difference_resolve.difference_id": recon.differences.order_by("pk").last().pk,
        "confirmations:run.run_id": confirmation_run.pk, "confirmations:run_send.run_id": confirmation_run.pk,
        "confirmation_id": confirmation.pk, "difference_id": confirmation.differences.get().pk,
        "confirmations:dispatch_delivered.dispatch_id": 1,  # POST only: the walk gets 405 whatever the id
        "link_id": portal_access.pk,
        "small_batch_id": small_batch.pk,
        "writeoff_id": write_off.pk, "evidence_id": write_off.evidence.get().pk,
        "interruption_id": interruption.pk,
        "legal:letter.action_id": lawyer_letter.pk, "legal:letter_pdf.action_id": lawyer_letter.pk,
        "legal:letter_resubmit.action_id": lawyer_letter.pk, "legal:letter_decide.action_id": lawyer_letter.pk,
        "case_id": legal_case.pk, "document_id": legal_document.pk, "legal:case_action.action": "hearing",
        "mandate_id": legal_mandate.pk, "settlement_id": legal_settlement.pk, "asset_id": legal_asset.pk,
        "provisioning:run.run_id": provision_run.pk, "provisioning:run_pdf.run_id": provision_run.pk,
        "provisioning:assessment_end.assessment_id": provision_assessment.pk,
        "provisioning:assessment_evidence.assessment_id": provision_assessment.pk,
        "warning_id": early_warning.pk, "indicator_id": ew_indicator.pk, "signal_id": risk_signal.pk,
        "scenario_id": stress_scenario.pk, "stress:run.run_id": stress_run.pk,
        "stress:run_pdf.run_id": stress_run.pk,
        "forecast_id": cash_forecast.pk,
        "version_id": prediction_versions[0].pk,
        "contract_id": contract.pk, "attachment_id": scan.pk, "contractreview:review.contract_id": reviewed.pk,
        "guarantee_id": guarantee.pk,
        "portal:invoice.invoice_id": hd_discounted.pk,
        **{f"collectionplans:{page}.plan_id": waiting_plan.pk
           for page in ("detail", "lines", "submit", "approve", "return", "cancel", "close")},
        "collectionplans:detail.plan_id": approved_plan.pk, "collectionplans:lines.plan_id": draft_plan.pk,
        "handover_id": handover.pk,
        "scheme_id": incentive_scheme.pk, "incentives:person.user_id": sales.pk,
    }
    return CompleteBook(today=today, users=users, path_values=values)
