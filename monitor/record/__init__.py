"""Between fetch and store: what one fetched page means for its article.

`page` records a fetched page (check, version, change and edits); `reextract` re-derives stored
versions when the extractor changes.
"""
