"""SPARQL: ``select`` for the CLI; for the server, ``analysis`` (what a query or update would
do, from its parse), ``results`` (result writers) and ``executor`` / ``workers`` (the
killable worker pool that parses, checks and runs queries, and applies updates)."""
