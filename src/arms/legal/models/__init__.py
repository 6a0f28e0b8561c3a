"""Legal (法务): who issues lawyer's letters, legal cases, collection agency mandates, settlements and the debtor
asset register.

Design overview and invariants (★ = also enforced by the database):

- ``LegalSettings`` (★ one per company): whether lawyer's letters go out in a law firm's name (firm, lawyer,
  licence number 执业证号, address, phone: a 律师函) or the company's own legal department's (a 催告函), and after
  how many days a debtor's asset facts are stale. The letter itself, its draft and legal's review live in dunning
  (``arms.dunning.services.reviews``); dunning asks legal who issues it through the ``dunning.letter_issuer`` hook.
- ``LegalCase``: a lawsuit or arbitration against one customer for some of its invoices (the claims, ★ in the
  case's currency), with the forum, case number, claim amount, filing date, property preservation, judgment and
  enforcement. Its status moves along ``enums.TRANSITIONS`` only (closing states are final). Filing records a
  limitation interruption for each claim (``arms.limitation``, source ``legal.case:<pk>``). ``Hearing``,
  ``CaseCost`` (★ amount > 0, CNY) and ``CaseDocument`` rows are appended, never edited. The amount recovered is
  not typed in: it is read from the ledger (payments allocated to the claims on or after the filing date).
- ``AgencyMandate``: claims handed to a collection agency on a date with a fee share (★ 0–10000 basis points); what
  it collected is read from the ledger the same way, and the fee due is collected × share.
- ``Settlement``: an agreement waiving an invoice's late interest and penalty and optionally part of its principal;
  ★ waived amounts ≥ 0. A second person approves it (four eyes; a finance manager, or legal up to the settings'
  amount); the principal part is posted as a credit note through the ledger, and letters no longer claim the
  invoice's interest and penalty.
- ``DebtorAsset``: a fact about a customer's property (real estate, bank account, equity, vehicle, receivable) with
  its source and the date it was learnt; facts older than the settings' refresh days of customers in a legal stage
  raise one refresh task per customer and stale period.
"""

from arms.legal.models.agency import AgencyMandate
from arms.legal.models.asset import DebtorAsset
from arms.legal.models.case import CaseCost, CaseDocument, Hearing, LegalCase
from arms.legal.models.settings import LegalSettings
from arms.legal.models.settlement import Settlement

__all__ = ["AgencyMandate", "CaseCost", "CaseDocument", "DebtorAsset", "Hearing", "LegalCase", "LegalSettings",
           "Settlement"]
