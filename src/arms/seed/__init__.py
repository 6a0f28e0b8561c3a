"""Deterministic demo data: ``arms seed`` and ``arms demo_logins``.

The demo is a Chinese manufacturer's receivables over the last two years: one user per role, customers
with distinct payment behaviour (prompt, habitually late, deteriorating, disputing, defaulted), framework
and milestone contracts, invoices, credit notes, payments by transfer and acceptance bill, unapplied cash
and a few USD customers.

Two steps keep it reproducible and honest:

- ``plan`` draws everything from one seeded random generator and Faker (zh_CN) into plain dataclasses,
  without touching the database; the same seed and "today" give the same plan.
- ``load`` replays the plan in date order through the real services (customer_create, contract_create,
  invoice_post, credit_note_post, payment_record, payment_allocate ...), so document numbers, the journal
  and the audit chain are exactly what users would have produced by hand.
"""
