"""The spaCy pipeline: ``spacy.blank("en")`` plus kgraph's own rule components."""
