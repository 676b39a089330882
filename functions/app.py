"""Wangge's HTTP API and scheduled functions: the table of contents."""

from chalice import Chalice
from chalicelib.routes import auth, grids, system, users
from chalicelib.web.api import API_PREFIX
from chalicelib.web.middleware import http_middleware

app = Chalice(app_name="wangge")
app.register_middleware(http_middleware, "http")

for routes in (system, auth, users, grids):
    app.register_blueprint(routes.resource.blueprint, url_prefix=API_PREFIX)
