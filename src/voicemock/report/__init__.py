"""Session reviews: terminal (rich), self-contained HTML, Markdown and JSON.

``model.build_review`` computes what every format shows; ``terminal``, ``html`` and ``markdown``
only lay it out. Nothing here imports rich or jinja2 at package import time.
"""
