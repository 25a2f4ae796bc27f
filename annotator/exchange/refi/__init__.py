"""REFI-QDA exchange (the QDA-XML standard 1.0): ``.qdpx`` projects and ``.qdc`` codebooks.

Pure file-format code: it reads and writes plain data and domain entities, never the
database. The services in :mod:`annotator.services.refi` connect it to a project.
"""

from annotator.exchange.refi.archive import DEFAULT_LIMITS, RefiFileError, RefiLimits
from annotator.exchange.refi.codebook_read import ReadCodebook, read_codebook_file
from annotator.exchange.refi.model import DocumentSet, ProjectHeader, ReadProject, SourceExport
from annotator.exchange.refi.reader import read_project_file
from annotator.exchange.refi.writer import WriteStats, write_qdc, write_qde, write_qdpx

__all__ = [
    "DEFAULT_LIMITS",
    "DocumentSet",
    "ProjectHeader",
    "ReadCodebook",
    "ReadProject",
    "RefiFileError",
    "RefiLimits",
    "SourceExport",
    "WriteStats",
    "read_codebook_file",
    "read_project_file",
    "write_qdc",
    "write_qde",
    "write_qdpx",
]
