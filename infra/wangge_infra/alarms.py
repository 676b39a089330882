"""The stage's alarms: one SNS topic, and an alarm per thing that can go wrong
unnoticed (a function failing, throttled or running out of time, a sweep that
did not run or failed for good, DynamoDB throttling, the API answering 5xx)."""

from __future__ import annotations

from aws_cdk import Aws, Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as cloudwatch_actions
from aws_cdk import aws_iam as iam
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from constructs import Construct

PERIOD = Duration.minutes(5)


def _metric(namespace: str, name: str, dimensions: dict[str, str], statistic: str = "Sum"
            ) -> cloudwatch.Metric:
    return cloudwatch.Metric(namespace=namespace, metric_name=name, dimensions_map=dimensions,
                             statistic=statistic, period=PERIOD)


class Alarms:
    def __init__(self, scope: Construct, stage: str, email: str | None) -> None:
        self.scope = scope
        self.stage = stage
        self.topic = sns.Topic(scope, "Alarms", topic_name=f"wangge-{stage}-alarms",
                               enforce_ssl=True)
        # The topic's policy (made for enforce_ssl) replaces SNS's default one,
        # so CloudWatch, publishing for this account's alarms, must be let in.
        self.topic.add_to_resource_policy(iam.PolicyStatement(
            sid="AlarmsPublish",
            principals=[iam.ServicePrincipal("cloudwatch.amazonaws.com")],
            actions=["sns:Publish"],
            resources=[self.topic.topic_arn],
            conditions={
                "StringEquals": {"aws:SourceAccount": Aws.ACCOUNT_ID},
                "ArnLike": {"aws:SourceArn":
                            f"arn:{Aws.PARTITION}:cloudwatch:{Aws.REGION}:{Aws.ACCOUNT_ID}:alarm:*"},
            },
        ))
        if email:
            self.topic.add_subscription(subscriptions.EmailSubscription(email))

    def alarm(self, construct_id: str, description: str, metric: cloudwatch.IMetric,
              threshold: float, evaluation_periods: int = 1, datapoints: int = 1) -> None:
        alarm = cloudwatch.Alarm(
            self.scope, construct_id,
            alarm_name=f"wangge-{self.stage}-{construct_id}",
            alarm_description=description,
            metric=metric,
            threshold=threshold,
            evaluation_periods=evaluation_periods,
            datapoints_to_alarm=datapoints,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )
        alarm.add_alarm_action(cloudwatch_actions.SnsAction(self.topic))
        alarm.add_ok_action(cloudwatch_actions.SnsAction(self.topic))

    def function(self, logical_id: str, name: str, timeout_seconds: int) -> None:
        dimensions = {"FunctionName": name}
        self.alarm(f"{logical_id}Errors", f"{name}: invocations failed",
                   _metric("AWS/Lambda", "Errors", dimensions), threshold=1)
        self.alarm(f"{logical_id}Throttles", f"{name}: invocations throttled",
                   _metric("AWS/Lambda", "Throttles", dimensions), threshold=1)
        self.alarm(f"{logical_id}Duration", f"{name}: p99 duration near its timeout",
                   _metric("AWS/Lambda", "Duration", dimensions, "p99"),
                   threshold=timeout_seconds * 1000 * 0.8, evaluation_periods=3, datapoints=2)

    def sweep(self, logical_id: str, name: str, rule_name: str) -> None:
        """A scheduled function: failed for good, or never started."""
        self.alarm(f"{logical_id}SweepFailed",
                   f"{name}: a scheduled run failed after its retries; rerun it (infra/README.md)",
                   _metric("AWS/Lambda", "AsyncEventsDropped", {"FunctionName": name}),
                   threshold=1)
        self.alarm(f"{logical_id}SweepNotStarted",
                   f"{name}: EventBridge could not invoke the scheduled run",
                   _metric("AWS/Events", "FailedInvocations", {"RuleName": rule_name}),
                   threshold=1)

    def table(self, construct_id: str, table_name: str) -> None:
        """Throttled reads or writes on the table. (A throttled index query or
        write fails its request after the SDK's retries, which the function
        and API alarms see; watching every index too would double the metrics
        billed.)"""
        dimensions = {"TableName": table_name}
        metrics = {"reads": _metric("AWS/DynamoDB", "ReadThrottleEvents", dimensions),
                   "writes": _metric("AWS/DynamoDB", "WriteThrottleEvents", dimensions)}
        # DynamoDB sends no data point while nothing is throttled: FILL keeps
        # throttled reads from being hidden by writes that are not, and back.
        self.alarm(f"{construct_id}Throttles", f"{table_name}: reads or writes throttled",
                   cloudwatch.MathExpression(expression="FILL(reads, 0) + FILL(writes, 0)",
                                             using_metrics=metrics, label="throttle events",
                                             period=PERIOD),
                   threshold=1)

    def api(self, api_name: str, stage: str) -> None:
        self.alarm("Api5xx", f"API {api_name}: server errors",
                   _metric("AWS/ApiGateway", "5XXError", {"ApiName": api_name, "Stage": stage}),
                   threshold=5)
