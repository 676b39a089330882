"""One origin for the web app and its API: CloudFront serves frontend/dist and
routes /api/* to API Gateway; the app's pages get its shell in both partitions."""

import json
import subprocess

from wangge_infra import gateway

CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
ALL_VIEWER_EXCEPT_HOST_HEADER = "b689b0a8-53d0-40ab-baf2-68738e2966ac"


def _config(template):
    (props,) = template.of_type("AWS::CloudFront::Distribution").values()
    return props["DistributionConfig"]


def _origin(config, origin_id):
    (origin,) = [o for o in config["Origins"] if o["Id"] == origin_id]
    return origin


def test_api_paths_go_uncached_to_api_gateway_with_every_method_and_header(template):
    config = _config(template)
    (behavior,) = [b for b in config["CacheBehaviors"] if b["PathPattern"] == "/api/*"]
    origin = _origin(config, behavior["TargetOriginId"])
    stage = template.resources["RestAPI"]["Properties"]["StageName"]
    assert template.resolve(origin["DomainName"]) == (
        "${RestAPI}.execute-api.${AWS::Region}.${AWS::URLSuffix}")
    # /api/v1/... on the site is /<stage>/api/v1/... on API Gateway.
    assert origin["OriginPath"] == f"/{stage}"
    assert set(behavior["AllowedMethods"]) >= {"GET", "POST", "PUT", "PATCH", "DELETE"}
    assert behavior["CachePolicyId"] == CACHING_DISABLED
    # With caching off, this policy forwards Authorization and all but Host.
    assert behavior["OriginRequestPolicyId"] == ALL_VIEWER_EXCEPT_HOST_HEADER


def test_the_rest_api_is_regional_traced_throttled_and_answers_in_the_envelope(template):
    api = template.resources["RestAPI"]["Properties"]
    assert api["EndpointConfiguration"] == "REGIONAL"
    assert api["TracingEnabled"] is True
    assert api["MethodSettings"][0]["ThrottlingRateLimit"] > 0
    responses = api["DefinitionBody"]["x-amazon-apigateway-gateway-responses"]
    assert set(responses) == set(gateway.RESPONSES)
    for response_type, response in responses.items():
        body = response["responseTemplates"]["application/json"]
        filled = body.replace("$context.requestId", "r-1").replace(
            "$context.error.messageString", '"Forbidden"')
        error = json.loads(filled)["error"]
        assert set(error) == {"code", "message", "details", "request_id"}, response_type


def test_site_files_come_from_the_bucket_and_pages_get_the_shell(template):
    config = _config(template)
    assert config["DefaultRootObject"] == "index.html"
    default = config["DefaultCacheBehavior"]
    if template.target.china:
        _check_china_shell(template, config, default)
        return
    origin = _origin(config, default["TargetOriginId"])
    assert template.resolve(origin["DomainName"]).endswith(".RegionalDomainName}")
    assert origin["OriginAccessControlId"]
    (association,) = default["FunctionAssociations"]
    assert association["EventType"] == "viewer-request"
    (function,) = template.of_type("AWS::CloudFront::Function").values()
    assert _routed(function["FunctionCode"], ["/", "/cases/12", "/q/AbC-9_x", "/assets/app-1.js",
                                              "/icon.svg"]) == [
        "/index.html", "/index.html", "/scan.html", "/assets/app-1.js", "/icon.svg"]


def _routed(function_code, uris):
    """What the viewer-request function makes of each URI, run in Node."""
    script = function_code + (
        f"console.log(JSON.stringify({json.dumps(uris)}.map("
        "(uri) => handler({ request: { uri } }).uri)))")
    return json.loads(subprocess.run(["node", "-e", script], capture_output=True, text=True,
                                     check=True).stdout)


def _check_china_shell(template, config, default):
    """No CloudFront Function nor origin access control in China: a path the
    bucket does not have fails over to the shell API."""
    assert not template.of_type("AWS::CloudFront::Function")
    assert not template.of_type("AWS::CloudFront::OriginAccessControl")
    (group,) = config["OriginGroups"]["Items"]
    assert default["TargetOriginId"] == group["Id"]
    assert 403 in group["FailoverCriteria"]["StatusCodes"]["Items"]
    primary, fallback = (_origin(config, member["OriginId"])
                         for member in group["Members"]["Items"])
    assert primary["S3OriginConfig"]["OriginAccessIdentity"]
    (shell_api,) = template.of_type("AWS::ApiGateway::RestApi")
    assert template.resolve(fallback["DomainName"]).startswith(f"${{{shell_api}}}.execute-api.")
    # Every path gets the shell, a QR code's link (/q/...) the scan page.
    served = {}
    for method in template.of_type("AWS::ApiGateway::Method").values():
        assert method["HttpMethod"] == "GET"
        page = template.resolve(method["Integration"]["Uri"]).rsplit("/", 1)[-1]
        served[_resource_path(template, method["ResourceId"]["Ref"])] = page
    assert served == {"{proxy+}": "index.html", "q/{proxy+}": "scan.html"}
    role = method["Integration"]["Credentials"]["Fn::GetAtt"][0]
    (policy,) = template.resources[role]["Properties"]["Policies"]
    (statement,) = policy["PolicyDocument"]["Statement"]
    assert statement["Action"] == "s3:GetObject"
    assert sorted(template.resolve(arn).rsplit("/", 1)[-1] for arn in statement["Resource"]) == [
        "index.html", "scan.html"]


def _resource_path(template, resource_id):
    props = template.resources[resource_id]["Properties"]
    parent = props["ParentId"]
    above = "" if "Fn::GetAtt" in parent else _resource_path(template, parent["Ref"]) + "/"
    return above + props["PathPart"]


def test_the_site_has_its_own_domain_and_certificate_when_given(template):
    config = _config(template)
    domain = template.target.context.get("domain_name")
    if domain is None:
        assert "Aliases" not in config
        return
    assert config["Aliases"] == [domain]
    certificate = config["ViewerCertificate"]
    assert certificate["IamCertificateId"] == template.target.context["iam_certificate_id"]
    assert certificate["MinimumProtocolVersion"] == "TLSv1.2_2021"


def test_the_buckets_admit_uploads_and_downloads_from_the_site_only(template):
    config = _config(template)
    distribution = next(iter(template.of_type("AWS::CloudFront::Distribution")))
    site_origins = {f"https://${{{distribution}.DomainName}}"} | {
        f"https://{alias}" for alias in config.get("Aliases", [])}
    stage = template.target.stage
    for props in template.of_type("AWS::S3::Bucket").values():
        name = template.resolve(props.get("BucketName", ""))
        if not name.startswith((f"wangge-{stage}-attachments-", f"wangge-{stage}-exports-")):
            assert "CorsConfiguration" not in props
            continue
        (rule,) = props["CorsConfiguration"]["CorsRules"]
        assert {template.resolve(o) for o in rule["AllowedOrigins"]} == site_origins, name
        # Only attachments are uploaded from the browser, as a presigned POST form.
        assert ("POST" in rule["AllowedMethods"]) == ("attachments" in name), name
        assert "PUT" not in rule["AllowedMethods"], name
        assert props["LifecycleConfiguration"]["Rules"], name
