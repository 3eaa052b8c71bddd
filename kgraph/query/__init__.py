"""Questions to the store in SPARQL: one-shot selects for the CLI (``select``) and the
killable worker pool the endpoint runs queries in (``executor``)."""
