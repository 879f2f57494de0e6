"""The WHO ICTRP search portal's XML export ('Export results to XML': ``<Trials_downloaded_from_ICTRP>``, one
``<Trial>`` a trial, its fields one element each: ``<TrialID>``, ``<Public_title>``, ``<web_address>``...).

Its fields are the columns of the portal's CSV export, named with '_' for ' ' ('Public_title' is 'Public title'),
so each trial is read as a row of that table: one trial exported either way is one record, titled, dated, linked and
typed alike (``screener.io.tabular``'s reading of a register's export). The parse is expat's own, so that each trial
is known by the line it starts on and a damaged file is refused with its line and the element it broke in.
"""

from __future__ import annotations

import re
from xml.parsers import expat

from screener.errors import InputError
from screener.io.common import source_name
from screener.records import counted, noun

ROOT, TRIAL = "Trials_downloaded_from_ICTRP", "Trial"
#: Fields named otherwise than the CSV's column: read under the CSV's name ('Main_ID' stands for the trial id in
#: some descriptions of the export; the portal's files seen write 'TrialID')
_RENAMED = {"Main_ID": "TrialID"}
_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.S)
_TITLES = ("Public title", "Scientific title")
#: What expat says of a file that stops short: no closing tag, a tag or a character cut in two
_CUT = {expat.errors.codes[e] for e in (expat.errors.XML_ERROR_NO_ELEMENTS, expat.errors.XML_ERROR_UNCLOSED_TOKEN,
                                         expat.errors.XML_ERROR_PARTIAL_CHAR)}


class _Trials:
    """The trials of one export, as (line, {field: text}), gathered by expat's handlers."""

    def __init__(self, parser):
        self.parser = parser
        self.open: list[tuple[str, int]] = []  # (element, line) from the root down
        self.trials: list[tuple[int, dict[str, str]]] = []
        self.names: list[str] = []  # every field, in the order first met
        self.elements: dict[str, str] = {}  # field -> its element's name as the file writes it ('Public_title')
        self.text: list[str] = []
        self.root = None
        self.others: list[tuple[str, int]] = []  # (element, line) under the root that are no trial

    def start(self, name, _attrs):
        line = self.parser.CurrentLineNumber
        if self.root is None:
            self.root = name
        elif len(self.open) == 1 and name == TRIAL:
            self.trials.append((line, {}))
        elif len(self.open) == 1:
            self.others.append((name, line))
        elif len(self.open) == 2 and self.open[1][0] == TRIAL:
            self.text = []  # a field's text, that of any element inside it with it
        self.open.append((name, line))

    def end(self, name):
        self.open.pop()
        if len(self.open) == 2 and self.open[1][0] == TRIAL:
            field = _RENAMED.get(name, name).replace("_", " ")
            text = "".join(self.text).replace("\r\n", "\n").replace("\r", "\n").strip()
            fields = self.trials[-1][1]
            fields[field] = f"{fields[field]}; {text}" if fields.get(field) and text else fields.get(field) or text
            if field not in self.names:
                self.names.append(field)
                self.elements[field] = name

    def chars(self, data):
        if len(self.open) > 2 and self.open[1][0] == TRIAL:
            self.text.append(data)


def _damaged(err: expat.ExpatError, trials: _Trials, at_end: bool, path) -> InputError:
    """The error for an export expat cannot read: the line, the element it broke in and what to do."""
    what = expat.ErrorString(err.code)
    inside = trials.open[-1] if trials.open else None
    trial = next((line for name, line in trials.open if name == TRIAL), None)
    if inside is None:
        where = ""
    elif inside[0] == TRIAL:
        where = f" inside the trial that starts on line {trial}"
    else:
        where = f" inside <{inside[0]}> (opened on line {inside[1]})" + (
            f" of the trial that starts on line {trial}" if trial is not None else "")
    if at_end and trials.open:
        unclosed = f"the trial that starts on line {trial}" if trial is not None else f"<{trials.open[0][0]}>"
        stops = (f" (it stops inside <{inside[0]}>, opened on line {inside[1]})" if inside[0] not in (TRIAL, ROOT)
                 else "")
        cause = f"the file ends before {unclosed} is closed{stops}: the download was cut off"
    else:
        cause = f"the XML is damaged here ({what}){where}: the file was cut off or edited"
    return InputError(f"{cause}. Export the results from the ICTRP search portal again ('Export results to XML') "
                      "and import the new file. Nothing was imported.", path=path, line=err.lineno)


def _parse(text: str, path) -> _Trials:
    def blank(m: re.Match) -> str:  # its line breaks kept, so that expat's lines are the file's
        return "\n" * m.group(0).count("\n")

    body = _DECL.sub(blank, text.replace("\ufeff", "", 1), count=1)
    parser = expat.ParserCreate()
    trials = _Trials(parser)
    parser.StartElementHandler, parser.EndElementHandler = trials.start, trials.end
    parser.CharacterDataHandler = trials.chars
    parser.buffer_text = True
    try:
        parser.Parse(body, True)
    except expat.ExpatError as err:
        cut = err.code in _CUT and err.lineno >= body.rstrip().count("\n") + 1
        raise _damaged(err, trials, cut, path) from None
    return trials


def read_ictrp_xml(text: str, path, *, column_map=None, source_db=None):
    """The trials of an ICTRP XML export -> records, labels, warnings (those of its CSV export's reading)."""
    from screener.io.tabular import _rows_to_records

    trials = _parse(text, path)
    if trials.root != ROOT:
        raise InputError(f"this XML file is not the WHO ICTRP's XML export (its top element is <{trials.root}>, not "
                         f"<{ROOT}>). Give the right --format, or leave --format out.", path=path)
    if not trials.trials:
        raise InputError("this WHO ICTRP XML export holds no trials (no <Trial> element): the search found none, or "
                         "the export stopped early. Export the results again.", path=path)
    if not any(fields.get(t) for _, fields in trials.trials for t in _TITLES) and "title" not in (column_map or {}):
        raise InputError("this WHO ICTRP XML export has neither <Public_title> nor <Scientific_title> in any trial. "
                         "Export the results again from the ICTRP search portal, or name the element that holds the "
                         "titles with --column title=NAME. Nothing was imported.", path=path)
    header = trials.names
    rows = [(line, [fields.get(n, "") for n in header]) for line, fields in trials.trials]
    records, labels, warnings = _rows_to_records(header, rows, path=path, column_map=column_map,
                                                 source_db=source_db, where_word="line", header_rows=False,
                                                 elements=[trials.elements[n] for n in header])
    if trials.others:  # not the export's: said, as a trial written under another name would be lost unseen
        shown = ", ".join(f"<{name}> on line {line}" for name, line in trials.others[:5])
        more = f" and {len(trials.others) - 5} more" if len(trials.others) > 5 else ""
        warnings.append(f"{source_name(path)}: {counted(len(trials.others), 'element')} under <{ROOT}> "
                        f"{noun(len(trials.others), 'is', 'are')} not a <{TRIAL}> ({shown}{more}) and "
                        f"{noun(len(trials.others), 'was', 'were')} not read as records. If a trial is among them, "
                        "the file was edited: export the results from the ICTRP search portal again.")
    return records, labels, warnings
