"""Wangge's AWS deployment as code: one CDK stack per stage (dev, prod).

Modules:
- `schema`: the DynamoDB tables, read off the PynamoDB models in
  functions/chalicelib/store/tables.py (ALL_MODELS, TTL_ATTRIBUTES)
- `app_functions`: the Lambda functions, read off the Chalice app
- `permissions`: what each function may touch (FUNCTION_NEEDS) and the IAM
  actions that stands for
- `gateway`: API Gateway's own error answers in the app's error envelope
- `site`: the web app and /api/ on one CloudFront origin, in both partitions
- `alarms`: the alarm topic and the alarms
- `stage`: what differs between dev and prod, and between regions
- `stack`: the stack itself
"""
