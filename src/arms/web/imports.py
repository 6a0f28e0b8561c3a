"""/imports/: upload a CSV or XLSX file of customers, contracts, invoices or payments.

"Check only" (a dry run) reads the file at once and lists every bad row on the page; "Import" stores the file
and queues the ``imports.file`` job (``arms.imports.jobs``), whose progress the page shows until it is done.
A file that cannot be read at all is refused at once, beside the file field. The same rules as
``arms import`` and ``POST /api/v1/imports/{kind}`` (docs/imports.md).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from arms.common.errors import ArmsError
from arms.common.jobs import jobs_for_page
from arms.common.uploads import upload_check
from arms.imports.errors import ImportInvalid
from arms.imports.jobs import FILE, import_job_start
from arms.imports.readers import ENCODINGS
from arms.imports.services import import_file


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("What the file holds"), choices=[
        ("customers", gettext_lazy("Customers")), ("contracts", gettext_lazy("Contracts")),
        ("invoices", gettext_lazy("Invoices")), ("payments", gettext_lazy("Payments"))])
    file = forms.FileField(label=gettext_lazy("File (XLSX or CSV, at most 20 MB)"))
    encoding = forms.ChoiceField(label=gettext_lazy("Encoding of a CSV file"), required=False,
                                 choices=[("", gettext_lazy("Detect")), *((e, e) for e in ENCODINGS)])
    dry_run = forms.BooleanField(label=gettext_lazy("Check only, import nothing"), required=False)


@login_required
@permission_required("imports.run_import", raise_exception=True)
def import_page(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    result = rows = None
    if request.method == "POST" and form.is_valid():
        data, upload = form.cleaned_data, form.cleaned_data["file"]
        try:
            upload_check(upload, field="file")
            if data["dry_run"]:
                result = import_file(kind=data["kind"], file=upload.file, filename=upload.name, actor=request.user,
                                     dry_run=True, encoding=data["encoding"])
            else:
                _job, created = import_job_start(kind=data["kind"], file=upload, filename=upload.name,
                                                 encoding=data["encoding"], actor=request.user)
                messages.info(request, _("The file is being imported in the background; its progress is shown "
                                         "below.") if created else
                              _("This file is already being imported; its progress is shown below."))
                return redirect(reverse("web:imports"))
        except ImportInvalid as exc:
            form.add_error(None, exc.message)
            rows = exc.errors
        except ArmsError as exc:
            form.add_error("file" if exc.field == "file" else None, exc.message)
    status = 400 if request.method == "POST" and (form.errors or rows) else 200
    return render(request, "web/imports.html", {
        "form": form, "result": result, "rows": rows, "current": "imports",
        "jobs": jobs_for_page(user=request.user, kind=FILE, limit=5)}, status=status)
