"""Stage 5, show: browsing the store in Datasette (`serve`, the plugin and templates in
`datasette/`) and the Atom feed (`feed`)."""
