"""What a source file holds: the table inside a compressed or zipped file, and the encoding of its text.

Examples
--------
>>> from pathlib import Path
>>> open_source(Path("grants.csv"))
(None, '.csv')
>>> detect_encoding("高新技术企业".encode("gb18030"))
'gb18030'
"""

from __future__ import annotations

import codecs
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kg.errors import LoadError

TEXT_SUFFIXES = {".csv", ".tsv", ".txt", ".tab"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls"}
JSON_SUFFIXES = {".json", ".jsonl", ".ndjson"}
SUFFIXES = TEXT_SUFFIXES | EXCEL_SUFFIXES | JSON_SUFFIXES


def compressed_opener(suffix: str) -> Callable[..., Any] | None:
    """The ``open`` of a compressed file's suffix (``.gz``, ``.gzip``, ``.bz2``, ``.xz``), else ``None``.

    Examples
    --------
    >>> compressed_opener(".gz").__module__, compressed_opener(".csv")
    ('gzip', None)
    """
    import bz2
    import gzip
    import lzma

    openers: dict[str, Callable[..., Any]] = {".gz": gzip.open, ".gzip": gzip.open, ".bz2": bz2.open, ".xz": lzma.open}
    return openers.get(suffix)


def open_source(path: Path, member: str | None = None) -> tuple[bytes | None, str]:
    """The bytes of a compressed or zipped source (``None``: read the file itself) and the suffix of what it holds.

    Examples
    --------
    >>> open_source(Path("participations.csv"))
    (None, '.csv')
    """
    suffix = path.suffix.lower()
    opener = compressed_opener(suffix)
    if opener is not None:
        import lzma

        try:
            with opener(path, "rb") as handle:
                return handle.read(), Path(path.stem).suffix.lower()
        except (OSError, EOFError, lzma.LZMAError) as exc:
            raise LoadError(f"{path}: not a readable {suffix} file ({exc})") from None
    if suffix == ".zip":
        import zipfile

        try:
            with zipfile.ZipFile(path) as archive:
                names = [
                    n
                    for n in archive.namelist()
                    if not n.endswith("/") and not n.startswith("__MACOSX/") and Path(n).suffix.lower() in SUFFIXES
                ]
                if member is not None:
                    if member not in archive.namelist():
                        raise LoadError(f"{path}: no {member!r} inside; it holds: {', '.join(names) or 'no table'}")
                    name = member
                elif len(names) == 1:
                    name = names[0]
                else:
                    raise LoadError(
                        f"{path}: holds {len(names)} tables ({', '.join(names[:10]) or 'none'}); "
                        "name one (--member NAME, or `member:` in the mapping)"
                    )
                return archive.read(name), Path(name).suffix.lower()
        except zipfile.BadZipFile as exc:
            raise LoadError(f"{path}: not a readable .zip file ({exc})") from None
    return None, suffix


def detect_encoding(raw: bytes) -> str:
    """Encoding of a text file: from its BOM, else UTF-8 if it decodes, else GB18030.

    Examples
    --------
    >>> detect_encoding("企业".encode("gbk")), detect_encoding("企业".encode("utf-8-sig"))
    ('gb18030', 'utf-8-sig')
    """
    if raw.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        raw.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(raw) - 3:  # a multi-byte character cut by the sample's end
            return "utf-8"
    try:
        raw.decode("gb18030")
        return "gb18030"
    except UnicodeDecodeError:
        raise LoadError(
            "cannot tell the text encoding (not UTF-8, UTF-16 or GB18030); save the file as UTF-8"
        ) from None


__all__ = ["EXCEL_SUFFIXES", "JSON_SUFFIXES", "SUFFIXES", "TEXT_SUFFIXES", "detect_encoding", "open_source"]
