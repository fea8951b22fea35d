"""Treatment Returns, the application: reading extracts, the workspace, returns, the CLI and the UI.

Only ``app.ui`` imports Qt; everything else here is plain Python services over ``rules``.
"""

__version__ = "0.1.0"
