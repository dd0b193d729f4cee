"""Mutation fuzzing of the three formats (issue 15), seeded and bounded.

Mutants of the seed's text, DOCX and PDF (excerpts, so that each runs in
a fraction of a second) go through the whole pipeline in-process under a
per-document time limit; a handful go through the ``extract`` command
under an address-space cap.  Whatever the mutation, a document either
fails with one of the project's `InputError`s (never a time-out, never
anything else) or gives a disclosure whose JSON is valid against the
committed schema, reads back equal, and loads into SQLite.
"""

from __future__ import annotations

import io
import json
import random
import resource
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import jsonschema  # type: ignore[import-untyped]
import pytest
from lxml import etree
from pypdf import PdfReader, PdfWriter

from extractor.errors import InputError, TimedOut
from extractor.limits import Limits
from extractor.pipeline import extract_file
from extractor.writers.json import dumps, loads
from extractor.writers.sql import SqlLoader
from tests.conftest import FIXTURES, ROOT, SEED

SEED_DOCX = FIXTURES / "fuping-2021-county-party-office.docx"
SEED_PDF = FIXTURES / "fuping-2021-county-party-office.pdf"
SCHEMA = json.loads((ROOT / "schemas" / "disclosure.schema.json").read_text(encoding="utf-8"))
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
LIMITS = Limits(timeout_seconds=20)  # per document: a mutant that hangs fails the test as a time-out
CAP = 1024 * 1024 * 1024

Mutant = tuple[str, bytes]

# Characters the parsers care about: digits, separators, operators, numerals, brackets, units, white space.
_ALPHABET = "0123456789.,，。、-~～至%％≥≤＞<>=（）()一二三四五六七八九十第部分表合计万元百分比\t\n 　"
_NUMBERS = ("0", "-1", "1", "9", "100", "4294967296", "1000000000", "9" * 40, "x", "")


def _text_mutant(rng: random.Random, lines: list[str]) -> str:
    """The title lines and a window of the seed's lines, then a few edits."""
    start = rng.randrange(len(lines))
    window = lines[:3] + lines[start : start + rng.randint(20, 300)]
    for _ in range(rng.randint(1, 6)):
        at = rng.randrange(len(window))
        edit = rng.randrange(6)
        if edit == 0:
            del window[at]
        elif edit == 1:
            window.insert(at, window[rng.randrange(len(window))])
        elif edit == 2:
            line, cut = window[at], rng.randint(0, len(window[at]))
            window[at] = line[:cut] + "".join(rng.choices(_ALPHABET, k=rng.randint(1, 40))) + line[cut:]
        elif edit == 3:
            window[at] = rng.choice(_NUMBERS) * rng.randint(1, 300)
        elif edit == 4:
            window[at] = window[at].replace("\t", rng.choice(["", "\t\t", " ", "\n"]))
        else:
            window = window[:at]
            window = window or ["第一部分"]
    return "\n".join(window)


def text_mutants(count: int) -> Iterator[Mutant]:
    rng = random.Random(1501)
    lines = SEED.read_text(encoding="utf-8").splitlines()
    for n in range(count):
        data = _text_mutant(rng, lines).encode(rng.choice(["utf-8", "utf-8", "gb18030", "utf-16"]))
        if rng.random() < 0.1:
            data = _flip(rng, data, 20)
        yield f"text-{n}.txt", data


# A count Word declares → the element holding it and the path of its properties element.
_COUNTS = {
    "gridSpan": ("tc", "tcPr"),
    "vMerge": ("tc", "tcPr"),
    "hMerge": ("tc", "tcPr"),
    "gridBefore": ("tr", "trPr"),
    "ilvl": ("p", "pPr/numPr"),
    "numId": ("p", "pPr/numPr"),
}


def _set_count(rng: random.Random, body: etree._Element) -> None:
    """One of the counts Word declares, set to something hostile."""
    name = rng.choice(list(_COUNTS))
    host_tag, path = _COUNTS[name]
    hosts = list(body.iter(f"{W}{host_tag}"))
    if not hosts:
        return
    holder = rng.choice(hosts)
    for step in path.split("/"):
        found = holder.find(f"{W}{step}")
        if found is None:
            found = etree.Element(f"{W}{step}")
            holder.insert(0, found)
        holder = found
    etree.SubElement(holder, f"{W}{name}").set(f"{W}val", rng.choice([*_NUMBERS, "restart"]))


def _docx_structure(rng: random.Random, root: etree._Element) -> None:
    body = root.find(f"{W}body")
    assert body is not None
    children = [child for child in body if child.tag != f"{W}sectPr"]
    start = rng.randrange(len(children))
    keep = set(map(id, children[:3] + children[start : start + rng.randint(30, 200)]))
    for child in children:
        if id(child) not in keep:
            body.remove(child)
    elements = [element for element in body.iter() if element is not body]
    for _ in range(rng.randint(1, 8)):
        edit = rng.randrange(5)
        element = rng.choice(elements)
        parent = element.getparent()
        if edit == 0 and parent is not None:
            parent.remove(element)
        elif edit == 1 and parent is not None:
            parent.insert(parent.index(element), etree.fromstring(etree.tostring(element)))
        elif edit == 2:
            _set_count(rng, body)
        elif edit == 3 and element.tag == f"{W}t":
            element.text = (element.text or "") + "".join(rng.choices(_ALPHABET, k=rng.randint(1, 400)))
        elif edit == 4 and parent is not None:
            target = rng.choice(elements)
            if target is not element and element not in target.iterancestors() and target is not parent:
                target.append(element)  # an element moved where it does not belong
        elements = [element for element in body.iter() if element is not body]


def _pack(source: zipfile.ZipFile, document: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, document if item.filename == "word/document.xml" else source.read(item))
    return out.getvalue()


def docx_mutants(count: int) -> Iterator[Mutant]:
    rng = random.Random(1502)
    with zipfile.ZipFile(SEED_DOCX) as source:
        xml = source.read("word/document.xml")
        for n in range(count):
            root = etree.fromstring(xml)
            _docx_structure(rng, root)
            document = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            if rng.random() < 0.2:  # bytes of the XML
                document = _flip(rng, document, 5)
            data = _pack(source, document)
            if rng.random() < 0.1:  # bytes of the package
                data = data[: rng.randrange(len(data))] if rng.random() < 0.5 else _flip(rng, data, 10)
            yield f"docx-{n}.docx", data


def _flip(rng: random.Random, data: bytes, flips: int) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, flips)):
        out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def _pages(numbers: list[int]) -> bytes:
    reader = PdfReader(SEED_PDF)
    writer = PdfWriter()
    for number in numbers:
        writer.add_page(reader.pages[number])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_mutants(count: int) -> Iterator[Mutant]:
    rng = random.Random(1503)
    excerpts = [_pages([0, 1]), _pages([20, 21]), _pages([40, 41, 42])]
    for n in range(count):
        data = rng.choice(excerpts)
        edit = rng.randrange(3)
        if edit == 0:
            data = _flip(rng, data, rng.choice([1, 10, 200]))
        elif edit == 1:
            data = data[: rng.randrange(len(data))]
        else:
            at, length = rng.randrange(len(data)), rng.randint(1, 5000)
            data = data[:at] + data[at - length : at] + data[at:]
        yield f"pdf-{n}.pdf", data


def _check(path: Path, loader: SqlLoader, validate: Callable[[object], None]) -> str:
    """Extract one mutant; what happened ("ok" or the error class)."""
    try:
        disclosure = extract_file(path, LIMITS)
    except TimedOut:
        pytest.fail(f"{path.name}: took longer than {LIMITS.timeout_seconds} s")
    except InputError as exc:
        assert path.name in str(exc) and "\n" not in str(exc)
        return type(exc).__name__
    text = dumps(disclosure)
    validate(json.loads(text))
    assert loads(text) == disclosure and disclosure.doc_id is not None
    loader.load(disclosure.doc_id, disclosure)
    return "ok"


@pytest.mark.parametrize(
    "mutants",
    [
        pytest.param(lambda: text_mutants(200), id="text"),
        pytest.param(lambda: docx_mutants(100), id="docx"),
        pytest.param(lambda: pdf_mutants(24), id="pdf"),
    ],
)
def test_mutants_fail_cleanly_or_give_valid_loadable_json(
    tmp_path: Path, mutants: Callable[[], Iterator[Mutant]]
) -> None:
    validate = jsonschema.validators.validator_for(SCHEMA)(SCHEMA).validate
    outcomes: dict[str, int] = {}
    with SqlLoader(tmp_path / "fuzz.db") as loader:
        for name, data in mutants():
            path = tmp_path / name
            path.write_bytes(data)
            outcome = _check(path, loader, validate)
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
            path.unlink()
    assert outcomes.get("ok", 0) > 0, outcomes  # the mutants still reach the parsers


def test_mutants_through_the_command_under_a_memory_cap(tmp_path: Path) -> None:
    """A few of each format through ``extract`` itself, capped: exit 0 or 1,
    one ``extract: error:`` line per failed file, no traceback."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    for mutants in (text_mutants(4), docx_mutants(4), pdf_mutants(2)):
        for name, data in mutants:
            (inputs / name).write_bytes(data)

    def capped() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (CAP, CAP))

    done = subprocess.run(
        [str(Path(sys.executable).parent / "extract"), str(inputs), "-o", str(tmp_path / "out"), "-q", "--no-csv"],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=capped,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr[-2000:]
    assert "Traceback" not in done.stdout + done.stderr
    problems = [line for line in done.stderr.splitlines() if line and not line.startswith("extract: error: ")]
    assert len(problems) <= 1  # the summary line
    failed = sum(1 for line in done.stderr.splitlines() if line.startswith("extract: error: "))
    assert failed + len(list((tmp_path / "out").glob("*.json"))) == 10
    assert "internal error" not in done.stderr
