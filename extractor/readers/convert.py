"""Old word-processor files (.doc, .wps, .rtf) converted to DOCX by LibreOffice.

Many county sites still publish Word 97-2003 files.  When ``soffice`` is on
the PATH it converts them, headless, and the DOCX reader reads the result,
so these files take the same path to blocks as any DOCX.  Each conversion
runs in a temporary folder removed afterwards, with a profile of its own
(``-env:UserInstallation``: a second LibreOffice, a user's open one or a
parallel worker's, cannot block it), in a session of its own so that the
whole process group is killed when it overruns the per-file time limit.
Without LibreOffice the file is refused with a one-line message saying how
to convert it.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from ..errors import UnreadableInput, UnsupportedFormat
from ..limits import DEFAULT_LIMITS, Limits

__all__ = ["FORMAT_NAMES", "convert_to_docx", "soffice"]

FORMAT_NAMES = {"doc": "old binary Word (.doc)", "wps": "WPS Writer (.wps)", "rtf": "Rich Text (.rtf)"}
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HINT = "install LibreOffice (soffice) to read it, or save it from Word as .docx"


def soffice() -> str | None:
    """The LibreOffice command on the PATH, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def _run(command: list[str], seconds: float) -> subprocess.CompletedProcess[bytes]:
    """Run ``command`` in its own session; kill the whole group when it
    overruns or when we are interrupted (the per-file timer)."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        out, err = process.communicate(timeout=seconds)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    return subprocess.CompletedProcess(command, process.returncode, out, err)


def convert_to_docx(data: bytes, name: str, fmt: str, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """The DOCX LibreOffice makes of ``data`` (a .doc, .wps or .rtf file)."""
    what = FORMAT_NAMES[fmt]
    command = soffice()
    if command is None:
        raise UnsupportedFormat(name, f"{what} is not read: LibreOffice is not installed", _HINT)
    if fmt != "rtf" and not data.startswith(_OLE):
        raise UnreadableInput(name, f"{what} is not read: not a complete Word file", "is the download complete?")
    with tempfile.TemporaryDirectory(prefix="extractor-soffice-") as folder:
        work = Path(folder)
        source = work / f"input.{fmt}"
        source.write_bytes(data)
        try:
            result = _run(
                [
                    command,
                    f"-env:UserInstallation={(work / 'profile').as_uri()}",
                    "--headless",
                    "--norestore",
                    "--convert-to",
                    "docx:MS Word 2007 XML",
                    "--outdir",
                    str(work / "out"),
                    str(source),
                ],
                limits.timeout_seconds,
            )
        except subprocess.TimeoutExpired:
            raise UnreadableInput(
                name,
                f"{what} is not read: LibreOffice took longer than {limits.timeout_seconds:g} s to convert it",
                "raise --timeout if the file is genuine",
            ) from None
        target = work / "out" / "input.docx"
        if not target.is_file():
            detail = (result.stderr or result.stdout).decode("utf-8", "replace").strip().splitlines()
            reason = f" ({detail[-1]})" if detail else ""
            raise UnreadableInput(
                name,
                f"{what} is not read: LibreOffice could not convert it{reason}",
                "is the file complete? open it in Word and save it as .docx",
            )
        return target.read_bytes()
