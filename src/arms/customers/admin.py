"""Companies and customers (with contacts). Customers are created and changed through
``customer_create`` / ``customer_update``, so every change from the admin is validated and audited."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from arms.common.errors import ArmsError
from arms.customers import services
from arms.customers.models import Company, Contact, Customer


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "uscc", "base_currency")
    search_fields = ("code", "name", "uscc")

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ContactInline(admin.TabularInline):
    """New contacts are added through ``contact_create`` (audited); a stored contact is shown read-only."""

    model = Contact
    extra = 0
    fields = ("name", "role", "phone", "email", "is_primary")

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class CustomerAdminForm(forms.ModelForm):
    """Runs the service's own validation, so its refusals appear beside the field instead of as an error page."""

    class Meta:
        model = Customer
        fields = ["company", "code", *services.EDITABLE]

    def clean(self):
        cleaned = super().clean()
        names = [n for n in services.EDITABLE if n in cleaned and (not self.instance.pk or n in self.changed_data)]
        try:
            services.CustomerFields(**{name: cleaned[name] for name in names}).clean()
        except ArmsError as error:
            self.add_error(error.field if error.field in self.fields else None, error.message)
        return cleaned


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    form = CustomerAdminForm
    inlines = [ContactInline]
    list_display = ("code", "name", "industry", "region", "salesperson", "collector", "payment_terms_days", "status")
    list_filter = ("status", "region", "industry")
    search_fields = ("code", "name", "uscc")
    autocomplete_fields = ("salesperson", "collector")
    list_select_related = ("salesperson", "collector")
    fieldsets = (
        (None, {"fields": ("company", "code", "name", "uscc", "status")}),
        (_("Classification"), {"fields": ("industry", "region", "province", "address")}),
        (_("Responsibility and terms"),
         {"fields": ("salesperson", "collector", "payment_terms_days", "payment_terms_basis", "currency")}),
        (_("Notes"), {"fields": ("notes",)}),
    )

    def has_delete_permission(self, request, obj=None) -> bool:
        # Documents and the audit trail point at customers: one that is gone is set inactive, not deleted.
        return False

    def get_readonly_fields(self, request, obj=None):
        # The code names the customer on every document; it is fixed once the customer exists.
        return ("company", "code") if obj is not None else ()

    def save_model(self, request, obj, form, change):
        if change:
            fields = {name: form.cleaned_data[name] for name in services.EDITABLE if name in form.changed_data}
            saved = services.customer_update(actor=request.user, customer=obj, **fields)
        else:
            fields = {name: form.cleaned_data[name] for name in services.EDITABLE if name in form.cleaned_data}
            saved = services.customer_create(
                actor=request.user, company=form.cleaned_data.get("company"), code=form.cleaned_data["code"], **fields
            )
        # The inlines and the "saved" message work on ``obj``: make it the row the service wrote.
        obj.pk = saved.pk
        obj.created_at = saved.created_at
        obj._state.adding = False
        obj._state.db = saved._state.db

    def save_formset(self, request, form, formset, change):
        if formset.model is not Contact:
            return super().save_formset(request, form, formset, change)
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for contact_form in formset.extra_forms:
            data = contact_form.cleaned_data
            if not contact_form.has_changed() or not data or data.get("DELETE"):
                continue
            formset.new_objects.append(services.contact_create(
                actor=request.user, customer=form.instance, name=data["name"], role=data["role"],
                phone=data["phone"], email=data["email"], is_primary=data["is_primary"],
            ))
        return formset.new_objects
