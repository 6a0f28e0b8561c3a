"""ARMS, the Accounts Receivable Management System (应收账款管理系统)."""

__version__ = "0.1.0"
