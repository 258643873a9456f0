"""frameworks: compare the legal frameworks for mining and using resources in outer space.

The installed package is ``space_frameworks``; in a checkout the repository root is that package
(see pyproject.toml: ``package-dir``). ``schema`` holds the record models and loaders, ``reports``
the Comparison and its renderers, ``cli`` the command line.
"""

__version__ = "0.1.0"
