"""Redline's Datasette layer: metadata, templates, the render plugin and the diff pages.

Article text is attacker-controlled: every piece of HTML made here is built from escaped text
(`diffs.py`), and cell rendering is configured per table or view, never per database.
"""

# The name `redline serve` gives the database, whatever its file is called: stable URLs.
DATABASE = "redline"
