"""The ``kgraph`` command line (``main``); one module per command family."""
