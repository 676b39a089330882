"""Data access: one module per aggregate, each holding its PynamoDB model (the
schema source for DynamoDB Local, the tests and infra/) and its queries."""
