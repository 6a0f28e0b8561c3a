"""Allowance for doubtful accounts (坏账准备): provision matrices, individual assessments, loss rates from history,
period-end provision runs.
"""
