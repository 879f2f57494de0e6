"""Reading search exports into records, and writing records back out.

``read_records(path)`` reads RIS, PubMed MEDLINE (.nbib), EndNote XML, CSV/TSV and Excel files
into dicts with the keys of ``screener.records.FIELDS`` (plus any screening labels the file holds);
``write_records(df, path, fmt)`` exports CSV, TSV, RIS or Excel.
"""

from screener.io.common import ReadResult
from screener.io.detect import SUPPORTED_FORMATS, detect_format
from screener.io.export import EXPORT_FORMATS, write_records
from screener.io.label_values import parse_label
from screener.io.reader import read_records

__all__ = [
    "EXPORT_FORMATS",
    "SUPPORTED_FORMATS",
    "ReadResult",
    "detect_format",
    "parse_label",
    "read_records",
    "write_records",
]
