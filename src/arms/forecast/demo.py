"""Demo data of the cash-in forecast, after the ledger and the collections are loaded: the forecasts the schedule
would have made over the last weeks (a 13-week forecast as of each of the last eight Mondays and a 12-month one as
of each of the last three month starts), so the accuracy page has figures, and today's 13-week and 12-month
forecasts, the 13-week one with new sales. Through the service, as of past days (the open items of that day).
Safe to run twice: a day that has a forecast of its granularity is skipped."""

from __future__ import annotations

from datetime import date, timedelta

from arms.customers.services import company_ensure
from arms.forecast.models import Forecast
from arms.forecast.services import forecast_run

#: how many past Mondays get a 13-week forecast, and past month starts a 12-month one
PAST_WEEKS = 8
PAST_MONTHS = 3


def _runs(today: date) -> list[tuple[date, str, bool]]:
    monday = today - timedelta(days=today.weekday())
    runs = [(monday - timedelta(weeks=k), "week", False) for k in range(PAST_WEEKS, 0, -1)]
    first = today.replace(day=1)
    for _k in range(PAST_MONTHS):
        first = (first - timedelta(days=1)).replace(day=1)
        runs.append((first, "month", False))
    return [*runs, (today, "week", True), (today, "month", False)]


def seed_demo(*, today: date, seed: int) -> dict[str, int]:
    company = company_ensure()
    made = 0
    for as_of, granularity, new_sales in _runs(today):
        if Forecast.objects.filter(company=company, as_of=as_of, granularity=granularity).exists():
            continue
        forecast_run(actor=None, company=company, as_of=as_of, granularity=granularity, include_new_sales=new_sales)
        made += 1
    return {"cash-in forecasts": made}
