"""Normalise names and codes the way bureau spreadsheets need.

The same company arrives as 「盘锦（辽河）化工有限责任公司」, 「盘锦(辽河)化工有限公司 」
and 「盘锦 (辽河) 化工有限公司」; a 统一社会信用代码 arrives as text, as a number
Excel rounded to scientific notation, or with a typo in its check digit.
:func:`name_key` gives every spelling of one name the same key;
:func:`check_uscc` validates a code with its GB 32100 check digit (through
python-stdnum) and says what is wrong when it is not valid.

Examples
--------
>>> name_key("盘锦（辽河）化工有限责任公司") == name_key("盘锦 (辽河) 化工有限公司")
True
>>> check_uscc("9111 0108 5514 0062 38")
'911101085514006238'
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from kg.errors import KGError

if TYPE_CHECKING:
    import numpy as np

#: company-form suffixes that name one legal form in several spellings
_FORM_VARIANTS = (
    ("股份有限责任公司", "股份有限公司"),
    ("有限责任公司", "有限公司"),
    ("有限公司", "有限公司"),
)
_SPACE = re.compile(r"\s+")
_SCI = re.compile(r"^[+-]?\d+(\.\d+)?[eE][+-]\d+$")  # Excel always writes the exponent's sign
_INTEGRAL_FLOAT = re.compile(r"^(\d+)\.0+$")


class CodeError(KGError):
    """A code (统一社会信用代码, 行政区划代码 ...) that cannot be used as written."""


def clean_text(value: str) -> str:
    """Trim, fold full-width letters/digits/brackets to half width, collapse spaces.

    Chinese characters are untouched; ``（）`` become ``()``.

    Examples
    --------
    >>> clean_text("  盘锦（辽河）  化工 ")
    '盘锦(辽河) 化工'
    """
    text = unicodedata.normalize("NFKC", str(value)).replace("\u3000", " ")
    return _SPACE.sub(" ", text).strip()


def name_key(name: str) -> str:
    """The identity key of an organisation name: width, spaces, brackets and company form folded.

    Examples
    --------
    >>> name_key("ABC 科技 有限责任公司")
    'abc科技有限公司'
    >>> name_key("盘锦〔辽河〕化工有限公司") == name_key("盘锦(辽河)化工有限公司")
    True
    """
    text = clean_text(name).lower()
    text = text.translate(_BRACKETS)
    text = _SPACE.sub("", text)
    for variant, canonical in _FORM_VARIANTS:
        if text.endswith(variant):
            text = text[: -len(variant)] + canonical
            break
    return text


_BRACKETS = str.maketrans(
    {
        "〔": "(",
        "〕": ")",
        "【": "(",
        "】": ")",
        "[": "(",
        "]": ")",
        "《": "",
        "》": "",
        "“": "",
        "”": "",
        '"': "",
        "「": "",
        "」": "",
    }
)


def fix_code(value: str) -> str:
    """Undo what Excel does to codes: ``211102.0`` -> ``211102``; refuse scientific notation.

    Raises
    ------
    CodeError
        For ``9.1211E+17`` and the like: the digits are already lost.

    Examples
    --------
    >>> fix_code("211102.0")
    '211102'
    >>> try:
    ...     fix_code("9.12101E+17")
    ... except CodeError as exc:
    ...     print(exc)
    '9.12101E+17' was turned into a number by Excel and lost its digits; format the column as text and export again
    """
    text = clean_text(value).replace(" ", "")
    if _SCI.match(text):
        raise CodeError(
            f"{value!r} was turned into a number by Excel and lost its digits; "
            "format the column as text and export again"
        )
    m = _INTEGRAL_FLOAT.match(text)
    return m.group(1) if m else text


def check_uscc(value: str) -> str:
    """Return the compact 统一社会信用代码 if it is valid, else raise :class:`CodeError` saying why.

    Uses python-stdnum's ``stdnum.cn.uscc`` (GB 32100-2015, with its check digit).

    Examples
    --------
    >>> check_uscc("911101085514006238")
    '911101085514006238'
    >>> try:
    ...     check_uscc("911101085514006239")
    ... except CodeError as exc:
    ...     print(exc)
    统一社会信用代码 '911101085514006239' has a wrong check digit (GB 32100); check the code
    """
    from stdnum import exceptions as stdnum_errors
    from stdnum.cn import uscc

    code = fix_code(value).upper()
    try:
        return uscc.validate(code)
    except stdnum_errors.InvalidChecksum:
        raise CodeError(f"统一社会信用代码 {value!r} has a wrong check digit (GB 32100); check the code") from None
    except stdnum_errors.InvalidLength:
        raise CodeError(f"统一社会信用代码 {value!r} must have 18 characters, it has {len(code)}") from None
    except stdnum_errors.ValidationError:
        raise CodeError(
            f"统一社会信用代码 {value!r} is not valid (GB 32100: digits and capital letters, no I, O, S, V or Z)"
        ) from None


def looks_like_uscc(value: str) -> bool:
    """True for an 18-character code shaped like a 统一社会信用代码 (check digit not verified).

    Examples
    --------
    >>> looks_like_uscc("911101085514006238"), looks_like_uscc("盘锦化工有限公司")
    (True, False)
    """
    text = clean_text(value).replace(" ", "").upper()
    return len(text) == 18 and bool(re.fullmatch(r"[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}", text))


_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_valid_mask(codes) -> np.ndarray:
    """Vectorised GB 32100 check of many compact codes at once (same rule as ``stdnum.cn.uscc``).

    A million codes take well under a second; :func:`check_uscc` explains
    each code this rejects.

    Examples
    --------
    >>> uscc_valid_mask(["911101085514006238", "911101085514006239", "短"]).tolist()
    [True, False, False]
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    text = (
        codes
        if isinstance(codes, pa.Array)
        else pa.array([c if isinstance(c, str) else None for c in codes], pa.string())
    )
    # 18 bytes: 18 ASCII characters, or fewer non-ASCII ones (refused below: bytes >= 128 are not in the alphabet)
    ok_len = pc.equal(pc.binary_length(text), 18).fill_null(False).to_numpy(zero_copy_only=False)
    if not ok_len.any():
        return ok_len
    lut = np.full(256, -1, dtype=np.int64)
    for i, ch in enumerate(_USCC_ALPHABET):
        lut[ord(ch)] = i
    kept = text.filter(pa.array(ok_len))
    offsets = np.frombuffer(kept.buffers()[1], dtype=np.int32)[kept.offset : kept.offset + len(kept) + 1]
    data = np.frombuffer(kept.buffers()[2], dtype=np.uint8)[offsets[0] : offsets[-1]]
    values = np.full((len(text), 18), -1, dtype=np.int64)
    values[ok_len] = lut[data.reshape(-1, 18)]
    ok = ok_len & (values >= 0).all(axis=1) & (values[:, :8] <= 9).all(axis=1)
    total = (np.where(values[:, :17] >= 0, values[:, :17], 0) * np.array(_USCC_WEIGHTS)).sum(axis=1)
    check = (31 - total) % 31
    return ok & (values[:, 17] == check)
