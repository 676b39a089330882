"""Tracing: on Lambda each invocation and each DynamoDB call is traced; anywhere
else the X-Ray SDK is not even imported. Each case runs the app in a fresh
interpreter, because tracing patches botocore for the whole process."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from chalicelib.observability import tracing_on

FUNCTIONS = Path(__file__).resolve().parents[2] / "functions"
ON_LAMBDA = {"LAMBDA_TASK_ROOT": "/var/task"}


def _run(script: str, **environment: str) -> dict:
    """The JSON `script` prints, run beside functions/app.py."""
    variables = {key: value for key, value in os.environ.items()
                 if key not in ("LAMBDA_TASK_ROOT", "POWERTOOLS_TRACE_DISABLED")}
    variables.update(PYTHONPATH=str(FUNCTIONS), **environment)
    done = subprocess.run([sys.executable, "-c", script], cwd=FUNCTIONS, env=variables,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.splitlines()[-1])


@pytest.mark.parametrize("environment, on", [
    ({}, False),
    (ON_LAMBDA, True),
    ({**ON_LAMBDA, "POWERTOOLS_TRACE_DISABLED": "false"}, True),
    ({**ON_LAMBDA, "POWERTOOLS_TRACE_DISABLED": "true"}, False),
    ({**ON_LAMBDA, "POWERTOOLS_TRACE_DISABLED": "1"}, False),
    ({**ON_LAMBDA, "AWS_SAM_LOCAL": "true"}, False),
    ({**ON_LAMBDA, "AWS_CHALICE_CLI_MODE": "true"}, False),
    ({"POWERTOOLS_TRACE_DISABLED": "false"}, False),  # no X-Ray daemon to send to
])
def test_traces_are_made_on_lambda_unless_turned_off(environment, on):
    assert tracing_on(environment) is on


def test_off_lambda_the_app_does_not_load_the_x_ray_sdk():
    loaded = _run("import sys, json, app\n"
                  "print(json.dumps({'xray': 'aws_xray_sdk' in sys.modules}))")
    assert loaded == {"xray": False}


TRACED_REQUEST = """
import json
import app
from aws_xray_sdk.core import xray_recorder
from chalice.test import Client

class Recorded:
    names = []
    def send_entity(self, entity):
        self.names.append(entity.name)
    def set_daemon_address(self, address):
        pass

xray_recorder.configure(emitter=Recorded())
with Client(app.app) as client:
    status = client.http.get("/api/v1/health").status_code
print(json.dumps({"status": status, "subsegments": Recorded.names}))
"""


def test_on_lambda_a_request_and_its_dynamodb_calls_are_subsegments(database):
    traced = _run(TRACED_REQUEST, **ON_LAMBDA, AWS_XRAY_CONTEXT_MISSING="RUNTIME_ERROR",
                  _X_AMZN_TRACE_ID="Root=1-65f0a000-0123456789abcdef01234567;"
                                   "Parent=0123456789abcdef;Sampled=1")
    assert traced["status"] == 200
    # Sent as each closes: the DynamoDB call first, inside the request's.
    assert traced["subsegments"] == ["dynamodb", "## GET /api/v1/health"]
