"""The web app behind ``screener serve``: screening page, records list, dashboard, dual screening.

``create_app(project_dir)`` builds the Flask app; ``WebScreener`` keeps the ranking warm and
retrains in the background; ``agreement`` holds Cohen's kappa for dual screening.
"""

from .agreement import agreement_table, cohen_kappa


def create_app(*args, **kwargs):
    """See ``screener.web.app.create_app`` (imported on first use: Flask loads only when serving)."""
    from .app import create_app as _create_app

    return _create_app(*args, **kwargs)


__all__ = ["agreement_table", "cohen_kappa", "create_app"]
