"""Nothing is public that should not be: the site and the API are reached only
through HTTPS, the buckets only through CloudFront or presigned URLs, the
functions only by API Gateway and their schedules, and no secret is in the
template."""

import json

CLOUDFRONT_SERVICE = {"Service": "cloudfront.amazonaws.com"}


def test_every_bucket_blocks_public_access_and_acls_and_is_encrypted(template):
    for logical_id, props in template.of_type("AWS::S3::Bucket").items():
        assert props["PublicAccessBlockConfiguration"] == {
            "BlockPublicAcls": True, "BlockPublicPolicy": True,
            "IgnorePublicAcls": True, "RestrictPublicBuckets": True}, logical_id
        assert props["OwnershipControls"]["Rules"] == [
            {"ObjectOwnership": "BucketOwnerEnforced"}], logical_id
        assert props["BucketEncryption"]["ServerSideEncryptionConfiguration"], logical_id
        assert "WebsiteConfiguration" not in props, logical_id


def test_bucket_policies_deny_plain_http_and_admit_only_the_distribution(template):
    (distribution,) = template.of_type("AWS::CloudFront::Distribution")
    identities = set(template.of_type("AWS::CloudFront::CloudFrontOriginAccessIdentity"))
    for logical_id, props in template.of_type("AWS::S3::BucketPolicy").items():
        statements = props["PolicyDocument"]["Statement"]
        assert any(s["Effect"] == "Deny" and s["Condition"] == {
            "Bool": {"aws:SecureTransport": "false"}} for s in statements), logical_id
        for statement in statements:
            if statement["Effect"] != "Allow":
                continue
            assert statement["Action"] == "s3:GetObject", logical_id
            principal = statement["Principal"]
            if principal == CLOUDFRONT_SERVICE:  # origin access control
                assert template.resolve(statement["Condition"]["StringEquals"][
                    "AWS:SourceArn"]).endswith(f":distribution/${{{distribution}}}")
            else:  # origin access identity (China)
                (identity, _) = principal["CanonicalUser"]["Fn::GetAtt"]
                assert identity in identities, logical_id


def test_only_the_site_bucket_has_a_reader_besides_the_functions(template):
    readable = {props["Bucket"]["Ref"] for props in template.of_type("AWS::S3::BucketPolicy")
                .values()
                if any(s["Effect"] == "Allow" for s in props["PolicyDocument"]["Statement"])}
    origins = {template.resolve(origin["DomainName"])
               for props in template.of_type("AWS::CloudFront::Distribution").values()
               for origin in props["DistributionConfig"]["Origins"]}
    assert {f"${{{bucket}.RegionalDomainName}}" for bucket in readable} == {
        origin for origin in origins if origin.endswith(".RegionalDomainName}")}
    assert len(readable) == 1


def test_functions_are_invoked_only_by_this_api_and_their_schedules(template):
    assert not template.of_type("AWS::Lambda::Url")
    for logical_id, props in template.of_type("AWS::Serverless::Function").items():
        assert "FunctionUrlConfig" not in props, logical_id
        for event in props.get("Events", {}).values():
            assert event["Type"] == "Schedule", logical_id
    for logical_id, props in template.of_type("AWS::Lambda::Permission").items():
        assert props["Principal"] == "apigateway.amazonaws.com", logical_id
        assert template.resolve(props["SourceArn"]).startswith(
            "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${RestAPI}/")


def test_the_site_and_the_api_answer_https_only(template):
    (config,) = [props["DistributionConfig"]
                 for props in template.of_type("AWS::CloudFront::Distribution").values()]
    assert config["DefaultCacheBehavior"]["ViewerProtocolPolicy"] == "redirect-to-https"
    for behavior in config["CacheBehaviors"]:
        assert behavior["ViewerProtocolPolicy"] == "https-only"
    for origin in config["Origins"]:
        if "CustomOriginConfig" in origin:
            assert origin["CustomOriginConfig"]["OriginProtocolPolicy"] == "https-only"
            assert origin["CustomOriginConfig"]["OriginSSLProtocols"] == ["TLSv1.2"]


def test_the_alarm_topic_admits_this_accounts_alarms_and_no_one_else(template):
    (props,) = template.of_type("AWS::SNS::TopicPolicy").values()
    allowed = [s for s in props["PolicyDocument"]["Statement"] if s["Effect"] == "Allow"]
    # Without this statement the topic's own policy would turn the alarms away.
    (statement,) = allowed
    assert statement["Principal"] == {"Service": "cloudwatch.amazonaws.com"}
    assert statement["Action"] == "sns:Publish"
    assert statement["Condition"]["StringEquals"] == {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}


def test_no_secret_is_created_or_written_in_the_template(template):
    # The signing keys are an SSM SecureString made before the first deploy
    # (infra/README.md): CloudFormation can neither create one nor keep it out
    # of its own records.
    assert not template.of_type("AWS::SecretsManager::Secret")
    for props in template.of_type("AWS::SSM::Parameter").values():
        assert props.get("Type") != "SecureString"
    text = json.dumps(template.data)
    assert "WANGGE_JWT_KEYS" not in text
