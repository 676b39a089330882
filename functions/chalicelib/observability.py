"""Powertools Logger, Metrics and Tracer, set up once and imported everywhere."""

from aws_lambda_powertools import Logger, Metrics, Tracer

SERVICE = "wangge"

logger = Logger(service=SERVICE)
metrics = Metrics(namespace="Wangge", service=SERVICE)
tracer = Tracer(service=SERVICE)
