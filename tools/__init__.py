"""Developer tools: scripts that are not part of the installed package."""
