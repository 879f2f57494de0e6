"""Turning an export's bytes into text, and saying so when that cannot be done safely.

Databases and reference managers write UTF-8, UTF-8 with a byte-order mark, UTF-16 (Windows
"Unicode" exports) or Windows-1252. A wrong guess silently garbles author names and abstracts,
so the order is fixed and cautious: byte-order mark, strict UTF-8, then Windows-1252, and the
statistical guess of charset-normalizer only when Windows-1252 cannot decode the bytes either. A
file that is mostly UTF-8 with a few Windows-1252 bytes (two exports pasted together) is refused
rather than guessed, because no single reading of it is right.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from screener.errors import InputError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_NON_ASCII_GOOD = re.compile("[^\x00-\x7f\ufffd]")

_ENCODING_HINT = (
    "Open the file in a text editor and save it as UTF-8, or tell screener the file's encoding "
    "with --encoding (for example --encoding cp1252 for Windows exports, or --encoding utf-8)."
)


def line_of_offset(data: bytes | str, offset: int, *, unit: int = 1) -> int:
    """1-based line number of a byte (or character) offset; ``unit`` is the code-unit width."""
    newline = b"\n" if isinstance(data, bytes) else "\n"
    if unit > 1:  # UTF-16/32: count the newline code units only at aligned positions
        nl = "\n".encode("utf-16-le" if unit == 2 else "utf-32-le")
        count = 0
        pos = data.find(nl, 0, offset)
        while pos != -1:
            if pos % unit == 0:
                count += 1
            pos = data.find(nl, pos + 1, offset)
        return count + 1
    return data.count(newline, 0, offset) + 1


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text written without a byte-order mark shows up as NUL bytes in every other slot."""
    head = data[:4000]
    if len(head) < 4 or b"\x00" not in head:
        return None
    even_nul = head[0::2].count(0)
    odd_nul = head[1::2].count(0)
    half = len(head) // 2
    if odd_nul > 0.4 * half and even_nul < 0.05 * half:
        return "utf-16-le"
    if even_nul > 0.4 * half and odd_nul < 0.05 * half:
        return "utf-16-be"
    return None


def _utf32_without_bom(data: bytes) -> str | None:
    """UTF-32 text written without a byte-order mark: every character's top byte is zero (no code point is over
    0x10FFFF), the last of each four bytes in little-endian order, the first in big-endian; and it reads as text."""
    head = data[:4000]
    head = head[:len(head) - len(head) % 4]  # whole characters
    if len(head) < 8:
        return None
    le = not head[3::4].strip(b"\x00") and max(head[2::4]) <= 0x10
    be = not head[0::4].strip(b"\x00") and max(head[1::4]) <= 0x10
    if le == be:  # neither, or NULs throughout
        return None
    codec = "utf-32-le" if le else "utf-32-be"
    text = head.decode(codec, errors="replace")
    controls = sum(text.count(chr(c)) for c in range(32) if c not in (9, 10, 12, 13)) + text.count("\ufffd")
    return codec if controls <= 0.05 * len(text) else None  # an array of small numbers is not text


def _byte_order(codec: str, data: bytes) -> str:
    """``codec`` with its byte order where it is plain UTF-16 or UTF-32 and ``data`` has no byte-order mark to tell
    it (Python's plain codecs read such text in the machine's order, or refuse it): told by the NULs, else
    little-endian, as Windows writes it."""
    if codec == "utf-16" and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _utf16_without_bom(data) or "utf-16-le"
    if codec == "utf-32" and not data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return _utf32_without_bom(data) or "utf-32-le"
    return codec


def _check_codec(encoding: str, path) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise InputError(
            f"'{encoding}' is not an encoding screener knows. Common ones are utf-8, utf-8-sig, "
            "utf-16, cp1252 (Windows, Western European) and latin-1.",
            path=path,
        ) from None


def decode_bytes(data: bytes, path, encoding: str | None = None) -> tuple[str, str, list[str]]:
    """Return ``(text, encoding_used, warnings)`` for the bytes of ``path``.

    ``encoding`` forces a codec (the user's ``--encoding``); a byte it cannot decode is reported
    with its line. Line endings are not touched here.
    """
    warnings: list[str] = []
    if encoding:
        codec = _check_codec(encoding, path)
        if codec.startswith(("utf-16", "utf-32")) and not data.startswith(tuple(b for b, n in _BOMS if "8" not in n)) \
                and b"\x00" not in data[:4000]:
            # every line end (and tag) of a UTF-16 or -32 text has a zero byte: read so, a UTF-8 export was called
            # cut off ('the download may not have finished') or 'not an RIS file', and exported again for nothing
            kind = "starts with UTF-8's byte-order mark" if data.startswith(codecs.BOM_UTF8) else \
                "has one byte a character, as UTF-8 and Windows' encodings write it"
            raise InputError(f"this file is not {encoding.upper()}, as --encoding says: it {kind}. Import it again "
                             "and leave --encoding out to let screener detect the encoding (or give the right one).",
                             path=path)
        if codec in ("utf-8",) and data.startswith(codecs.BOM_UTF8):
            codec = "utf-8-sig"
        # Python's plain utf-16 and utf-32 need a BOM; without one, tell the byte order by the NULs
        # (a UTF-32 file without one was read as UTF-16, a NUL between every two characters)
        codec = _byte_order(codec, data)
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as err:
            unit = 2 if "16" in codec else 4 if "32" in codec else 1
            line = line_of_offset(data, err.start, unit=unit)
            if unit > 1 and _cut_at_the_end(err):
                raise _cut_inside_a_character(codec, path, line) from None
            raise InputError(
                f"this file cannot be read as {encoding}: a byte (hex {data[err.start]:02X}) "
                f"on this line is not valid in that encoding. Try another --encoding (utf-8, "
                "cp1252, latin-1 or utf-16), or leave --encoding out to let screener detect it.",
                path=path,
                line=line,
            ) from None
        if text.startswith("\ufeff"):
            text = text[1:]
        return text, codec, warnings

    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(codec.replace("-sig", "")), codec, warnings
            except UnicodeDecodeError as err:
                unit = 2 if "16" in codec else 4 if "32" in codec else 1
                line = line_of_offset(data, err.start + len(bom), unit=unit)
                if unit > 1 and _cut_at_the_end(err):
                    raise _cut_inside_a_character(codec, path, line) from None
                raise InputError(
                    f"the file starts with a {codec.upper()} marker but contains bytes that are "
                    f"not {codec.upper()} (first one on this line). The file may be damaged or "
                    f"two files may have been joined. {_ENCODING_HINT}",
                    path=path,
                    line=line,
                ) from None

    for unit, without_bom in ((2, _utf16_without_bom), (4, _utf32_without_bom)):
        found = without_bom(data)
        if found:
            try:
                return data.decode(found), found, warnings
            except UnicodeDecodeError as err:
                if _cut_at_the_end(err):
                    raise _cut_inside_a_character(found, path, line_of_offset(data, err.start, unit=unit)) from None

    try:
        return data.decode("utf-8"), "utf-8", warnings
    except UnicodeDecodeError as err:
        first_bad = err.start

    # Not valid UTF-8. If the file also holds well-formed multi-byte UTF-8 characters, it is a
    # mixture (part UTF-8, part something else) and any single reading garbles part of it.
    good_multibyte = _has_utf8_multibyte(data)
    if good_multibyte:
        line = line_of_offset(data, first_bad)
        raise InputError(
            "this file mixes two text encodings: most of it is UTF-8, but this line has a byte "
            f"(hex {data[first_bad]:02X}) that is not, as happens when exports from "
            "different programs are pasted together. Accented letters would come out wrong. "
            f"{_ENCODING_HINT}",
            path=path,
            line=line,
        )

    if _mac_line_ends(data):
        # a CR alone ends each line, as only old Mac programs write (Excel's 'CSV (Macintosh)', EndNote for Mac):
        # their text is Mac OS Roman, which read as cp1252 turned 'Café' into 'CafŽ' and 'Müller' into 'MŸller'
        warnings.append(
            f"{Path(str(path)).name}: the file is not UTF-8 and ends its lines as old Mac programs do, so it was "
            "read as Mac OS Roman (mac_roman). If accented letters in titles or author names look wrong, import it "
            "again with the right --encoding (cp1252 for a Windows file)."
        )
        return data.decode("mac_roman"), "mac_roman", warnings
    try:
        text = data.decode("cp1252")
        codec = "cp1252"
    except UnicodeDecodeError:
        codec = _guess_with_charset_normalizer(data) or "latin-1"
        text = data.decode(codec, errors="strict" if codec != "latin-1" else "replace")
    warnings.append(
        f"{Path(str(path)).name}: the file is not UTF-8; it was read as {codec}. If accented "
        "letters in titles or author names look wrong, import it again with the right --encoding."
    )
    return text, codec, warnings


def _mac_line_ends(data: bytes) -> bool:
    """Whether most lines end with a CR alone, as old Mac programs end them: not every line, as Excel writes a line
    break typed inside a cell (an abstract's paragraphs) as LF in its 'CSV (Macintosh)' too."""
    lone_cr = data.count(b"\r") - data.count(b"\r\n")
    return lone_cr > 0 and lone_cr > data.count(b"\n")


def _cut_at_the_end(err: UnicodeDecodeError) -> bool:
    """Whether a UTF-16/32 reading failed only because the bytes stop part-way through a character: an odd
    byte left over ('truncated data'), or the first half of a two-part character (a surrogate pair: an
    emoji, a math letter) with nothing after it ('unexpected end of data' at the very end)."""
    return err.reason == "truncated data" or (err.reason == "unexpected end of data" and err.end == len(err.object))


def _cut_inside_a_character(codec: str, path, line: int) -> InputError:
    """A UTF-16 or UTF-32 file (two or four bytes a character) that ends part-way through one: a
    download that stopped. Another encoding or an editor cannot bring back what was cut off."""
    return InputError(
        f"the file ends in the middle of a character (it is {codec.replace('-sig', '').upper()}, written "
        f"{'two' if '16' in codec else 'four'} bytes a character): it looks cut off, the download may not have "
        "finished. Export the records again from the database and import the new file. Nothing was imported.",
        path=path,
        line=line,
    )


def _has_utf8_multibyte(data: bytes) -> bool:
    """True if the bytes contain at least one well-formed multi-byte UTF-8 sequence."""
    text = data.decode("utf-8", errors="replace")
    return _NON_ASCII_GOOD.search(text) is not None


def _guess_with_charset_normalizer(data: bytes) -> str | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - it is a declared dependency
        return None
    best = from_bytes(data).best()
    if best is None:
        return None
    try:
        data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError):
        return None
    return codecs.lookup(best.encoding).name


def split_lines(text: str) -> list[str]:
    """Lines without their endings; only \\n, \\r\\n and \\r end a line (as editors count them).

    ``str.splitlines`` also breaks at form feeds and Unicode separators that sometimes sit inside
    abstracts, which would shift every reported line number after them.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def head_text(head: bytes, encoding: str | None = None) -> str:
    """The first bytes of a file as text, for recognising its format; never raises."""
    codec = None
    if encoding:
        try:
            codec = codecs.lookup(encoding).name
        except LookupError:
            codec = None
    if codec is None:
        for bom, name in _BOMS:
            if head.startswith(bom):
                codec, head = name.replace("-sig", ""), head[len(bom):]
                break
    codec = _byte_order(codec, head) if codec else _utf16_without_bom(head) or _utf32_without_bom(head) or "utf-8"
    text = head.decode(codec, errors="replace").lstrip("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_lines(path, encoding: str | None = None) -> tuple[list[str], str, list[str]]:
    """``(lines, encoding_used, warnings)`` like ``decode_bytes`` + ``split_lines``.

    Plain UTF-8 files (nearly every export) are decoded a block of whole lines at a time, so a
    100 MB export is held in memory once, as lines, rather than as bytes, then text, then lines.
    """
    want_utf8 = encoding is None or _check_codec(encoding, path) in ("utf-8", "utf-8-sig")
    if want_utf8:
        with open(path, "rb") as fh:
            head = fh.read(4000)
        # UTF-16 or -32 without a byte-order mark: ASCII text so written is also valid UTF-8, a NUL after each letter
        if not head.startswith(tuple(b for b, name in _BOMS if "utf-8" not in name)) and not _utf16_without_bom(head) \
                and not _utf32_without_bom(head):
            lines = _utf8_lines(path)
            if lines is not None:
                used = "utf-8"
                if lines and lines[0].startswith("\ufeff"):
                    lines[0] = lines[0][1:]
                    used = "utf-8-sig"
                return lines, used, []
    text, used, warnings = decode_bytes(Path(path).read_bytes(), path, encoding)
    return split_lines(text), used, warnings


_BLOCK = 1 << 20  # bytes read at a time (bigger blocks leave holes that raise peak memory)


def _utf8_lines(path) -> list[str] | None:
    """The file's lines if it is all UTF-8, else None (the general path explains or falls back).
    Lines end at \\n, \\r\\n or \\r, as ``split_lines`` counts them. Blocks end at a line end, so
    no character is split between two."""
    lines: list[str] = []
    pending: list[bytes] = []  # the start of a line longer than a block
    with open(path, "rb") as fh:
        while True:
            block = fh.read(_BLOCK)
            if not block:
                break
            cut = block.rfind(b"\n") + 1
            if not cut:  # inside a long line (or an old Mac file, CR only: read whole at the end)
                pending.append(block)
                continue
            whole = b"".join((*pending, block[:cut - 1])) if pending else block[:cut - 1]
            pending = [block[cut:]] if cut < len(block) else []
            if not _add_utf8_lines(lines, whole):
                return None
    if pending and not _add_utf8_lines(lines, b"".join(pending)):
        return None
    return lines


def _add_utf8_lines(lines: list[str], block: bytes) -> bool:
    if b"\r" in block:
        # Windows line ends, and a stray CR inside an abstract (a line end, as ``split_lines``
        # and editors count it). The block's last line lost its LF where the block was cut, so a
        # CR left at its end is that line's CRLF. Both used to send the whole file down the
        # general path, which holds it as one string: 6 GB for a 1.5 GB file with one emoji.
        if block.endswith(b"\r"):
            block = block[:-1]
        block = block.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    try:
        lines.extend(block.decode("utf-8").split("\n"))
    except UnicodeDecodeError:
        return False
    return True
