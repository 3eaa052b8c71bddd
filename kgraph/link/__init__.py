"""Stage 2: across the corpus — canonical facts (``resolve``), then links between decisions,
documents and agreements (``corpus`` drives the rules in ``rules`` and ``agreements``)."""
