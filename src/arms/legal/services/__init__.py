"""Every write of legal; see each module. Lawyer's letter review itself is dunning's (``arms.dunning.services.
reviews``)."""

from arms.legal.services.agencies import mandate_create, mandate_end
from arms.legal.services.assets import asset_record, assets_stale_remind
from arms.legal.services.cases import (
    case_enforcement,
    case_file,
    case_judgment,
    case_open,
    case_preservation,
    case_status_set,
    cost_record,
    document_attach,
    hearing_record,
)
from arms.legal.services.settings import legal_settings_for, legal_settings_update
from arms.legal.services.settlements import settlement_approve, settlement_reject, settlement_request

__all__ = ["asset_record", "assets_stale_remind", "case_enforcement", "case_file", "case_judgment", "case_open",
           "case_preservation", "case_status_set", "cost_record", "document_attach", "hearing_record",
           "legal_settings_for", "legal_settings_update", "mandate_create", "mandate_end", "settlement_approve",
           "settlement_reject", "settlement_request"]
