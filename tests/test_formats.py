"""PDF, DOCX and HTML reports give the same documents, sections and facts as the seed texts they are made from.

Each seed is rebuilt here as a real file of each format: the statistics tables as real tables (ruled
reportlab tables over several pages, Word tables, <table>), the rest as headings and paragraphs. The check is
independent of the conversion: the facts read from the built file must equal the facts of the .txt seed,
which tests/expected_facts.py pins by hand, and a PDF fact's page must be the page its table was drawn on.
Then every kind of bad file, each a one-line DocumentError.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import SEED_FILES, SEEDS, load_eval_script
from expected_facts import EXPECTED_FACTS

import qa
from qa.documents import find_report_files, load_document
from qa.errors import DocumentError
from qa.facts import extract_facts
from qa.formats import MAX_BYTES, SUFFIXES, extract_text
from qa.sections import split_sections

convert = load_eval_script("convert")
Block, seed_blocks, is_custody_table = convert.Block, convert.seed_blocks, convert.is_custody_table
build_pdf, build_docx, build_html = convert.build_pdf, convert.build_docx, convert.build_html

# --- same documents, same facts --------------------------------------------------------------------------

BUILDERS = {".pdf": build_pdf, ".docx": build_docx, ".html": build_html}
# Seed 003 lays "Breach of SHPO" out one cell per line, TAB first, which is never a heading; as the table row
# "Breach of SHPO<TAB>" it reads as a heading, as it does in seed 004's own text.
EXTRA_SECTIONS = {"003_6d204036d4560561.txt": {"MAPPA Statistics > Breach of SHPO"}}


@pytest.fixture(scope="module")
def seed_docs():
    """The .txt seeds' documents; their facts are first checked against the hand-written list."""
    docs = {name: load_document(SEEDS / name) for name in SEED_FILES}
    for name, doc in docs.items():
        assert [(f.measure, f.category, f.level, f.value, *f.lines) for f in extract_facts(doc)] == EXPECTED_FACTS[name]
    return docs


@pytest.fixture(scope="module")
def built(tmp_path_factory, seed_docs):
    """(seed, suffix) -> (the Document read from the built file, what the PDF builder drew), built once."""
    cache = {}

    def get(name: str, suffix: str):
        if (name, suffix) not in cache:
            path = tmp_path_factory.mktemp("built") / f"{name[:3]}{suffix}"
            drawn = BUILDERS[suffix](seed_blocks(seed_docs[name].text), path)
            cache[name, suffix] = (load_document(path), drawn)
        return cache[name, suffix]

    return get


def _facts(doc) -> set[tuple]:
    return {(f.measure, f.category, f.level, f.value) for f in extract_facts(doc)}


def _sections(doc) -> list[str]:
    return [" > ".join(section.path) for section in split_sections(doc)]


@pytest.mark.parametrize("name", SEED_FILES)
@pytest.mark.parametrize("suffix", [".pdf", ".docx", ".html"])
def test_same_document_sections_and_facts_as_the_seed(seed_docs, built, name, suffix):
    seed, (doc, _) = seed_docs[name], built(name, suffix)
    assert (doc.area, doc.period, doc.title, doc.warnings) == (seed.area, seed.period, seed.title, ())
    assert _facts(doc) == _facts(seed)
    assert len(extract_facts(doc)) == len(extract_facts(seed))
    assert [s for s in _sections(doc) if s not in EXTRA_SECTIONS.get(name, ())] == _sections(seed)
    lines = doc.lines
    for fact in extract_facts(doc):  # each fact's line span is its row: the label first, the value last
        assert fact.row in " ".join(lines[fact.lines[0] - 1].replace("#", " ").split())
        value = "-" if fact.value is None else str(fact.value)
        assert re.search(rf"(?<![\w,.]){re.escape(value)}(?![\w,.])", lines[fact.lines[1] - 1]), fact
    assert (doc.page_starts != ()) == (suffix == ".pdf")
    assert (doc.pages(1, 2) is None) == (suffix != ".pdf")


@pytest.mark.parametrize("name", SEED_FILES)
def test_pdf_facts_cite_the_page_their_table_is_on(built, name):
    doc, (drawn, pages) = built(name, ".pdf")
    assert len(doc.page_starts) == pages and doc.page_starts[0] == 1
    assert list(doc.page_starts) == sorted(doc.page_starts)
    assert min(page for page, _ in drawn) > 1  # the statistics start on a new page
    for fact in extract_facts(doc):
        first, last = doc.pages(*fact.lines)
        assert first == last
        on_page = [" ".join(c.split()) for page, table in drawn if page == first for row in table.rows for c in row]
        assert fact.row in on_page, (fact, first)
    custody = [f for f in extract_facts(doc) if f.measure == "custody_licence_breach"]
    custody_page = next(page for page, table in drawn if is_custody_table(table))
    assert custody and {doc.pages(*f.lines) for f in custody} == {(custody_page, custody_page)}
    heading = next(n for n, line in enumerate(doc.lines, start=1) if re.fullmatch(r"#* ?MAPPA Statistics", line))
    assert doc.page(heading) == min(page for page, _ in drawn)


def test_pdf_page_spans_and_page_numbers_are_not_text(tmp_path):
    text = "Norfolk Annual Report 2024 to 2025\n\nIntroduction\n\n" + "\n\n".join(
        f"Paragraph {n} of the report, long enough to be read as running text by the reader." for n in range(120)
    )
    path = tmp_path / "long.pdf"
    build_pdf(seed_blocks(text), path)
    doc = load_document(path)
    assert len(doc.page_starts) >= 3
    assert all(not re.fullmatch(r"\d+", line) for line in doc.lines)  # the footers are gone
    assert doc.pages(1, 1) == (1, 1)
    last = len(doc.lines)
    assert doc.pages(1, last) == (1, len(doc.page_starts))
    second = doc.page_starts[1]
    assert doc.pages(second - 1, second) in {(1, 2), (2, 2)}
    assert doc.page(second) == 2
    assert "Paragraph 0 of the report, long enough" in doc.lines[doc.page_starts[0] + 3]
    assert load_document(SEEDS / SEED_FILES[0]).pages(1, 5) is None


# --- DOCX and HTML specifics ------------------------------------------------------------------------------


def test_docx_headings_lists_and_merged_cells(tmp_path):
    import docx

    document = docx.Document()
    document.add_heading("Kent MAPPA Annual Report 2023/24", level=0)  # the Title style
    document.add_heading("Introduction", level=1)
    document.add_paragraph("The board met four times.")
    document.add_paragraph("Victims first", style="List Bullet")
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(0, 2)).text = "Breach of SHPO"
    table.cell(1, 0).text, table.cell(1, 1).merge(table.cell(2, 1)).text = "Level 2", "4"
    table.cell(2, 0).text = "Level 3"
    path = tmp_path / "kent.docx"
    document.save(str(path))
    assert extract_text(path).text.split("\n") == [
        "# Kent MAPPA Annual Report 2023/24", "", "# Introduction", "", "The board met four times.", "",
        "- Victims first", "", "Breach of SHPO\t\t", "Level 2\t4\t", "Level 3\t\t",
    ]


def test_html_drops_scripts_styles_and_navigation(tmp_path):
    path = tmp_path / "page.htm"
    path.write_bytes(
        "<html><head><meta charset='windows-1252'><title>x</title></head><body><nav>Home 2019/20</nav>"
        "<h1>Kent Annual Report 2023/24</h1><script>alert(1)</script><div>Intro <b>text</b><br>next line"
        "<p>Caf\u00e9 para</p></div><table><caption>Breach of <i>SHPO</i></caption><tr><th colspan=2>Level"
        "</th></tr><tr><td>Level 2</td><td>4<br>(four)</td></tr></table><ol><li>one</li><li><p>two</p></li></ol>"
        "<pre>a\tb\n\nc</pre></body></html>".encode("cp1252")
    )
    assert extract_text(path).text.split("\n") == [
        "# Kent Annual Report 2023/24", "", "Intro text", "next line", "", "Café para", "",
        "Breach of SHPO", "", "Level\t", "Level 2\t4 (four)", "", "- one", "", "- two", "", "a\tb", "", "c",
    ]
    doc = load_document(path)
    assert (doc.area, doc.period, doc.page_starts) == ("Kent", "2023/24", ())


def test_the_new_types_are_found_in_folders(tmp_path):
    for name in ("a.pdf", "b.DOCX", "c.html", "d.htm", "e.txt", "f.doc", "g.rtf"):
        (tmp_path / name).write_bytes(b"x")
    assert [p.name for p in find_report_files([tmp_path])] == ["a.pdf", "b.DOCX", "c.html", "d.htm", "e.txt"]
    assert {".pdf", ".docx", ".html", ".htm", ".txt", ".md"} <= set(SUFFIXES)


# --- bad inputs: one clear line each -----------------------------------------------------------------------


def _small_pdf(path: Path, **canvas_options) -> Path:
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), **canvas_options)
    pdf.drawString(72, 720, "Norfolk Annual Report 2024 to 2025")
    pdf.showPage()
    pdf.save()
    return path


def test_a_small_pdf_reads(tmp_path):
    extracted = extract_text(_small_pdf(tmp_path / "ok.pdf"))
    assert (extracted.text, extracted.page_starts, extracted.warnings) == ("Norfolk Annual Report 2024 to 2025", (1,), ())


def test_encrypted_pdf(tmp_path):
    from reportlab.lib.pdfencrypt import StandardEncryption

    path = _small_pdf(tmp_path / "locked.pdf", encrypt=StandardEncryption("secret", ownerPassword="owner"))
    with pytest.raises(DocumentError, match="password-protected; save an unprotected copy"):
        load_document(path)


def test_pdf_with_an_owner_password_only_still_reads(tmp_path):
    from reportlab.lib.pdfencrypt import StandardEncryption

    path = _small_pdf(tmp_path / "restricted.pdf", encrypt=StandardEncryption("", ownerPassword="owner"))
    assert load_document(path).area == "Norfolk"


def test_scanned_pdf_without_text(tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.rect(72, 72, 400, 600, fill=1)  # an image of a page stands in for a scan: marks but no text
    pdf.showPage()
    pdf.save()
    with pytest.raises(DocumentError, match="has no text layer.*OCR it first"):
        load_document(path)


def test_pdf_with_a_scanned_page_warns_and_a_blank_page_does_not(tmp_path):
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    path = tmp_path / "partly.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.drawString(72, 720, "Norfolk Annual Report 2024 to 2025")
    pdf.showPage()
    pdf.showPage()  # a blank page
    pdf.drawImage(ImageReader(Image.new("L", (40, 60), 128)), 72, 72, 400, 600)  # a scanned page
    pdf.showPage()
    pdf.save()
    doc = load_document(path)
    assert doc.page_starts == (1, 2, 2)
    assert doc.warnings == (f"{path}: page(s) 3 are images without text (scanned?); OCR them to index them",)


@pytest.mark.parametrize("suffix", [".pdf", ".docx"])
def test_truncated_files(tmp_path, built, suffix):
    doc, _ = built(SEED_FILES[4], suffix)
    data = Path(doc.path).read_bytes()
    half = tmp_path / f"half{suffix}"
    half.write_bytes(data[: len(data) // 2])
    with pytest.raises(DocumentError, match=r"cut short|damaged") as raised:
        load_document(half)
    assert str(half) in str(raised.value) and "\n" not in str(raised.value)


def test_corrupt_pdf_body(tmp_path):
    path = tmp_path / "corrupt.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ngarbage \xff\xfe\x00 here\n%%EOF\n")
    with pytest.raises(DocumentError, match="damaged"):
        load_document(path)


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("empty.pdf", b"", "the file is empty"),
        ("empty.docx", b"", "the file is empty"),
        ("empty.html", b"", "the file is empty"),
        ("blank.html", b"<html><body><script>x()</script></body></html>", "no text in it"),
        ("fake.pdf", b"Norfolk Annual Report, saved as text", "not a PDF"),
        ("old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "password-protected or an old .doc"),
        ("fake.docx", b"plain text, not a zip", r"not a \.docx"),
        ("zip.docx", b"PK\x03\x04" + b"\x00" * 100, "damaged"),
        ("junk.txt", bytes(range(256)) * 4, "looks binary"),
        ("junk.html", b"\x00\x01\x02<html>", "looks binary"),
        ("latin1.txt", "Caf\u00e9 report".encode("latin-1"), "not UTF-8"),
        ("report.doc", b"anything", r"unknown file type '\.doc'; qa reads .*\.pdf, \.docx, \.html, \.htm"),
    ],
)
def test_bad_inputs_are_one_clear_line(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DocumentError, match=message) as raised:
        load_document(path)
    assert str(raised.value).startswith(str(path)) and "\n" not in str(raised.value)


def test_a_docx_with_a_bad_zip_member_is_damaged_not_a_traceback(tmp_path):
    import zipfile

    path = tmp_path / "broken.docx"
    build_docx([Block("para", "Norfolk Annual Report 2024 to 2025")], path)
    members = {}
    with zipfile.ZipFile(path) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    members["word/document.xml"] = b"<w:document><unclosed"
    with zipfile.ZipFile(path, "w") as archive:
        for member, data in members.items():
            archive.writestr(member, data)
    with pytest.raises(DocumentError, match="damaged"):
        load_document(path)


def test_huge_file(tmp_path):
    path = tmp_path / "huge.pdf"
    with path.open("wb") as handle:
        handle.truncate(MAX_BYTES + 1)  # sparse: no 50 MB written
    with pytest.raises(DocumentError, match="larger than qa reads \\(50 MB\\); split it"):
        load_document(path)


def test_format_libraries_load_only_when_a_file_needs_them():
    import subprocess
    import sys

    code = "import sys, qa.documents, qa.facts, qa.sections; print(sorted({'pdfplumber', 'docx', 'bs4'} & set(sys.modules)))"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "[]\n"


def test_pdf_answers_cite_pages_end_to_end(tmp_path):
    from test_index import TinyEmbedder

    pdf = tmp_path / "norfolk.pdf"
    drawn, _ = build_pdf(seed_blocks((SEEDS / "004_b79ee1c3b7c55e1b.txt").read_text(encoding="utf-8")), pdf)
    doc = load_document(pdf)
    qa.build_index([pdf], tmp_path / "idx", embedder=TinyEmbedder())
    answer = qa.open_index(tmp_path / "idx", embedder=TinyEmbedder()).ask("how many SHPOs in Norfolk 2024/25")
    assert (answer.value, answer.area, answer.period) == (118, "Norfolk", "2024/25")
    shpo = next(f for f in answer.facts if f.measure == "shpo")
    page = doc.page(shpo.lines[0])
    assert any(page == p for p, table in drawn for row in table.rows if "Sexual Harm Prevention Order (SHPO)" in row[0])
    citation = answer.citations[0].to_dict()
    assert citation["doc"].endswith("norfolk.pdf") and citation["pages"] == [page, page]
    assert "118" in citation["text"]
