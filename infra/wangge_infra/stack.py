"""One Wangge stage on AWS: the Chalice app (API Gateway, one Lambda function
per route handler, schedule or plain function, each with its own role), the
DynamoDB tables read off the models, the attachments and exports buckets, the
site on CloudFront with the API under /api/ of the same origin, and the alarms.

Every ARN is built on the stack's partition (`Aws.PARTITION`), so the same code
deploys to the AWS China regions (partition aws-cn).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aws_cdk as cdk
from aws_cdk import Annotations, Aws, Duration, RemovalPolicy, Stack
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from chalice.cdk import Chalice
from constructs import Construct

from wangge_infra import app_functions, gateway, permissions, site
from wangge_infra.alarms import Alarms
from wangge_infra.app_functions import AppFunction
from wangge_infra.schema import Key, TableSpec, table_prefix
from wangge_infra.stage import StageSettings

REST_API = "RestAPI"  # the logical ID Chalice gives the REST API
# Chalice needs a role ARN when it does not manage roles; every function's Role
# is replaced by the one this stack makes for it.
ROLE_PLACEHOLDER = "arn:aws:iam::000000000000:role/replaced-by-the-wangge-stack"

ATTRIBUTE_TYPE = {
    "S": dynamodb.AttributeType.STRING,
    "N": dynamodb.AttributeType.NUMBER,
    "B": dynamodb.AttributeType.BINARY,
}
PROJECTION = {
    "ALL": dynamodb.ProjectionType.ALL,
    "KEYS_ONLY": dynamodb.ProjectionType.KEYS_ONLY,
    "INCLUDE": dynamodb.ProjectionType.INCLUDE,
}
RETENTION = {
    30: logs.RetentionDays.ONE_MONTH,
    365: logs.RetentionDays.ONE_YEAR,
}


def _camel(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in name.replace("-", "_").split("_"))


def _attribute(key: Key) -> dynamodb.Attribute:
    return dynamodb.Attribute(name=key.name, type=ATTRIBUTE_TYPE[key.type])


class WanggeStack(Stack):
    def __init__(self, scope: Construct, *, settings: StageSettings, tables: list[TableSpec],
                 functions_dir: Path, **kwargs: Any) -> None:
        # The Chalice construct packages the app for the stage named like its
        # scope, so this stack's construct ID is the stage (dev, prod: the
        # stages of functions/.chalice/config.json); its CloudFormation name
        # says what it is.
        super().__init__(
            scope, settings.stage,
            stack_name=f"wangge-{settings.stage}",
            env=cdk.Environment(region=settings.region),
            description=f"Wangge grid governance, stage {settings.stage}",
            termination_protection=settings.deletion_protection,
            **kwargs,
        )
        self.settings = settings
        self.prefix = table_prefix(settings.stage)
        self.data_removal = RemovalPolicy.RETAIN if settings.retain_data else RemovalPolicy.DESTROY
        cdk.Tags.of(self).add("project", "wangge")
        cdk.Tags.of(self).add("stage", settings.stage)

        self.alarms = Alarms(self, settings.stage, settings.alarm_email)
        self.table_specs = tables
        self.tables = {spec.aggregate: self._table(spec) for spec in tables}
        self.buckets = {"attachments": self._attachments_bucket(),
                        "exports": self._exports_bucket()}
        self.chalice = self._chalice_app(functions_dir)
        self._sam = json.loads((Path(self.chalice._sam_package_dir) / "sam.json").read_text())
        self.functions = self._functions(app_functions.functions_of(
            app_functions.load_app(functions_dir)))
        api_stage = self._rest_api()
        self.site = site.build(self, settings, self.data_removal,
                               api_id=self.chalice.get_resource(REST_API).ref,
                               api_stage=api_stage)
        self._cors()
        self._outputs()

    # -- data ------------------------------------------------------------------

    def _table(self, spec: TableSpec) -> dynamodb.Table:
        construct_id = f"Table{_camel(spec.aggregate)}"
        table = dynamodb.Table(
            self, construct_id,
            table_name=spec.table_name(self.prefix),
            partition_key=_attribute(spec.partition_key),
            sort_key=_attribute(spec.sort_key) if spec.sort_key else None,
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            encryption=dynamodb.TableEncryption.AWS_MANAGED,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True),
            deletion_protection=self.settings.deletion_protection,
            time_to_live_attribute=spec.ttl_attribute,
            removal_policy=self.data_removal,
        )
        for index in spec.global_indexes:
            table.add_global_secondary_index(
                index_name=index.name,
                partition_key=_attribute(index.partition_key),
                sort_key=_attribute(index.sort_key) if index.sort_key else None,
                projection_type=PROJECTION[index.projection],
                non_key_attributes=list(index.non_key_attributes) or None,
            )
        for index in spec.local_indexes:
            table.add_local_secondary_index(
                index_name=index.name,
                sort_key=_attribute(index.sort_key),
                projection_type=PROJECTION[index.projection],
                non_key_attributes=list(index.non_key_attributes) or None,
            )
        if self.settings.table_alarms:
            self.alarms.table(construct_id, spec.table_name(self.prefix))
        return table

    def _bucket_name(self, purpose: str) -> str:
        # Named, so that the functions' environment and policies name the
        # bucket without depending on it: its CORS rule names the
        # distribution, which fronts the API, which calls the functions.
        return f"wangge-{self.settings.stage}-{purpose}-{Aws.ACCOUNT_ID}-{Aws.REGION}"

    def _attachments_bucket(self) -> s3.Bucket:
        """Case photos and documents, uploaded and viewed through presigned URLs."""
        return site.private_bucket(
            self, "Attachments", self.data_removal,
            bucket_name=self._bucket_name("attachments"),
            versioned=True,
            lifecycle_rules=[
                s3.LifecycleRule(id="abort-incomplete-multipart-uploads",
                                 abort_incomplete_multipart_upload_after=Duration.days(1)),
                # Attachments of settled cases are rarely read again.
                s3.LifecycleRule(
                    id="infrequent-access-after-90-days",
                    transitions=[s3.Transition(storage_class=s3.StorageClass.INFREQUENT_ACCESS,
                                               transition_after=Duration.days(90))]),
                # Overwritten or deleted attachments stay recoverable for 30 days.
                s3.LifecycleRule(id="expire-old-versions",
                                 noncurrent_version_expiration=Duration.days(30),
                                 expired_object_delete_marker=True),
            ],
        )

    def _exports_bucket(self) -> s3.Bucket:
        """Generated spreadsheets: personal data that can be made again, kept a week."""
        return site.private_bucket(
            self, "Exports", self.data_removal,
            bucket_name=self._bucket_name("exports"),
            lifecycle_rules=[
                s3.LifecycleRule(id="expire-after-7-days", expiration=Duration.days(7),
                                 abort_incomplete_multipart_upload_after=Duration.days(1)),
            ],
        )

    def _cors(self) -> None:
        """The browser uploads and downloads with presigned URLs from the site's origin."""
        # Photos go up as a presigned POST form (usecases/case_attachments.py).
        rules = {"attachments": [s3.HttpMethods.GET, s3.HttpMethods.HEAD, s3.HttpMethods.POST],
                 "exports": [s3.HttpMethods.GET, s3.HttpMethods.HEAD]}
        for purpose, methods in rules.items():
            self.buckets[purpose].add_cors_rule(
                allowed_methods=methods, allowed_origins=self.site.origins,
                allowed_headers=["*"], exposed_headers=["ETag"], max_age=3000)

    # -- functions -------------------------------------------------------------

    def _chalice_app(self, functions_dir: Path) -> Chalice:
        return Chalice(
            self, "Api", source_dir=str(functions_dir),
            stage_config={
                "manage_iam_role": False,
                "iam_role_arn": ROLE_PLACEHOLDER,
                # The dependencies go into one layer, rebuilt only when
                # requirements.txt changes; the function zip holds the app alone.
                "automatic_layer": True,
                # CloudFront is the edge; China has regional endpoints only.
                "api_gateway_endpoint_type": "REGIONAL",
                "xray": True,
                "lambda_memory_size": self.settings.worker_memory_mb,
                "lambda_timeout": self.settings.worker_timeout_seconds,
                "tags": {"project": "wangge", "stage": self.settings.stage},
            },
        )

    def _environment(self) -> dict[str, str]:
        """What every function finds in its environment, besides what Lambda sets
        (AWS_REGION ...) and functions/.chalice/config.json (POWERTOOLS_*)."""
        # The site's own domain goes into every printed QR code; the CloudFront
        # name cannot (the distribution is built after the functions, and points
        # at their API): a stage without a domain name makes no code until
        # WANGGE_SITE_URL is set by hand.
        site = ({"WANGGE_SITE_URL": f"https://{self.settings.domain_name}"}
                if self.settings.domain_name else {})
        return site | {
            "WANGGE_STAGE": self.settings.stage,
            "WANGGE_TABLE_PREFIX": self.prefix,
            "WANGGE_JWT_KEY_PARAMETER": self.settings.signing_keys_parameter,
            "WANGGE_QR_KEY_PARAMETER": self.settings.qr_keys_parameter,
            "WANGGE_ATTACHMENTS_BUCKET": self._bucket_name("attachments"),
            "WANGGE_EXPORTS_BUCKET": self._bucket_name("exports"),
        }

    def _functions(self, declared: list[AppFunction]) -> list[AppFunction]:
        """Name, role, environment, log group and alarms of every function."""
        in_template = {logical_id for logical_id, resource in self._sam["Resources"].items()
                       if resource["Type"] == "AWS::Serverless::Function"}
        if in_template != {function.logical_id for function in declared}:
            raise ValueError(f"chalice package made the functions {sorted(in_template)}, the "
                             f"app declares {sorted(f.logical_id for f in declared)}")
        needs, where = permissions.declared()
        environment = self._environment()
        for function in declared:
            name = function.physical_name(self.settings.stage)
            resource = self.chalice.get_resource(function.logical_id)
            log_group = logs.LogGroup(
                self, f"{function.logical_id}Logs",
                log_group_name=f"/aws/lambda/{name}",
                retention=RETENTION[self.settings.log_retention_days],
                removal_policy=self.data_removal,
            )
            if function.name not in needs:
                Annotations.of(self).add_warning_v2(
                    "wangge:undeclared-function",
                    f"{function.name} has no entry in FUNCTION_NEEDS ({where}): it may "
                    "touch no table, bucket or key")
            role = self._role(function, log_group, needs.get(function.name, {}))
            resource.add_property_override("FunctionName", name)
            resource.add_property_override("Role", role.role_arn)
            for variable, value in environment.items():
                resource.add_property_override(f"Environment.Variables.{variable}", value)
            if function.is_api:
                resource.add_property_override("MemorySize", self.settings.api_memory_mb)
                resource.add_property_override("Timeout", self.settings.api_timeout_seconds)
                timeout = self.settings.api_timeout_seconds
            else:
                timeout = self._sam["Resources"][function.logical_id]["Properties"]["Timeout"]
            # Lambda would otherwise create the log group, with no retention,
            # on the first invocation.
            resource.node.add_dependency(log_group)
            self.alarms.function(function.logical_id, name, timeout)
            if function.schedule:
                rule_name = self._name_schedule_rule(function)
                self.alarms.sweep(function.logical_id, name, rule_name)
        return declared

    def _role(self, function: AppFunction, log_group: logs.LogGroup,
              raw_needs: dict[str, Any]) -> iam.Role:
        needs = permissions.parse(function.name, raw_needs, self.table_specs)
        statements = [
            iam.PolicyStatement(sid=grant.sid, actions=list(grant.actions),
                                resources=[self._arn(resource) for resource in grant.resources])
            for grant in permissions.grants(needs, self.table_specs)
        ]
        statements += [
            iam.PolicyStatement(sid="Logs", actions=list(permissions.LOGS),
                                resources=[log_group.log_group_arn]),
            iam.PolicyStatement(sid="Tracing", actions=list(permissions.TRACING),
                                resources=["*"]),
        ]
        return iam.Role(
            self, f"{function.logical_id}Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description=f"Wangge {self.settings.stage}: the function {function.name}",
            # Inline, so the function is created only once its role may act.
            inline_policies={"access": iam.PolicyDocument(statements=statements)},
        )

    def _arn(self, resource: tuple[str, ...]) -> str:
        kind, *parts = resource
        if kind == "table":
            return self.tables[parts[0]].table_arn
        if kind == "index":
            return f"{self.tables[parts[0]].table_arn}/index/{parts[1]}"
        if kind == "bucket":
            return f"arn:{Aws.PARTITION}:s3:::{self._bucket_name(parts[0])}"
        if kind == "objects":
            return f"arn:{Aws.PARTITION}:s3:::{self._bucket_name(parts[0])}/*"
        if kind == "signing_keys":
            return self.format_arn(
                service="ssm", resource="parameter",
                resource_name=self.settings.signing_keys_parameter.lstrip("/"))
        if kind == "qr_keys":
            return self.format_arn(
                service="ssm", resource="parameter",
                resource_name=self.settings.qr_keys_parameter.lstrip("/"))
        raise ValueError(f"no ARN for {resource}")

    def _name_schedule_rule(self, function: AppFunction) -> str:
        """Give the EventBridge rule SAM makes a name its alarm can watch."""
        events = self._sam["Resources"][function.logical_id]["Properties"]["Events"]
        (event_id,) = [event_id for event_id, event in events.items()
                       if event["Type"] == "Schedule"]
        rule_name = function.physical_name(self.settings.stage)
        self.chalice.get_resource(function.logical_id).add_property_override(
            f"Events.{event_id}.Properties.Name", rule_name)
        return rule_name

    def _rest_api(self) -> str:
        """API Gateway: a name, tracing, throttling and the error envelope; returns its stage."""
        api_name = f"wangge-{self.settings.stage}"
        api = self.chalice.get_resource(REST_API)
        api.add_property_override("Name", api_name)
        api.add_property_override("TracingEnabled", True)
        api.add_property_override("MethodSettings", [{
            "ResourcePath": "/*",
            "HttpMethod": "*",
            "ThrottlingRateLimit": self.settings.api_rate_limit,
            "ThrottlingBurstLimit": self.settings.api_burst_limit,
        }])
        api.add_property_override("DefinitionBody.x-amazon-apigateway-gateway-responses",
                                  gateway.gateway_responses())
        stage = self._sam["Resources"][REST_API]["Properties"]["StageName"]
        self.alarms.api(api_name, stage)
        return stage

    # -- outputs ---------------------------------------------------------------

    def _outputs(self) -> None:
        outputs = {
            "SiteUrl": self.site.url,
            "SiteBucketName": self.site.bucket.bucket_name,
            "DistributionId": self.site.distribution.distribution_id,
            "AttachmentsBucketName": self.buckets["attachments"].bucket_name,
            "ExportsBucketName": self.buckets["exports"].bucket_name,
            "SigningKeysParameter": self.settings.signing_keys_parameter,
            "QrKeysParameter": self.settings.qr_keys_parameter,
            "AlarmTopicArn": self.alarms.topic.topic_arn,
            "TablePrefix": self.prefix,
        }
        for output_id, value in outputs.items():
            cdk.CfnOutput(self, output_id, value=value)
        for function in self.functions:
            cdk.CfnOutput(self, f"{function.logical_id}FunctionName",
                          value=function.physical_name(self.settings.stage))
