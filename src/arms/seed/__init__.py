"""Deterministic demo data: ``arms seed`` and ``arms demo_logins``.

The demo is a Chinese manufacturer's receivables over the last two years: one user per role, customers
with distinct payment behaviour (prompt, habitually late, deteriorating, disputing, defaulted), framework
and milestone contracts, invoices, credit notes, payments by transfer and acceptance bill, unapplied cash
and a few USD customers.

Two steps keep it reproducible and honest:

- ``plan`` draws everything from one seeded random generator and Faker (zh_CN) into plain dataclasses,
  without touching the database; the same seed and "today" give the same plan.
- ``load`` replays the plan in date order through the real services (customer_create, contract_create,
  credit_note_post ..., and a day's invoices and payments with their allocations through the bulk path,
  invoices_post_bulk and payments_record_bulk), so document numbers, the journal and the audit chain are
  exactly what users would have produced by hand (a test compares the digest with the one-at-a-time services').
"""
