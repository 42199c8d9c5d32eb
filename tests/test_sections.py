import pytest
from conftest import SEED_FILES, SEEDS, seed_lines

from qa.documents import load_document
from qa.sections import CHUNK_WORDS, MAX_CHUNK_WORDS, _line_words, chunk_document, split_sections


@pytest.mark.parametrize("name", SEED_FILES)
def test_chunks_are_exact_lines_and_short(name):
    doc = load_document(SEEDS / name)
    lines = seed_lines(name)
    chunks = chunk_document(doc)
    assert chunks
    for chunk in chunks:
        assert 1 <= chunk.start <= chunk.end <= len(lines)
        assert chunk.text == "\n".join(lines[chunk.start - 1 : chunk.end])
        assert chunk.text.strip()
        # Only a single line that is itself longer than a chunk may exceed CHUNK_WORDS, never MAX_CHUNK_WORDS.
        assert len(chunk.text.split()) <= CHUNK_WORDS or chunk.start == chunk.end
        assert _line_words(chunk.text) <= MAX_CHUNK_WORDS
    starts = [c.start for c in chunks]
    assert starts == sorted(starts)


def test_markdown_heading_paths():
    sections = split_sections(load_document(SEEDS / "000_596632459647fbdf.txt"))
    paths = {" > ".join(s.path): (s.start, s.end) for s in sections}
    assert paths["MAPPA Statistics > Restrictive orders for Category 1 offenders"] == (109, 120)
    assert paths["MAPPA Statistics > MAPPA-eligible individuals on 31 March 2025"] == (83, 91)


def test_plain_heading_paths():
    sections = split_sections(load_document(SEEDS / "004_b79ee1c3b7c55e1b.txt"))
    paths = {" > ".join(s.path): (s.start, s.end) for s in sections}
    assert paths["MAPPA Statistics > Restrictive orders for Category 1 offenders"] == (109, 117)
    assert paths["Local page > DWP and MAPPA"] == (202, 217)
    assert "What is MAPPA? > MAPPA background" in paths


def test_one_cell_per_line_tables_are_not_headings():
    sections = split_sections(load_document(SEEDS / "003_6d204036d4560561.txt"))
    names = [s.path[-1] for s in sections]
    assert "Violent" not in names and "Level 1" not in names
    assert "MAPPA-eligible individuals on 31 March 2023" in names


def test_a_report_without_line_breaks_is_cut_into_passages_of_the_chunk_limit(tmp_path):
    words = " ".join(" ".join(seed_lines("004_b79ee1c3b7c55e1b.txt")).split())
    text = " ".join([words] * 40) + " " + "x" * 10_000  # about 300,000 words on one line, and one huge "word"
    (tmp_path / "one-line.txt").write_text(text, encoding="utf-8")
    chunks = chunk_document(load_document(tmp_path / "one-line.txt"))
    assert len(chunks) > 1000
    assert max(_line_words(c.text) for c in chunks) == CHUNK_WORDS
    assert max(len(c.text) for c in chunks) <= CHUNK_WORDS * 20
    assert all((c.start, c.end) == (1, 1) and c.text in text for c in chunks)
    assert " ".join(c.text for c in chunks).split() == [w for word in text.split() for w in (
        [word] if len(word) <= 2400 else [word[i:i + 2400] for i in range(0, len(word), 2400)])]
