"""Read providers' extracts (.xlsx, .csv, a folder of CSVs) into the canonical tables.

``open_extracts`` is the entry point: read every file, map headers and codes, concatenate, and
parse + validate with ``rules.schema.check``. ``read_extract`` reads one file or folder.
"""

from app.extracts.load import open_extracts, read_extract
from app.extracts.model import MappingResult, Opened, RawExtract
from app.extracts.profiles import MappingProfile

__all__ = ["MappingProfile", "MappingResult", "Opened", "RawExtract", "open_extracts", "read_extract"]
