"""Moved to :mod:`kg.normalise` (the core, where the one name resolver uses it); kept importable for 0.2.

Examples
--------
>>> name_key("盘锦（辽河）化工有限责任公司") == name_key("盘锦(辽河)化工有限公司")
True
"""

from __future__ import annotations

from kg.normalise import CodeError, check_uscc, clean_text, fix_code, looks_like_uscc, name_key, uscc_valid_mask

__all__ = ["CodeError", "check_uscc", "clean_text", "fix_code", "looks_like_uscc", "name_key", "uscc_valid_mask"]
