"""Read models over the stored graph for the REST API and the CLI: resource views
(``views``) and the decision lineage index and its exports (``lineage``)."""
