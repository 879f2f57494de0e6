"""Checks on option values, before any work starts: a wrong value is named, with what to give."""

from __future__ import annotations

from ..errors import InputError


#: The --model and --embedding-model help of the commands that rank (next, screen, serve, open).
MODEL_HELP = ("How the records are ranked. Default: the project's ('default', screener's recommended model); "
              "the other names are for comparing methods, and a wrong one lists them all.")
EMBEDDING_HELP = ("The language model that reads what each record means, not only its words, so includes worded "
                  "differently rank high too: 'default' (all-MiniLM-L6-v2, installed with screener), the folder "
                  "of another sentence-transformers model, or 'none' to rank on the words alone. "
                  "Default: the project's ('default').")


def at_least(option: str, value: int | None, low: int, what: str) -> None:
    if value is not None and value < low:
        raise InputError(f"{option} {value}: give {what} (a whole number, {low} or more).")


def port(value: int) -> None:
    """A port to listen on: 0 (any free one) to 65535; past it the system refused with a traceback."""
    if not 0 <= value <= 65535:
        raise InputError(f"--port {value}: give a port number from 1 to 65535 (the default is 8000), or 0 to "
                         "pick a free one.")


def share(option: str, value: float | None, what: str) -> None:
    """A proportion strictly between 0 and 1 (recall, confidence); 95 is read as a mistake for 0.95."""
    if value is None:
        return
    if not 0 < value < 1:
        # 95 or 80 is a percentage; 1.5 a slip, not a 1.5% recall or confidence anyone means
        hint = f" (did you mean {value / 100:g}?)" if 10 <= value < 100 else ""
        raise InputError(f"{option} {value:g}: give {what} as a proportion between 0 and 1, for example 0.95{hint}.")


def embedding_model(value: str | None) -> None:
    """A model that exists here: 'none', the default, a model folder, or one in the local model cache.

    Checked even when this command would not read embeddings, so a misspelling is caught at once
    rather than when a protocol is added."""
    if value is None:
        return
    s = str(value).strip()
    if s.lower() == "none":
        return
    from ..features.embeddings import _DEFAULT_ALIASES, resolve_model

    if not s or s.lower() in _DEFAULT_ALIASES:
        return
    from pathlib import Path

    if Path(resolve_model(s)).is_dir():
        return
    try:  # a sentence-transformers name already in the local Hugging Face cache
        from huggingface_hub import try_to_load_from_cache

        for repo in (s, f"sentence-transformers/{s}"):
            hit = try_to_load_from_cache(repo, "config.json")
            if isinstance(hit, str):
                return
    except Exception:  # noqa: BLE001 - no hub library or a malformed name: not found either way
        pass
    raise InputError(
        f"--embedding-model {s!r}: no such model here (screener works offline). Give 'default' "
        "(all-MiniLM-L6-v2, installed with screener), 'none' (rank on the words alone), or the path of a model folder.")


def not_a_folder(option: str, path, example: str) -> None:
    """A file to write named as an existing folder: said before the file's type is checked, which
    read the folder's name as a type ("cannot export to ''")."""
    from pathlib import Path

    if Path(path).is_dir():
        raise InputError(f"{option} names a folder; give the file's name, e.g. {Path(path) / example}", path=path)


def output_file(option: str, path, example: str) -> None:
    """A file to write, checked before the work: a folder of that name would take the file inside
    it (an export 'written' where no one looks) or fail at the end. A folder above it that does
    not exist yet is made, as the report does."""
    from pathlib import Path

    path = Path(path)
    not_a_folder(option, path, example)
    if not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)


def folder_first(command: str, directory, files) -> None:
    """The file given before the review folder ('screener label batch1.csv review'): told only "this is a file,
    not a project folder", the reviewer who had given the folder did not see that the order was wrong."""
    from pathlib import Path

    from ..project import DB_NAME, DB_URL_FILE
    from ..shell import shell_quote

    directory = Path(directory)
    folder = next((Path(f) for f in files if (Path(f) / DB_NAME).is_file() or (Path(f) / DB_URL_FILE).is_file()),
                  None)
    if directory.is_file() and folder is not None:
        rest = " ".join(shell_quote(f) for f in [directory, *files] if Path(f) != folder)
        raise InputError(f"this is a file, and {folder} is the review's folder: the review folder comes first, "
                         f"then the files: screener {command} {shell_quote(folder)} {rest} (with the options as you "
                         "gave them).", path=directory)


def stage(value: str) -> str:
    """The screening stage: title_abstract or full_text ('full-text' and 'full text' read as full_text)."""
    from ..records import STAGES

    s = "_".join(str(value).strip().lower().replace("-", " ").replace("/", " ").split())
    if s in STAGES:
        return s
    raise InputError(f"--stage {value}: give --stage full_text for full-text decisions, or leave it out for "
                     "title and abstract ones (--stage title_abstract). Nothing was saved.")
