"""Every read of the reports app; the writes (making, storing and e-mailing a report) are ``arms.reports.services``.

- ``facts``: plain reads of the apps below (credit grades and review queue, holds, promises, disputes, lawyer's
  letters) for a set of customers;
- ``figures``: the one place that reads analytics' KPIs, trend, team performance and budgets and reshapes them;
- ``monthly``: the monthly management report's content (``monthly_report_data``), which both layouts draw from;
- ``dashboard``: the dashboard's panels for each role.

Presentation lives beside them: ``tables.py`` (typed tables and their export), ``render.py`` (the PDF and XLSX
layouts); ``schedule.py`` holds the plain date rules of when a report goes out.
"""
