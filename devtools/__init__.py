"""Tooling for running and testing Wangge on one machine. Not deployed."""
