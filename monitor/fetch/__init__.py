"""Stage 1, fetch: which URLs to fetch and when, before Scrapy (in `crawler/`) fetches them.

`urls` (the canonical spelling of a URL, the key of an article), `policy` (revisit tiers and
durations), `discover` (articles from feeds, sitemaps and section pages, as parsers over bytes
Scrapy fetched) and `sources` (the sources file).
"""
