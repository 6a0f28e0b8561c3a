"""Write-off requests (核销坏账) with evidence and finance, legal and audit sign-off; recoveries; small-balance write-
offs.
"""
