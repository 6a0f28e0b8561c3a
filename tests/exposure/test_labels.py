"""A hold's source is shown as what placed it, not as the code the dunning ladder stores."""

from django.utils import translation

from arms.exposure.models import hold_source_label


def test_arms_own_sources_read_as_words_and_a_clients_reference_as_given():
    with translation.override("zh-hans"):
        assert hold_source_label("dunning:stop_supply") == "催收阶梯（停止供货阶段）"
    with translation.override("en"):
        assert hold_source_label("dunning:stop_supply") == "Dunning ladder (stop-supply stage)"
        assert hold_source_label("ERP-SO-20261204-17") == "ERP-SO-20261204-17"
