"""Wangge's HTTP API and scheduled functions: the table of contents."""

from chalice import Chalice, Rate
from chalicelib import observability, sweeps
from chalicelib.routes import (
    auth,
    cases,
    grids,
    hotline,
    households,
    ledger_files,
    open311,
    public,
    qr_codes,
    rentals,
    system,
    users,
    workers,
)
from chalicelib.web.api import API_PREFIX
from chalicelib.web.middleware import http_middleware

app = Chalice(app_name="wangge")
observability.trace(app)  # first: its subsegment holds all the rest
app.register_middleware(http_middleware, "http")

# Accounts; the grid registry and ledgers; the case loop (事件闭环) with 12345
# hotline intake and Open311 GeoReport v2; the QR codes on boards and cards, and
# what a resident's scan of one opens.
for routes in (system, auth, users, grids, workers, households, rentals, ledger_files,
               cases, hotline, open311, qr_codes, public):
    app.register_blueprint(routes.resource.blueprint, url_prefix=API_PREFIX)


# The scheduled sweeps (chalicelib/sweeps.py says what each does).
def _every(name: str) -> Rate:
    return Rate(sweeps.SWEEPS[name].every_minutes, unit=Rate.MINUTES)


@app.schedule(_every("resume-grid-moves"), name="resume-grid-moves")
def resume_grid_moves(event):
    return sweeps.run("resume-grid-moves")


@app.schedule(_every("ledger-jobs"), name="ledger-jobs")
def ledger_jobs(event):
    return sweeps.run("ledger-jobs")


@app.schedule(_every("print-sheets"), name="print-sheets")
def print_sheets(event):
    return sweeps.run("print-sheets")


@app.schedule(_every("case-deadlines"), name="case-deadlines")
def case_deadlines(event):
    return sweeps.run("case-deadlines")


@app.schedule(_every("hotline-callbacks"), name="hotline-callbacks")
def hotline_callbacks(event):
    return sweeps.run("hotline-callbacks")
