"""Wangge's HTTP API and scheduled functions: the table of contents."""

from chalice import Chalice, Rate
from chalicelib.routes import (
    auth,
    grids,
    households,
    ledger_files,
    rentals,
    system,
    users,
    workers,
)
from chalicelib.web.api import API_PREFIX
from chalicelib.web.middleware import http_middleware

app = Chalice(app_name="wangge")
app.register_middleware(http_middleware, "http")

for routes in (system, auth, users, grids, workers, households, rentals, ledger_files):
    app.register_blueprint(routes.resource.blueprint, url_prefix=API_PREFIX)


@app.schedule(Rate(1, unit=Rate.MINUTES), name="resume-grid-moves")
def resume_grid_moves(event):
    """Carry on subtree moves a request could not finish (a timeout, a crash)."""
    from chalicelib.usecases import grid_moves

    grid_moves.resume_running_moves()


@app.schedule(Rate(1, unit=Rate.MINUTES), name="ledger-jobs")
def ledger_jobs(event):
    """Carry on Excel imports and exports a request could not finish."""
    from chalicelib.usecases import ledger_files

    ledger_files.resume_jobs()


# The case loop (事件闭环): cases, 12345 hotline intake, Open311 GeoReport v2.
from chalice import Rate  # noqa: E402
from chalicelib.routes import cases, hotline, open311  # noqa: E402

for routes in (cases, hotline, open311):
    app.register_blueprint(routes.resource.blueprint, url_prefix=API_PREFIX)


@app.schedule(Rate(5, unit=Rate.MINUTES), name="case-deadlines")
def case_deadlines(event):
    """Warn before a case's stage runs out, mark it overdue and escalate after."""
    from chalicelib.usecases import case_deadlines

    case_deadlines.sweep()


@app.schedule(Rate(1, unit=Rate.MINUTES), name="hotline-callbacks")
def hotline_callbacks(event):
    """Notify the 12345 platform of closed tickets; retry failures with back-off."""
    from chalicelib.usecases import hotline

    hotline.deliver_callbacks()
