"""kgraph: council decision papers into an RDF knowledge graph.

>>> import kgraph
>>> kgraph.__version__
'0.1.0'
"""

__version__ = "0.1.0"
