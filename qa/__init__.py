"""qa: question answering over MAPPA annual reports, with exact, cited numbers and passages.

    import qa
    index = qa.open_index("index/")          # or qa.build_index(["seeds/"], "index/")
    answer = index.ask("how many SHPOs in Norfolk 2024/25")
    answer.value, answer.citations[0].lines, answer.to_dict()
"""

from .answer import Answer, Citation
from .api import Index, Report, open_index
from .errors import BadInput, DocumentError, IndexBusy, IndexMissing, IndexStale, QAError
from .facts import Fact
from .index import BuildReport, build_index
from .settings import Settings

__version__ = "0.1.0"

__all__ = [
    "Answer",
    "BadInput",
    "BuildReport",
    "Citation",
    "DocumentError",
    "Fact",
    "Index",
    "IndexBusy",
    "IndexMissing",
    "IndexStale",
    "QAError",
    "Report",
    "Settings",
    "build_index",
    "open_index",
]
