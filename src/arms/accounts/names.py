"""How ARMS writes a person's name: the one rule for pages, exports, the API, PDFs and e-mails.

Chinese names are written family name first and without a space (陈磊); Django's ``get_full_name`` writes
"first last" (磊 陈), which is right only for Western names. A user without a name is shown by username.
"""

from __future__ import annotations


def person_name(user) -> str:
    """"陈磊" when the family or given name has a CJK character, "Anna Smith" otherwise, else the username;
    "" for nobody (None or an anonymous user)."""
    if user is None or not getattr(user, "is_authenticated", True):
        return ""
    given, family = (user.first_name or "").strip(), (user.last_name or "").strip()
    if has_cjk(given + family):
        return family + given
    return " ".join(part for part in (given, family) if part) or user.get_username()


def has_cjk(text: str) -> bool:
    """Whether ``text`` has a CJK ideograph (the unified block and extension A)."""
    return any("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" for ch in text)
