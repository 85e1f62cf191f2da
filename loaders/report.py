"""The validation report of a load: :mod:`kg.report` under the loaders' name.

Examples
--------
>>> LoadReport is __import__("kg.report").report.LoadReport
True
"""

from __future__ import annotations

from kg.report import PROBLEM_COLUMNS, LoadReport, Problem, problems_frame, write_report

__all__ = ["PROBLEM_COLUMNS", "LoadReport", "Problem", "problems_frame", "write_report"]
