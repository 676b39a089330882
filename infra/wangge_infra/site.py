"""The web app on one origin: frontend/dist in a private bucket behind
CloudFront, and `/api/*` routed to API Gateway through the same distribution.

The app's pages (/grid, /cases/123 ...) are no files: they are answered with
the app's shell, index.html; a QR code's link (/q/<token>) with the resident's
scan page, scan.html. Outside China the bucket admits only this distribution
through origin access control, and a CloudFront Function rewrites a page's
path to its file. The China regions' CloudFront has neither (no
AWS::CloudFront::OriginAccessControl or ::Function there; cfn-lint checks it
per region), so there the bucket admits an origin access identity, and a path
the bucket does not have (403) fails over to a small API that answers every
path with index.html (and /q/* with scan.html) read from the bucket. (A custom error
response would do it too, but for the whole distribution: it would turn the
API's own 403 and 404 answers into the shell.) CloudFront in China also takes
no ACM certificate (an IAM server certificate instead) and serves nothing on
its *.cloudfront.cn name: the site needs its own ICP-recorded domain.
infra/README.md has the details.
"""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import Annotations, Aws, Duration, RemovalPolicy
from aws_cdk import aws_apigateway as apigateway
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from constructs import Construct

from wangge_infra.stage import StageSettings

# A QR code's link gets the scan page; any other path whose last segment has no
# dot is a page of the single-page app, answered with its shell (as
# devtools/server.py does locally).
SPA_ROUTING = """\
function handler(event) {
  var request = event.request;
  var last = request.uri.split('/').pop();
  if (request.uri.indexOf('/q/') === 0) {
    request.uri = '/scan.html';
  } else if (last.indexOf('.') === -1) {
    request.uri = '/index.html';
  }
  return request;
}
"""
# China: the stage of the API that answers pages with the shell.
SHELL_STAGE = "shell"


@dataclass
class Site:
    bucket: s3.Bucket
    distribution: cloudfront.Distribution
    url: str
    origins: list[str]  # the site's origins, for the buckets' CORS rules


def private_bucket(scope: Construct, construct_id: str, removal: RemovalPolicy,
                   **kwargs) -> s3.Bucket:
    """Encrypted, TLS only, no ACLs, every kind of public access blocked."""
    return s3.Bucket(
        scope, construct_id,
        block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
        encryption=s3.BucketEncryption.S3_MANAGED,
        enforce_ssl=True,
        object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        removal_policy=removal,
        **kwargs,
    )


def build(scope: Construct, settings: StageSettings, removal: RemovalPolicy, api_id: str,
          api_stage: str) -> Site:
    bucket = private_bucket(
        scope, "Site", removal,
        versioned=True,
        lifecycle_rules=[
            s3.LifecycleRule(id="abort-incomplete-multipart-uploads",
                             abort_incomplete_multipart_upload_after=Duration.days(1)),
            # Files of older builds stay for pages still open on them, then go.
            s3.LifecycleRule(id="expire-old-versions",
                             noncurrent_version_expiration=Duration.days(30),
                             expired_object_delete_marker=True),
        ],
    )
    if settings.is_china:
        site_origin = origins.OriginGroup(
            primary_origin=origins.S3BucketOrigin.with_origin_access_identity(bucket),
            fallback_origin=origins.HttpOrigin(
                _shell_api(scope, settings.stage, bucket), origin_path=f"/{SHELL_STAGE}",
                protocol_policy=cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
                origin_ssl_protocols=[cloudfront.OriginSslPolicy.TLS_V1_2]),
            # S3 answers 403 for a key it does not have when the reader may not list.
            fallback_status_codes=[403, 404],
        )
        function_associations = None
    else:
        site_origin = origins.S3BucketOrigin.with_origin_access_control(bucket)
        routing = cloudfront.Function(
            scope, "SpaRouting",
            function_name=f"wangge-{settings.stage}-spa-routing",
            code=cloudfront.FunctionCode.from_inline(SPA_ROUTING),
            runtime=cloudfront.FunctionRuntime.JS_2_0,
            comment="Pages of the single-page app get its shell, index.html",
        )
        function_associations = [cloudfront.FunctionAssociation(
            function=routing, event_type=cloudfront.FunctionEventType.VIEWER_REQUEST)]
    certificate = (acm.Certificate.from_certificate_arn(scope, "Certificate",
                                                        settings.certificate_arn)
                   if settings.certificate_arn else None)
    api_domain = f"{api_id}.execute-api.{Aws.REGION}.{Aws.URL_SUFFIX}"
    distribution = cloudfront.Distribution(
        scope, "Cdn",
        comment=f"wangge-{settings.stage}: site and /api/",
        default_root_object="index.html",
        http_version=cloudfront.HttpVersion.HTTP2,
        certificate=certificate,
        domain_names=[settings.domain_name] if certificate else None,
        minimum_protocol_version=(cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021
                                  if certificate else None),
        default_behavior=cloudfront.BehaviorOptions(
            origin=site_origin,
            viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
            cache_policy=cloudfront.CachePolicy.CACHING_OPTIMIZED,
            response_headers_policy=cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
            compress=True,
            function_associations=function_associations,
        ),
        additional_behaviors={
            "/api/*": cloudfront.BehaviorOptions(
                # /api/v1/... on the site is /<stage>/api/v1/... on API Gateway.
                origin=origins.HttpOrigin(
                    api_domain, origin_path=f"/{api_stage}",
                    protocol_policy=cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
                    origin_ssl_protocols=[cloudfront.OriginSslPolicy.TLS_V1_2]),
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
                allowed_methods=cloudfront.AllowedMethods.ALLOW_ALL,
                # Nothing cached; with caching off, this policy forwards every
                # viewer header (Authorization included) but Host, which API
                # Gateway needs to be its own.
                cache_policy=cloudfront.CachePolicy.CACHING_DISABLED,
                origin_request_policy=(
                    cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER),
                compress=True,
            ),
        },
    )
    if settings.iam_certificate_id:
        config = distribution.node.default_child
        config.add_property_override("DistributionConfig.Aliases", [settings.domain_name])
        config.add_property_override("DistributionConfig.ViewerCertificate", {
            "IamCertificateId": settings.iam_certificate_id,
            "SslSupportMethod": "sni-only",
            "MinimumProtocolVersion": "TLSv1.2_2021",
        })
    if settings.is_china and not settings.domain_name:
        Annotations.of(scope).add_warning_v2(
            "wangge:china-domain",
            "CloudFront in the China regions serves no content on its *.cloudfront.cn name: "
            "deploy with -c domain_name=... -c iam_certificate_id=... (an ICP-recorded domain)")
    site_origins = [f"https://{distribution.distribution_domain_name}"]
    if settings.domain_name:
        site_origins.append(f"https://{settings.domain_name}")
    return Site(bucket=bucket, distribution=distribution, url=f"{site_origins[-1]}/",
                origins=site_origins)


def _shell_api(scope: Construct, stage: str, bucket: s3.Bucket) -> str:
    """A REST API answering GET on any path with the bucket's index.html, and on
    /q/* (a QR code's link) with scan.html; its domain."""
    pages = {"index.html": "{proxy+}", "scan.html": "q/{proxy+}"}
    role = iam.Role(
        scope, "ShellRole",
        assumed_by=iam.ServicePrincipal("apigateway.amazonaws.com"),
        description=f"Wangge {stage}: the shell API reads index.html and scan.html",
        inline_policies={"shell": iam.PolicyDocument(statements=[iam.PolicyStatement(
            actions=["s3:GetObject"], resources=[bucket.arn_for_objects(page)
                                                 for page in pages])])},
    )
    headers = ("Content-Type", "Cache-Control")

    def integration(page: str) -> apigateway.AwsIntegration:
        return apigateway.AwsIntegration(
            service="s3", integration_http_method="GET", path=f"{bucket.bucket_name}/{page}",
            options=apigateway.IntegrationOptions(
                credentials_role=role,
                integration_responses=[
                    apigateway.IntegrationResponse(status_code="200", response_parameters={
                        f"method.response.header.{header}": f"integration.response.header.{header}"
                        for header in headers}),
                    # The site has not been uploaded yet.
                    apigateway.IntegrationResponse(status_code="404", selection_pattern=r"4\d{2}"),
                ]),
        )
    method_responses = [
        apigateway.MethodResponse(status_code="200", response_parameters={
            f"method.response.header.{header}": True for header in headers}),
        apigateway.MethodResponse(status_code="404"),
    ]
    api = apigateway.RestApi(
        scope, "Shell",
        rest_api_name=f"wangge-{stage}-shell",
        description="The web app's shell for its pages (China: no CloudFront Functions)",
        endpoint_types=[apigateway.EndpointType.REGIONAL],
        cloud_watch_role=False,
        deploy_options=apigateway.StageOptions(
            stage_name=SHELL_STAGE, throttling_rate_limit=50, throttling_burst_limit=100),
    )
    for page, path in pages.items():
        api.root.resource_for_path(path).add_method(
            "GET", integration(page), method_responses=method_responses)
    return f"{api.rest_api_id}.execute-api.{Aws.REGION}.{Aws.URL_SUFFIX}"
