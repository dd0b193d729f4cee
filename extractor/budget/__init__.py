"""The standard budget tables (财预〔2016〕143号): 收支总表 to 项目支出表, read
by their content from any province's document, and the headline figures
they give."""

from .headline import apply_headline_figures
from .reader import read_budget_tables

__all__ = ["apply_headline_figures", "read_budget_tables"]
