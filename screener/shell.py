"""Paths and names as the command lines that messages suggest print them.

A reviewer copies 'Next: screener import DIR YOUR_EXPORT.ris' as it is; a folder named 'peer support
review' split by the shell into three words makes that line fail. A path is quoted only when it needs
it, so a plain one (/tmp/review, next.csv) reads as before.
"""
from __future__ import annotations

import os
import re
import shlex

# what cmd.exe and PowerShell read as a plain word; anything else goes in double quotes (which
# Windows paths cannot hold)
_WINDOWS_PLAIN = re.compile(r"[\w@%+=:,./\\-]+")


def shell_quote(path) -> str:
    """``path`` (a Path, file name, reviewer's name) as one word of a shell command line."""
    text = str(path)
    if os.name == "nt":
        return text if _WINDOWS_PLAIN.fullmatch(text) else f'"{text}"'
    return shlex.quote(text)
