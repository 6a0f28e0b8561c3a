"""Test data builders. Every ledger document is made through the real services, never around them."""

from __future__ import annotations

import itertools
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from arms.customers.models import Customer
from arms.customers.services import company_ensure
from arms.domain.uscc import make_uscc
from arms.ledger import services

_seq = itertools.count(1)


def user(username: str | None = None, *, role: str | None = None, superuser: bool = False,
         password: str = "pw-12345678"):
    username = username or f"user{next(_seq)}"
    User = get_user_model()
    obj = User.objects.create_user(username=username, password=password, is_superuser=superuser, is_staff=superuser)
    if role:
        obj.groups.add(Group.objects.get(name=role))
    return obj


def customer(code: str | None = None, **fields) -> Customer:
    n = next(_seq)
    defaults = {
        "company": company_ensure(),
        "code": code or f"C{n:05d}",
        "name": fields.pop("name", f"测试客户{n}有限公司"),
        "uscc": make_uscc(f"91310000{n:09d}"),
        "payment_terms_days": 30,
    }
    defaults.update(fields)
    return Customer.objects.create(**defaults)


def invoice(cust, *, net: int = 100_000, tax: int = 13_000, issued: date = date(2026, 1, 10), actor=None, **kw):
    return services.invoice_post(actor=actor, customer=cust, issue_date=issued, net_minor=net, tax_minor=tax, **kw)


def payment(cust, *, amount: int = 113_000, received: date = date(2026, 2, 1), actor=None, **kw):
    return services.payment_record(actor=actor, customer=cust, received_date=received, amount_minor=amount, **kw)
