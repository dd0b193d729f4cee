"""The review report (``extract review``): a static HTML site that shows each
extracted figure beside the page it came from.

`load` finds the documents (a run's folder, or input files extracted here)
and their source files, `source` turns locations into what is shown of the
source, `render` draws PDF pages, `charts` lays out the charts and `build`
writes the pages from the Jinja2 templates in ``templates/``.
"""

from __future__ import annotations

from .build import ReviewSummary, build_review
from .load import Loaded, extract_inputs, load_paths, load_run

__all__ = ["Loaded", "ReviewSummary", "build_review", "extract_inputs", "load_paths", "load_run"]
