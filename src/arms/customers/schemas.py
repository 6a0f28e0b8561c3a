"""Customer API shapes: CustomerIn / CustomerPatch / CustomerOut and contacts."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from arms.common.api_types import InputSchema, ObjectId, QuerySchema, SearchText, username_of
from arms.common.bounds import MAX_NOTE
from arms.customers.enums import CustomerStatus, Industry, Region, TermBasis


class ContactIn(InputSchema):
    name: str = Field(max_length=100)
    role: str = Field("", max_length=100)
    phone: str = Field("", max_length=40)
    email: str = Field("", max_length=254)
    is_primary: bool = False


class ContactOut(Schema):
    id: int
    name: str
    role: str
    phone: str
    email: str
    is_primary: bool
    created_at: datetime


class CustomerIn(InputSchema):
    code: str = Field(max_length=40)
    name: str = Field(max_length=200)
    uscc: str = Field("", max_length=18, description="统一社会信用代码; its GB 32100 check digit is verified.")
    industry: Industry = Industry.OTHER
    region: Region = Region.EAST
    province: str = Field("", max_length=20)
    address: str = Field("", max_length=300)
    salesperson_id: int | None = Field(None, description="Defaults to the caller when a salesperson creates it.")
    collector_id: int | None = None
    payment_terms_days: int = 30
    payment_terms_basis: TermBasis = TermBasis.INVOICE_DATE
    currency: str = Field("CNY", max_length=3)
    status: CustomerStatus = CustomerStatus.ACTIVE
    notes: str = Field("", max_length=MAX_NOTE)
    key_account: bool = Field(False, description="重点客户: credit and finance managers; collected by a senior "
                                                 "collector.")


class CustomerPatch(InputSchema):
    """Only the fields sent are changed. Fields that cannot be empty refuse null (a ``None`` default is
    not validated by pydantic, an explicit null is)."""

    name: str = Field(None, max_length=200)
    uscc: str = Field(None, max_length=18)
    industry: Industry = None
    region: Region = None
    province: str = Field(None, max_length=20)
    address: str = Field(None, max_length=300)
    salesperson_id: int | None = None
    collector_id: int | None = None
    payment_terms_days: int = None
    payment_terms_basis: TermBasis = None
    currency: str = Field(None, max_length=3)
    status: CustomerStatus = None
    notes: str = Field(None, max_length=MAX_NOTE)
    key_account: bool = None


class CustomerFilters(QuerySchema):
    search: SearchText = ""
    status: CustomerStatus | None = None
    region: Region | None = None
    industry: Industry | None = None
    salesperson_id: ObjectId | None = None
    collector_id: ObjectId | None = None


class CustomerOut(Schema):
    id: int
    code: str
    name: str
    uscc: str
    industry: str
    region: str
    province: str
    address: str
    salesperson_id: int | None
    salesperson: str | None
    collector_id: int | None
    collector: str | None
    payment_terms_days: int
    payment_terms_basis: str
    currency: str
    status: str
    notes: str
    key_account: bool
    created_at: datetime

    resolve_salesperson = username_of("salesperson")

    resolve_collector = username_of("collector")


class CustomerDetailOut(CustomerOut):
    contacts: list[ContactOut]

    @staticmethod
    def resolve_contacts(obj) -> list:
        return list(obj.contacts.order_by("-is_primary", "id"))


class CustomerPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[CustomerOut]


class PortalLinkIn(InputSchema):
    contact_id: int = Field(description="The customer's contact the link is for.")
    purpose: str = Field("", max_length=200)
    valid_days: int | None = Field(None, ge=1, le=366, description="Defaults to ARMS_PORTAL_LINK_DAYS (30).")


class PortalLinkOut(Schema):
    id: int
    contact_id: int
    contact_name: str
    purpose: str
    created_at: datetime
    created_by: str | None
    expires_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None
    use_count: int
    live: bool

    @staticmethod
    def resolve_contact_name(obj) -> str:
        return obj.contact.name

    resolve_created_by = username_of("created_by")

    @staticmethod
    def resolve_live(obj) -> bool:
        return obj.is_live()


class PortalLinkIssuedOut(PortalLinkOut):
    url: str = Field(description="The link with its token: shown this once, never stored.")


class PortalLinkPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[PortalLinkOut]
