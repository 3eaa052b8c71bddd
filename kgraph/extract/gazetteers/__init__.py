"""Gazetteers kept as Turtle in ``ontology/``: organisations and legislation."""

from pathlib import Path

#: The ``ontology/`` directory shipped with the project.
ONTOLOGY_DIR = Path(__file__).resolve().parents[3] / "ontology"
