"""``python -m screener``: the ``screener`` command, for a Python whose scripts folder is not on PATH
(a notebook's kernel, a Windows install)."""

from screener.keep_open import main

main()
