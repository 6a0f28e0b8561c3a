"""Codes the collections services store (outcomes, sources) are shown by their label, in either language."""

from django.utils import translation

from arms.cases.enums import RECORDED_OUTCOMES, ActivityOutcome, Source, outcome_label, source_label

#: what a dunning stage records (``arms.dunning.services.actions._outcome``) and what the cases services record
OUTCOMES_RECORDED_BY_THE_SERVICES = ["issued", "queued", "hold_placed", "escalated", "sent", "promised", "disputed",
                                     "kept", "broken", "approved", "rejected", "active", "completed", "breached",
                                     "handed_off", "dispute_credit_note", "dispute_corrected_invoice",
                                     "dispute_rejected", "done"]


def test_every_outcome_the_services_record_has_a_label_of_its_own():
    with translation.override("en"):
        labels = {code: outcome_label(code) for code in OUTCOMES_RECORDED_BY_THE_SERVICES}
    assert labels["issued"] == "Letter issued" and labels["hold_placed"] == "Supply stopped"
    assert labels["escalated"] == "Escalated" and labels["kept"] == "Kept"
    assert all(label and label != code and label != "Other" for code, label in labels.items())
    assert set(OUTCOMES_RECORDED_BY_THE_SERVICES) <= set(ActivityOutcome.values) | set(RECORDED_OUTCOMES)


def test_outcomes_and_sources_read_in_chinese():
    with translation.override("zh-hans"):
        assert outcome_label("issued") == "已出具函件"
        assert outcome_label("escalated") == "已升级"
        assert source_label("dunning") == "催款"
        assert source_label("promise") == "付款承诺"


def test_a_code_nobody_labelled_is_never_shown_raw():
    with translation.override("en"):
        assert outcome_label("some_new_code") == "Other"
        assert source_label("some_app") == "Other"
        assert outcome_label("") == ""
    assert {"task", "promise", "plan", "dispute", "dunning", "demo"} <= set(Source.values)
