"""Which encoding a partner's file is in, and how to read the bytes that encoding cannot: UTF-16 (Excel's
"Unicode text"), UTF-8 with or without a byte order mark and with lines pasted from an older system, or the
encoding the profile declares (Windows-1252 when a file said to be UTF-8 is not)."""

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from .profile_config import encoding_name

SCAN_BLOCK_BYTES = 4 * 1024 * 1024


def utf16_codec(sample: bytes) -> str | None:
    """The codec of a UTF-16 text (Excel's "Unicode text" export), with or without a byte order mark: text that
    is mostly ASCII has a NUL in every other byte. None for anything else."""
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        codec = "utf-16"
    else:
        even, odd = sample[0::2], sample[1::2]
        if len(sample) < 4 or not (even.count(0) > 0.9 * len(even)) ^ (odd.count(0) > 0.9 * len(odd)):
            return None
        codec = "utf-16-le" if odd.count(0) > even.count(0) else "utf-16-be"
    try:
        codecs.getincrementaldecoder(codec)().decode(sample[: len(sample) // 2 * 2])
    except UnicodeDecodeError:
        return None
    return codec


def _windows_1252_instead(error: UnicodeError) -> tuple[str, int]:
    """Bytes that are not UTF-8, read as Windows-1252: a UTF-8 export with a few lines pasted from an older
    system keeps its accents on every line, those lines' too."""
    return error.object[error.start : error.end].decode("cp1252", errors="replace"), error.end


UTF8_OR_WINDOWS_1252 = "observatory-utf8-or-cp1252"
codecs.register_error(UTF8_OR_WINDOWS_1252, _windows_1252_instead)
# A character beyond ASCII, where surrogateescape decoded each byte that is not UTF-8 as \udc80-\udcff.
VALID_NON_ASCII = re.compile("[^\x00-\x7f\udc80-\udcff]")
MIXED_ENCODING_LOOKAHEAD_BYTES = 16 * 1024 * 1024


def decoding_errors(encoding: str) -> str:
    """How to read bytes the encoding cannot: in a UTF-8 file, as Windows-1252 (see _windows_1252_instead)."""
    return UTF8_OR_WINDOWS_1252 if encoding in ("utf-8", "utf-8-sig") else "replace"


@dataclass
class _Utf8Scan:
    first_invalid_line: int = 0  # 0: every byte is UTF-8
    non_ascii: bool = False  # characters beyond ASCII written in UTF-8


def _utf8_scan(path: Path) -> _Utf8Scan:
    """Whether the whole file is UTF-8, where the first byte that is not is, and whether the file holds characters
    written in UTF-8 beyond ASCII (then a byte that is not UTF-8 is a line from elsewhere, not the file's own
    encoding): looked for up to the first such byte and a little beyond it, so that a file in another encoding is
    not read to its end to find none."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    scan, lines_before = _Utf8Scan(), 1
    with path.open("rb") as handle:
        while block := handle.read(SCAN_BLOCK_BYTES):
            try:
                decoder.decode(block)
            except UnicodeDecodeError as error:
                scan.first_invalid_line = lines_before + block[: max(error.start, 0)].count(b"\n")
                ahead = block + handle.read(MIXED_ENCODING_LOOKAHEAD_BYTES)
                scan.non_ascii = (
                    scan.non_ascii
                    or VALID_NON_ASCII.search(ahead.decode("utf-8", errors="surrogateescape")) is not None
                )
                return scan
            scan.non_ascii = scan.non_ascii or not block.isascii()
            lines_before += block.count(b"\n")
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            scan.first_invalid_line = lines_before
    return scan


def encoding_detect(*, path: Path, name: str, declared: str, sample: bytes) -> tuple[str, list[str]]:
    """The encoding to read the file in (`sample`: its first bytes), and notes on what was found: the profile
    declares `declared` (or "auto")."""
    declared = "utf-8" if declared == "utf-8-sig" else declared
    utf16 = utf16_codec(sample)
    if utf16:
        return utf16, [] if declared == "auto" or declared.startswith("utf-16") else [
            _encoding_note(name, declared, utf16)
        ]
    scan = _utf8_scan(path)
    utf8 = "utf-8-sig" if sample.startswith(codecs.BOM_UTF8) else "utf-8"
    if scan.first_invalid_line and (scan.non_ascii or utf8 == "utf-8-sig"):
        return utf8, [
            _(
                "%(file)s: the file is UTF-8, but some lines are not (the first on line %(line)d): their "
                "characters beyond ASCII were read as Windows-1252."
            )
            % {"file": name, "line": scan.first_invalid_line}
        ]
    if not scan.first_invalid_line:
        if utf8 == "utf-8-sig":
            return utf8, []
        if scan.non_ascii and declared not in ("utf-8", "auto"):
            return "utf-8", [_encoding_note(name, declared, "utf-8")]
        return ("utf-8" if declared == "auto" else declared), []
    if declared in ("utf-8", "auto"):
        note = (
            []
            if declared == "auto"
            else [
                _(
                    "%(file)s: the file is not valid UTF-8 (first invalid byte on line %(line)d); it was read as "
                    "Windows-1252."
                )
                % {"file": name, "line": scan.first_invalid_line}
            ]
        )
        return "cp1252", note
    return declared, []


def _encoding_note(name: str, declared: str, found: str) -> str:
    return _("%(file)s: the profile expects %(expected)s but the file is %(found)s; it was read as %(found)s.") % {
        "file": name,
        "expected": encoding_name(declared),
        "found": encoding_name(found),
    }
