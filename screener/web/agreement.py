"""Agreement between two screeners, as the dashboard shows it: kept in ``screener.agreement``, which
the report reads too (the methods text gives the same kappa as the dashboard, without web code)."""

from ..agreement import (  # noqa: F401
    CATEGORIES,
    MIN_STUDIES_FOR_WORDS,
    agreement_frame,
    agreement_table,
    blind_agreement_table,
    blind_votes,
    cohen_kappa,
    interpret_kappa,
    kappa_interval,
)

__all__ = ["CATEGORIES", "agreement_frame", "agreement_table", "blind_agreement_table", "blind_votes", "cohen_kappa",
           "interpret_kappa", "kappa_interval"]
