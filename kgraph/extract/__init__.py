"""Stage 1: files → documents → sections → spaCy mentions (one document at a time, no corpus).

``ingest`` reads files, ``sections`` splits them, ``nlp/`` holds the spaCy components and
``gazetteers/`` the lists they match against; ``document`` runs one document through all of
it and ``cache`` keeps the result by text hash and pipeline fingerprint.
"""
