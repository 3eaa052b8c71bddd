"""Stage 3: facts → RDF with provenance (``rdf``), SHACL checks (``validate``), the Oxigraph
store (``store``) and the build that drives every stage from files to store (``build``)."""
