"""The event hash put together from canonical texts (``event_hash_of_texts`` and ``hashed_text``, the bulk path's
sub-chains) is the hash of the event's canonical JSON, as ``json.dumps(content, sort_keys=True, ensure_ascii=False)``
gives it; and the text a sub-chain event stores for a value reads back as the canonical value that was hashed."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from arms.audit.services import canonical_json, event_hash, hashed_text

scalars = st.one_of(st.none(), st.booleans(), st.integers(-(10**15), 10**15), st.text(max_size=12),
                    st.dates().map(lambda d: d), st.decimals(allow_nan=False, allow_infinity=False, places=2))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=4)), max_leaves=12)


def _reference_hash(**fields) -> str:
    """The hash as the chain has always computed it: the content object encoded in one go."""
    content = {
        "seq": fields["seq"], "occurred_at": fields["occurred_at"].astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": fields["actor_name"], "action": fields["action"], "subject_type": fields["subject_type"],
        "subject_id": fields["subject_id"], "subject_repr": fields["subject_repr"],
        "before": canonical_json(fields["before"]), "after": canonical_json(fields["after"]),
        "prev_hash": fields["prev_hash"],
    }
    if fields["seals"] is not None:
        content["seals"] = canonical_json(fields["seals"])
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


@settings(max_examples=60, deadline=None)
@given(before=values, after=values, seals=st.one_of(st.none(), st.dictionaries(st.text(max_size=6), values,
                                                                             min_size=1, max_size=3)),
       text=st.text(max_size=20), seq=st.integers(1, 10**9))
def test_the_hash_from_canonical_texts_is_the_hash_of_the_canonical_json(before, after, seals, text, seq):
    fields = {"seq": seq, "occurred_at": datetime(2026, 11, 20, 8, 30, 1, 5, tzinfo=UTC), "actor_name": text,
              "action": "invoice_posted", "subject_type": "ledger.invoice", "subject_id": str(seq),
              "subject_repr": f'发票 "{text}" \\ {text}', "before": before, "after": after,
              "prev_hash": "0" * 64, "seals": seals}
    canonical_seals = canonical_json(seals) if seals is not None else None
    assert event_hash(**{**fields, "before": canonical_json(before), "after": canonical_json(after),
                         "seals": canonical_seals}) == _reference_hash(**fields)


def test_the_stored_text_reads_back_as_the_canonical_value():
    value = {"b": [date(2026, 11, 20), Decimal("1.50")], "a": {"名称": "客户 \"甲\"", "2": None}, "c": 3}
    text = hashed_text(value)
    assert json.loads(text) == canonical_json(value)
    assert text == '{"a": {"2": null, "名称": "客户 \\"甲\\""}, "b": ["2026-11-20", "1.50"], "c": 3}'
