"""Scrapy commands of the project (COMMANDS_MODULE): `crawl`, with Redline's exit codes."""
