"""Every function of the app is deployed with the permissions it declares and no
more, its settings, its schedule, its log group and its alarms."""

import json
import re
from pathlib import Path

import pytest
from wangge_infra import app_functions, permissions

TABLE_READ = {"dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"}
TABLE_WRITE = {"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
               "dynamodb:ConditionCheckItem"}
TABLE_ACTIONS = {"read": TABLE_READ, "append": TABLE_READ | {"dynamodb:PutItem"},
                 "read_write": TABLE_READ | TABLE_WRITE}
FUNCTIONS_DIR = Path(__file__).resolve().parents[2] / "functions"


@pytest.fixture(scope="module")
def declared_functions(chalice_app):
    return app_functions.functions_of(chalice_app)


@pytest.fixture(scope="module")
def needs():
    return permissions.declared()


def _deployed(template):
    """logical ID -> properties of every function in the template."""
    return template.of_type("AWS::Serverless::Function")


def _bucket_objects(template, purpose):
    return (f"arn:${{AWS::Partition}}:s3:::wangge-{template.target.stage}-{purpose}-"
            "${AWS::AccountId}-${AWS::Region}/*")


def _granted(template, role_logical_id):
    """(action, resource) pairs a role allows, from its inline and attached policies."""
    role = template.resources[role_logical_id]["Properties"]
    assert not role.get("ManagedPolicyArns"), role_logical_id
    documents = [policy["PolicyDocument"] for policy in role.get("Policies", [])]
    documents += [props["PolicyDocument"]
                  for props in template.of_type("AWS::IAM::Policy").values()
                  if {"Ref": role_logical_id} in props.get("Roles", [])]
    pairs = set()
    for document in documents:
        for statement in document["Statement"]:
            assert statement["Effect"] == "Allow" and "NotAction" not in statement \
                and "NotResource" not in statement, statement
            actions = statement["Action"]
            resources = statement["Resource"]
            for action in actions if isinstance(actions, list) else [actions]:
                for resource in resources if isinstance(resources, list) else [resources]:
                    pairs.add((action, template.resolve(resource)))
    return pairs


def _expected(template, function_props, entry):
    """The (action, resource) pairs a FUNCTION_NEEDS entry stands for, in the template."""
    stage = template.target.stage
    prefix = f"wangge-{stage}-"
    tables = {props["TableName"].removeprefix(prefix): (logical_id, props)
              for logical_id, props in template.of_type("AWS::DynamoDB::Table").items()}
    declared = entry.get("tables", {})
    levels = {name: declared.get(name, declared.get("*")) for name in tables}
    pairs = set()
    for aggregate, level in levels.items():
        if level is None:
            continue
        logical_id, props = tables[aggregate]
        arn = f"${{{logical_id}.Arn}}"
        pairs |= {(action, arn) for action in TABLE_ACTIONS[level]}
        for index in props.get("GlobalSecondaryIndexes", []) + props.get(
                "LocalSecondaryIndexes", []):
            pairs.add(("dynamodb:Query", f"{arn}/index/{index['IndexName']}"))
    for purpose, level in entry.get("buckets", {}).items():
        if "read" in level:
            pairs.add(("s3:GetObject", _bucket_objects(template, purpose)))
            pairs.add(("s3:ListBucket", _bucket_objects(template, purpose).removesuffix("/*")))
        if "write" in level:
            pairs.add(("s3:PutObject", _bucket_objects(template, purpose)))
    if entry.get("signing_keys"):
        parameter = (f"arn:${{AWS::Partition}}:ssm:{template.target.region}:"
                     f"${{AWS::AccountId}}:parameter/wangge/{stage}/jwt-signing-keys")
        pairs.add(("ssm:GetParameter", parameter))
    if entry.get("qr_keys"):
        parameter = (f"arn:${{AWS::Partition}}:ssm:{template.target.region}:"
                     f"${{AWS::AccountId}}:parameter/wangge/{stage}/qr-signing-keys")
        pairs.add(("ssm:GetParameter", parameter))
    (log_group,) = [logical_id for logical_id, props in template.of_type(
        "AWS::Logs::LogGroup").items()
        if props["LogGroupName"] == f"/aws/lambda/{function_props['FunctionName']}"]
    pairs |= {("logs:CreateLogStream", f"${{{log_group}.Arn}}"),
              ("logs:PutLogEvents", f"${{{log_group}.Arn}}"),
              ("xray:PutTraceSegments", "*"), ("xray:PutTelemetryRecords", "*")}
    return pairs


def test_every_function_of_the_app_is_deployed(template, declared_functions):
    assert sorted(_deployed(template)) == sorted(f.logical_id for f in declared_functions)


def test_every_function_declares_what_it_touches(declared_functions, needs):
    declaration, where = needs
    undeclared = [f.name for f in declared_functions if f.name not in declaration]
    assert not undeclared, (f"declare what {', '.join(undeclared)} may touch in {where} "
                            "(FUNCTION_NEEDS): tables, buckets, signing keys")


def test_no_function_is_declared_that_the_app_does_not_have(declared_functions, needs):
    declaration, where = needs
    names = {f.name for f in declared_functions}
    assert not set(declaration) - names, f"stale entries in {where}"


def test_every_function_may_do_exactly_what_it_declares(template, declared_functions, needs):
    declaration, _ = needs
    deployed = _deployed(template)
    for function in declared_functions:
        props = deployed[function.logical_id]
        role = props["Role"]["Fn::GetAtt"][0]
        assert _granted(template, role) == _expected(
            template, props, declaration.get(function.name, {})), function.name


def test_the_audit_log_is_only_appended_to(template):
    (audit,) = [f"${{{logical_id}.Arn}}" for logical_id, props in template.of_type(
        "AWS::DynamoDB::Table").items() if props["TableName"].endswith("-audit")]
    appending = set()
    for role in template.of_type("AWS::IAM::Role"):
        actions = {action for action, resource in _granted(template, role) if resource == audit}
        assert not actions & {"dynamodb:UpdateItem", "dynamodb:DeleteItem",
                              "dynamodb:BatchWriteItem"}, role
        if "dynamodb:PutItem" in actions:
            appending.add(role)
    assert appending, "no function writes the audit log"


def test_each_function_has_a_role_of_its_own_that_only_lambda_assumes(template):
    roles = [props["Role"]["Fn::GetAtt"][0] for props in _deployed(template).values()]
    assert len(set(roles)) == len(roles)
    for role in roles:
        (statement,) = template.resources[role]["Properties"][
            "AssumeRolePolicyDocument"]["Statement"]
        assert statement["Principal"] == {"Service": "lambda.amazonaws.com"}, role


def test_no_role_or_policy_grants_a_wildcard_action_or_resource(template):
    tracing = set(permissions.TRACING)
    for role in template.of_type("AWS::IAM::Role"):
        for action, resource in _granted(template, role):
            assert "*" not in action, (role, action)
            assert resource != "*" or action in tracing, (role, action, resource)


def test_the_app_makes_no_call_whose_action_is_granted_to_no_function():
    for path in sorted(FUNCTIONS_DIR.rglob("*.py")):
        if ".chalice" in path.parts:
            continue
        source = path.read_text(encoding="utf-8")
        for pattern, action in permissions.NOT_GRANTED.items():
            match = re.search(pattern, source)
            assert match is None, (
                f"{path.relative_to(FUNCTIONS_DIR)} calls {match.group(0)!r}, which needs "
                f"{action}: no function may do that (infra/wangge_infra/permissions.py)")


def test_every_function_finds_its_settings_in_the_environment(template):
    stage = template.target.stage
    bucket = "wangge-{stage}-{purpose}-${{AWS::AccountId}}-${{AWS::Region}}"
    for logical_id, props in _deployed(template).items():
        variables = {name: template.resolve(value)
                     for name, value in props["Environment"]["Variables"].items()}
        assert variables | {
            "WANGGE_STAGE": stage,
            "WANGGE_TABLE_PREFIX": f"wangge-{stage}-",
            "WANGGE_JWT_KEY_PARAMETER": f"/wangge/{stage}/jwt-signing-keys",
            "WANGGE_QR_KEY_PARAMETER": f"/wangge/{stage}/qr-signing-keys",
            "WANGGE_ATTACHMENTS_BUCKET": bucket.format(stage=stage, purpose="attachments"),
            "WANGGE_EXPORTS_BUCKET": bucket.format(stage=stage, purpose="exports"),
        } == variables, logical_id


def test_a_stage_with_a_domain_prints_its_codes_for_it(template):
    domain = template.target.context.get("domain_name")
    for logical_id, props in _deployed(template).items():
        site = props["Environment"]["Variables"].get("WANGGE_SITE_URL")
        assert site == (f"https://{domain}" if domain else None), logical_id


def test_every_function_is_named_traced_and_logged_with_a_retention(template):
    retention = 365 if template.target.stage == "prod" else 30
    groups = {props["LogGroupName"]: (logical_id, props)
              for logical_id, props in template.of_type("AWS::Logs::LogGroup").items()}
    for logical_id, props in _deployed(template).items():
        assert props["FunctionName"].startswith(f"wangge-{template.target.stage}-")
        assert props["Tracing"] == "Active", logical_id
        group_id, group = groups[f"/aws/lambda/{props['FunctionName']}"]
        assert group["RetentionInDays"] == retention
        assert group_id in template.resources[logical_id]["DependsOn"], logical_id


def test_the_api_function_gives_up_before_api_gateway_does(template):
    assert _deployed(template)[app_functions.API_LOGICAL_ID]["Timeout"] <= 29


def test_every_schedule_has_the_expression_the_code_declares(template, chalice_app):
    from chalice.app import ScheduledEventConfig
    from chalice.utils import to_cfn_resource_name

    declared = {(to_cfn_resource_name(source.name),
                 source.schedule_expression if isinstance(source.schedule_expression, str)
                 else source.schedule_expression.to_string())
                for source in chalice_app.event_sources
                if isinstance(source, ScheduledEventConfig)}
    deployed = {(logical_id, event["Properties"]["Schedule"])
                for logical_id, props in _deployed(template).items()
                for event in props.get("Events", {}).values() if event["Type"] == "Schedule"}
    assert deployed == declared


def _alarms(template):
    return list(template.of_type("AWS::CloudWatch::Alarm").values())


def _watches(alarm, namespace, metric, dimensions):
    """Whether the alarm watches the metric, alone or in its metric math."""
    metrics = [alarm] + [query["MetricStat"]["Metric"] for query in alarm.get("Metrics", [])
                         if "MetricStat" in query]
    return any(m.get("Namespace") == namespace and m.get("MetricName") == metric
               and {d["Name"]: d["Value"] for d in m.get("Dimensions", [])} == dimensions
               for m in metrics)


def test_every_alarm_notifies_the_alarm_topic(template):
    (topic,) = template.of_type("AWS::SNS::Topic")
    for alarm in _alarms(template):
        assert alarm["AlarmActions"] == [{"Ref": topic}], alarm["AlarmName"]


def test_every_function_is_alarmed_on_errors_throttles_and_duration(template):
    for props in _deployed(template).values():
        dimensions = {"FunctionName": props["FunctionName"]}
        for metric in ("Errors", "Throttles", "Duration"):
            assert any(_watches(alarm, "AWS/Lambda", metric, dimensions)
                       for alarm in _alarms(template)), (props["FunctionName"], metric)


def test_every_sweep_is_alarmed_when_it_fails_for_good_or_does_not_start(template):
    for props in _deployed(template).values():
        for event in props.get("Events", {}).values():
            if event["Type"] != "Schedule":
                continue
            assert any(_watches(alarm, "AWS/Lambda", "AsyncEventsDropped",
                                {"FunctionName": props["FunctionName"]})
                       for alarm in _alarms(template)), props["FunctionName"]
            assert any(_watches(alarm, "AWS/Events", "FailedInvocations",
                                {"RuleName": event["Properties"]["Name"]})
                       for alarm in _alarms(template)), props["FunctionName"]


def test_in_prod_every_table_is_alarmed_on_throttled_reads_and_writes(template):
    watching_tables = [alarm for alarm in _alarms(template)
                       if "AWS/DynamoDB" in json.dumps(alarm.get("Metrics", []))]
    if template.target.stage != "prod":
        assert not watching_tables
        return
    for props in template.of_type("AWS::DynamoDB::Table").values():
        for metric in ("ReadThrottleEvents", "WriteThrottleEvents"):
            assert any(_watches(alarm, "AWS/DynamoDB", metric, {"TableName": props["TableName"]})
                       for alarm in watching_tables), (props["TableName"], metric)
