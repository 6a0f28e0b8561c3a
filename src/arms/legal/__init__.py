"""Legal: lawyer's letters reviewed by legal, legal cases, collection agencies, settlements and the debtor asset
register.
"""
