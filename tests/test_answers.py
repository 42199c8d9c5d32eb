import json
from pathlib import Path

import pytest
from conftest import seed_lines

import qa

ANSWER_KEYS = ["question", "status", "kind", "answer", "value", "area", "period", "facts", "citations", "note", "span"]
FACT_KEYS = ["area", "period", "measure", "category", "level", "table", "row", "column", "value", "doc", "lines"]
CITATION_KEYS = ["doc", "title", "area", "period", "section", "lines", "pages", "text", "score"]

PASSAGES = [
    ("Who chairs the Norfolk MAPPA Strategic Management Board?", "004_b79ee1c3b7c55e1b.txt", "Chris Balmer"),
    ("who chairs the london mappa smb 2024/25", "002_c7e779d3e77a4788.txt", "Pamela Spring"),
    ("cambridgeshire 2014-15 polygraph testing with serious sex offenders", "001_52bf94afc6c73e9d.txt", "polygraph"),
    ("cheshire 2022/23 sub-groups of the strategic management board", "003_6d204036d4560561.txt", "Training Subgroup"),
    ("cambridgeshire and peterborough 2024/25 CAS3 bed spaces housing", "000_596632459647fbdf.txt", "CAS3"),
]


def _check_citation_text(citation):
    lines = seed_lines(Path(citation.doc).name)
    assert citation.text == "\n".join(lines[citation.lines[0] - 1 : citation.lines[1]])


@pytest.mark.parametrize("question, doc, words", PASSAGES)
def test_passage_answers_cite_the_right_report_and_lines(index, question, doc, words):
    answer = index.ask(question)
    assert (answer.status, answer.kind) == ("answered", "passage")
    top3 = answer.citations[:3]
    assert any(Path(c.doc).name == doc and words in c.text for c in top3)
    assert all(Path(c.doc).name == doc for c in answer.citations)  # scoped to the area and year asked
    for citation in answer.citations:
        _check_citation_text(citation)


def test_norfolk_chair_sentence(index):
    answer = index.ask("Who chairs the Norfolk MAPPA Strategic Management Board?")
    assert "Chris Balmer" in answer.answer
    assert answer.citations[0].lines[0] <= 22 <= answer.citations[0].lines[1]


def test_shpo_fact_exact_and_cited(index):
    answer = index.ask("how many SHPOs in Norfolk 2024/25")
    assert (answer.status, answer.kind, answer.value, answer.area, answer.period) == (
        "answered", "fact", 118, "Norfolk", "2024/25")
    fact = answer.facts[0]
    assert (fact.measure, fact.lines, Path(fact.doc).name) == ("shpo", (111, 111), "004_b79ee1c3b7c55e1b.txt")
    citation = answer.citations[0]
    assert citation.lines[0] <= 111 <= citation.lines[1]
    assert citation.section == "MAPPA Statistics > Restrictive orders for Category 1 offenders"
    _check_citation_text(citation)


@pytest.mark.parametrize(
    "question, value, area, period, lines",
    [
        ("How many MAPPA-eligible individuals were there in London on 31 March 2025?", 11220, "London", "2024/25", (98, 98)),
        ("cheshire cat 3 level 2 on 31 march 2023", 13, "Cheshire", "2022/23", (58, 61)),
        ("norfolk level three recalls 2024-25", 3, "Norfolk", "2024/25", (122, 122)),
        ("registered sex offenders per 100,000 in cambridgeshire 2014/15", 111, "Cambridgeshire and Peterborough", "2014/15", (95, 95)),
        ("peterborough lifetime notification revoked 2024 to 2025", 10, "Cambridgeshire and Peterborough", "2024/25", (104, 104)),
        ("the met SRO breach 2025", 13, "London", "2024/25", (119, 119)),
        ("london cat 1 level 2 yearly total 2024/25", 153, "London", "2024/25", (103, 103)),
        # "levels 2 and 3" of a table that counts only those levels: its Total, not a sum
        ("How many MAPPA level 2 and 3 offenders in Cheshire were recalled to prison for breach of licence in 2022-23?",
         10, "Cheshire", "2022/23", (161, 165)),
        ("Cheshire 22/23: recalls of Category 3 (other dangerous) offenders for licence breach, L2 and L3 combined",
         7, "Cheshire", "2022/23", (161, 164)),
        ("I read that London has 920 registered sex offenders per 100,000 people. Is that right? What's the actual "
         "rate in the 2024/25 report?", 92, "London", "2024/25", (134, 134)),
        ("Under the Freedom of Information Act 2000, I request the total number of MAPPA-eligible individuals in the "
         "Cambridgeshire and Peterborough area on 31 March 2025, all categories and levels combined.", 1283,
         "Cambridgeshire and Peterborough", "2024/25", (90, 90)),
        # a clause reporting a claim holds what is counted
        ("I read that 35 sex offenders in Cambridgeshire and Peterborough were convicted last year (2024/25) for "
         "breaching their notification requirements. Is that right, or what is the actual number convicted?", 28,
         "Cambridgeshire and Peterborough", "2024/25", (102, 102)),
        # who said what, and the figure they said, are no words of what is counted
        ("The EDP says Norfolk has roughly 1,300 people on the sex offenders register. What's the exact number at "
         "31 March 2025?", 1286, "Norfolk", "2024/25", (94, 94)),
        ("RSOs managed by the lead agency alone at level 1 in C&P (Cambridgeshire and Peterborough), snapshot 31 March "
         "2025?", 1066, "Cambridgeshire and Peterborough", "2024/25", (87, 87)),
    ],
)
def test_fact_answers(index, question, value, area, period, lines):
    answer = index.ask(question)
    assert (answer.kind, answer.value, answer.area, answer.period) == ("fact", value, area, period)
    assert answer.facts[0].lines == lines
    assert any(c.lines[0] <= lines[0] and lines[1] <= c.lines[1] for c in answer.citations)


def test_shpo_in_2014_answers_sopos_with_a_note(index):
    answer = index.ask("How many SHPOs were there in Cambridgeshire in 2014/15?")
    assert (answer.value, answer.facts[0].measure) == (69, "sopo")
    assert "SOPO" in answer.note and "2015" in answer.note


def test_each_area_compared_in_its_own_year(index):
    answer = index.ask("Which recorded more sexual harm prevention orders: Cheshire in 2022/23 or Norfolk in 2024/25?")
    assert (answer.kind, answer.value, answer.area, answer.period) == ("aggregate", 155, "Cheshire", "2022/23")
    assert sorted((f.area, f.period, f.value) for f in answer.facts) == [
        ("Cheshire", "2022/23", 155), ("Norfolk", "2024/25", 118)]
    assert index.ask("how many SHPOs in Cheshire 2024/25 and Norfolk 2022/23 compared").status == "not_found"


@pytest.mark.parametrize(
    "question, value, area",
    [
        ("Which area had the most SHPOs in 2024/25?", 559, "London"),
        ("total SHPOs across all areas in 2024/25", 812, None),
        ("how did the number of MAPPA-eligible individuals in Cambridgeshire change between 2014/15 and 2024/25", 344,
         "Cambridgeshire and Peterborough"),
        ("norfolk cat 1 cautioned or convicted for breach of notification requirements 2024/25", 34, "Norfolk"),
        ("By how much has the number of registered sex offenders in Cambridgeshire gone up between 31 March 2015 and "
         "31 March 2025?", 267, "Cambridgeshire and Peterborough"),
        ("Adding up the three 2024/25 reports for London, Norfolk and Cambridgeshire & Peterborough, how many "
         "registered sex offenders (category 1) were there in total on 31 March 2025?", 9761, None),
        # the size of a fall, asked as such, is positive
        ("The yearly total of Level 2 and 3 cases in Cambridgeshire was 156 in 2014/15. By how many had that fallen "
         "by 2024/25?", 94, "Cambridgeshire and Peterborough"),
        # "in March 2025" of a snapshot (a rate on 31 March) is its day, not a month
        ("Cambridgeshire's rate of registered sex offenders per 100,000 population: how many points higher was it in "
         "March 2025 than in March 2015?", 19, "Cambridgeshire and Peterborough"),
    ],
)
def test_aggregates(index, question, value, area):
    answer = index.ask(question)
    assert (answer.kind, answer.value) == ("aggregate", value)
    if area:
        assert answer.area == area
    assert len(answer.facts) >= 2 and len(answer.citations) >= 1


@pytest.mark.parametrize(
    "question",
    ["How many SHPOs were there in Norfolk in 2019/20?", "how many shpos in kent 2024/25",
     "who chairs the Sussex MAPPA board", "cambridgeshire lifetime notification revoked 2014/15",
     "cheshire cat 1 cautioned for breach of notification requirements 2022/23",
     "what's the weather going to be like in Cambridge tomorrow",
     "To ask the Secretary of State for Justice, what the annual budget of London MAPPA was in 2024-25.",
     "how many SHPOs were made in Norfolk in March 2025",  # one month of a year's count
     # a count of the noun asked about, not any number near it ("After 10 years, ... the victim")
     "How many victims did the Victim Liaison Officer Team in Cambridgeshire support in 2014-15?",
     # no table counts travel notifications: never the SHPOs with a foreign travel restriction
     "How many registered sex offenders in Norfolk notified the police of foreign travel in 2024/25?",
     # a share or a ranking of a breakdown no table gives, whatever passage shares a word
     "What proportion of London's MAPPA offenders are foreign nationals?",
     "Which month in 2024/25 saw the most recalls to prison in London?",
     "What is the average length of an SHPO imposed in London in 2024/25?"],  # no table gives averages
)
def test_refusals(index, question):
    answer = index.ask(question)
    assert answer.status == "not_found" and answer.kind is None and answer.value is None
    # What a refusal cites are the nearest figures held, named in the note; never "the" answer.
    assert not answer.facts or answer.note.startswith("Nearest figures held")
    assert len(answer.citations) <= 5


@pytest.mark.parametrize(
    "question, value, lines",
    [  # two figures one question names: added up when asked together, the first less the second when contrasted
        ("Add up SHPOs and notification notices for London in 2024/25 - what's the total?", 559 + 55, [(115, 115), (117, 117)]),
        ("In London in 2024/25, by how many did convictions for notification breaches exceed cautions?", 153 - 41,
         [(108, 108), (107, 107)]),
        # "SHPO" inside "returned to custody for breach of a SHPO" is no third figure beside the two
        ("In Norfolk in 2024/25, adding licence recalls and SHPO breach returns together, how many Level 2 and 3 "
         "individuals went back to custody?", 21 + 2, None),
        ("Putting cautions and convictions together, how many Category 1 offenders in Cambridgeshire and "
         "Peterborough were dealt with for breaching notification requirements in 2024/25?", 7 + 28, None),
        # several cells of one grid
        ("Excluding sex offenders, how many Category 2 and Category 3 offenders were recalled for breach of licence "
         "in Norfolk in 2024/25?", 10 + 9, None),
        ("In Cheshire in 2022/23, how many more individuals were managed at Level 2 than at Level 3 over the year?",
         46 - 11, None),
        # "actively managed" (Level 2's words) does not undo "level 2 or level 3 combined"
        ("How many Cheshire offenders were being actively managed at level 2 or level 3 combined on 31 March 2023?",
         27 + 6, None),
        # the levels of a Level 2 and 3 table are its population when two categories are compared
        ("In Norfolk during 2024/25, how many more Category 3 than Category 2 offenders were managed at Level 2 or 3 "
         "(yearly totals)?", 45 - 27, None),
    ],
)
def test_two_figures_and_several_cells(index, question, value, lines):
    answer = index.ask(question)
    assert (answer.status, answer.kind, answer.value) == ("answered", "aggregate", value), answer.answer
    assert len(answer.facts) == 2 and answer.citations
    if lines:
        assert [tuple(f.lines) for f in answer.facts] == lines


@pytest.mark.parametrize(
    "question, reason",
    [  # neither total nor difference asked: both figures are given in the note, neither as "the" answer
        ("London's 2024/25 MAPPA statistics list notification notices alongside SHPOs. What number is given?",
         "names two figures"),
        ("What was the recall rate per 100,000 population for MAPPA offenders in Norfolk in 2024/25?",
         "returned to custody for breach of licence as a count"),
        ("Besides those in the community, what number of Norfolk MAPPA-eligible individuals were in custody on "
         "31 March 2025?", "whether in custody"),
        ("Cheshire 2022/23: how many RSOs were cautioned (cautions only, not convictions) for breach of "
         "notification requirements?", "cautioned"),
        ("how many SHPOs at levels 2 and 3 in norfolk 2024/25", "as one figure"),
        ("Cambridgeshire 2014/15: how many RSOs were convicted - just convictions, not cautions - for breaching their "
         "notification requirements?", "give no figure for Category 1 individuals convicted"),
        ("For Cambridgeshire 2014/15 I only need the convictions, not the cautions: how many RSOs were convicted for "
         "breaching notification requirements?", "give no figure for Category 1 individuals convicted"),
        ("Cheshire 2022/23: how many Category 1 offenders were cautioned, counted separately from those convicted, "
         "for breach of notification requirements?", "give no figure for Category 1 individuals cautioned"),
        # "SHPOs" may be a third figure beside "SHPOs with a foreign travel restriction": not clear which are added
        ("London 2024/25: adding up all the restrictive orders for Category 1 offenders (SHPOs, SHPOs with a foreign "
         "travel restriction and Notification Notices), what's the total?", "names two figures"),
        ("Just Peterborough, not the rest of Cambridgeshire: how many people were on the sex offender register there "
         "on 31 March 2025?", "not for part of one"),
    ],
)
def test_refusals_of_figures_the_question_does_not_pin_down(index, question, reason):
    answer = index.ask(question)
    assert answer.status == "not_found" and answer.value is None, answer.answer
    assert reason in answer.answer


def test_refusal_lists_what_is_indexed(index):
    answer = index.ask("how many shpos in kent 2024/25")
    assert "Kent" in answer.answer and "Norfolk 2024/25" in answer.note


def test_json_contract(index):
    data = json.loads(json.dumps(index.ask("how many SHPOs in Norfolk 2024/25").to_dict()))
    assert list(data) == ANSWER_KEYS
    assert list(data["facts"][0]) == FACT_KEYS
    assert list(data["citations"][0]) == CITATION_KEYS
    passage = index.ask("Who chairs the Norfolk MAPPA Strategic Management Board?").to_dict()
    assert passage["facts"] == [] and passage["value"] is None and list(passage) == ANSWER_KEYS


@pytest.mark.parametrize("question", ["", "   "])
def test_empty_question(index, question):
    with pytest.raises(qa.BadInput, match="empty question"):
        index.ask(question)


def test_options_scope_and_validate(index):
    assert index.ask("how many SHPOs", area="the Met", period="2025").value == 559
    with pytest.raises(qa.BadInput, match="not a MAPPA area"):
        index.ask("shpos", area="Atlantis")
    with pytest.raises(qa.BadInput, match="not a reporting year"):
        index.ask("shpos", period="last year")


def test_long_and_foreign_questions_get_an_answer(index):
    assert index.ask("shpo norfolk 2024/25 " * 1000).status in ("answered", "not_found")
    assert index.ask("¿Cuántas órdenes hay en Norfolk?").status in ("answered", "not_found")


def test_facts_export(index):
    facts = index.facts(area="Norfolk", measure="shpo")
    assert [(f.value, f.period) for f in facts] == [(118, "2024/25")]
    assert len(index.facts()) == 260


# ----------------------------------------------------------------------------- answers by type

SARAH_PORT = ("Sarah Port — Chair of the Cambridgeshire and Peterborough MAPPA Strategic Management Board — "
              "Head of Service - C&P Probation Delivery Unit")
CHAIRS_TRAINED = ("During the 2024–2025 period, three two-day MAPPA Chair Training events were successfully delivered, "
                  "providing training to a total of 57 newly appointed MAPPA Chairs.")


@pytest.mark.parametrize("question, sentence, span, doc, lines", [
    # A person: the name with the role lines under it, read as one answer.
    ("who chairs the cambridgeshire and peterborough mappa smb 2024/25", SARAH_PORT, "Sarah Port",
     "000_596632459647fbdf.txt", (15, 23)),
    ("which chief constable signed the cambridgeshire 2014/15 mappa annual report",
     "Alec Wood Chief Constable Cambridgeshire Constabulary", "Alec Wood", "001_52bf94afc6c73e9d.txt", (19, 35)),
    # Who wrote or signed: the by-line or signature, not the heading or a sentence that repeats the piece's words
    # (the by-line holds the words its heading path holds).
    ("who wrote the MPS digital management of registered sex offenders piece in london mappa 2024-25",
     "DC Phil Preston – Digital Tactical Policy Advisor Central Jigsaw Tea", "DC Phil Preston",
     "002_c7e779d3e77a4788.txt", (252, 254)),
    ("who signed the cambridgeshire mappa report 2014-15 for the national probation service",
     "Matthew Ryder — Head of Cambridgeshire LDU — National Probation Service", "Matthew Ryder",
     "001_52bf94afc6c73e9d.txt", (19, 35)),
    ("who reviews content flagged by remote monitoring software on offender devices - the Met, 2024/25",
     "That content is reviewed by a specialist behavioural analyst, and if deemed appropriate the offender manager "
     "is alerted and then takes the appropriate action.", "a specialist behavioural analyst",
     "002_c7e779d3e77a4788.txt", (244, 246)),
    # A date.
    ("When was the Norfolk MAPPA PC role introduced?",
     "The role was introduced in July 2024 and has been well received by MAPPA attendees.", "July 2024",
     "004_b79ee1c3b7c55e1b.txt", (197, 200)),
    # A count of the noun asked about, not the other number in the sentence.
    ("how many new mappa chairs were trained in london in 2024-25", CHAIRS_TRAINED, "57", "002_c7e779d3e77a4788.txt",
     (213, 215)),
    ("how many two-day chair training events did london run in 2024/25", CHAIRS_TRAINED, "three",
     "002_c7e779d3e77a4788.txt", (213, 215)),
    ("how often does the london smb meet 2024/25",
     "The SMB meets four times a year to review the quality and effectiveness of MAPPA locally and to ensure agencies "
     "discharge their responsibilities under the MAPPA framework.", "four times a year", "002_c7e779d3e77a4788.txt",
     (20, 20)),
    # What an abbreviation stands for; the name a "which" question is about.
    ("what does MARAC stand for in cheshire mappa 2022/23",
     "Across Cheshire Multi-Agency Risks Assessment Conferences (MARACs) are held.",
     "Multi-Agency Risks Assessment Conferences", "003_6d204036d4560561.txt", (222, 222)),
    ("which probation division manages terrorist risk offenders - cheshire mappa 2022-23",
     "The Probation Service, via its National Security Division, has created a specialist dedicated and highly skilled "
     "workforce, which provides an enhanced level of management and intervention for the most high-risk, complex and "
     "high-profile individuals in the community.", "National Security Division", "003_6d204036d4560561.txt", (3, 3)),
])
def test_the_answer_is_the_sentence_holding_the_item_asked_for(index, question, sentence, span, doc, lines):
    answer = index.ask(question)
    assert (answer.status, answer.kind, answer.answer, answer.span) == ("answered", "passage", sentence, span)
    assert (Path(answer.citations[0].doc).name, answer.citations[0].lines) == (doc, lines)
    assert span in answer.answer
    _check_citation_text(answer.citations[0])


def test_span_is_in_the_json_and_null_for_facts(index):
    assert index.ask("how many SHPOs in Norfolk 2024/25").to_dict()["span"] is None
    assert index.ask("When was the Norfolk MAPPA PC role introduced?").to_dict()["span"] == "July 2024"


@pytest.mark.parametrize("question, reason", [
    ("how many home visits did norfolk police make in 2024/25", "do not break their figures down by visits"),
    ("how many MAPPA meetings were held in london in 2024/25", "No MAPPA statistics table counts"),
])
def test_a_count_question_never_gets_a_sentence_without_the_count(index, question, reason):
    answer = index.ask(question)
    assert answer.status == "not_found" and reason in answer.answer and answer.value is None


# ------------------------------------------------------------------- sentences as written

WRAPPED = """\
This figure has been calculated using the mid-2024 estimated resident population, pub-
lished by the Office for National Statistics (ONS) on 30 July 2025, excluding those
aged less than ten years of age.

ACC Chris Balmer
Chair, MAPPA Strategic Management Board

MAPPA Training

MAPPA training is taking place on 4th and 5th February 2026. There will be two days of
multi-
agency training within the county."""


def test_wrapped_lines_are_read_as_sentences_with_their_line_spans():
    from qa.sentences import split_sentences

    sentences = [(s.text, s.lines) for s in split_sentences(WRAPPED, first_line=206)]
    assert sentences == [
        ("This figure has been calculated using the mid-2024 estimated resident population, published by the Office "
         "for National Statistics (ONS) on 30 July 2025, excluding those aged less than ten years of age.", (206, 208)),
        ("ACC Chris Balmer — Chair, MAPPA Strategic Management Board", (210, 211)),
        ("MAPPA Training — MAPPA training is taking place on 4th and 5th February 2026.", (213, 215)),
        ("MAPPA training is taking place on 4th and 5th February 2026.", (215, 215)),
        ("There will be two days of multi-agency training within the county.", (215, 217)),
    ]


def test_one_stray_word_that_names_no_figure_is_no_match(index):
    # "back" of "going back a decade" is a word of "sent back to prison", not what is counted: never the recalls
    answer = index.ask("Going back a decade: how many registered sex offenders did Cambridgeshire MAPPA have on "
                       "31 March 2015, all levels together?")
    assert answer.value in (None, 808)


def test_a_count_no_table_gives_is_read_in_the_text(index):
    # no table counts Serious Case Reviews: never the lifetime revocations "reviewed" on application
    answer = index.ask("How many Serious Case Reviews had Norfolk MAPPA commissioned around the time of last year's report?")
    assert (answer.kind, answer.value, answer.span) == ("passage", None, "two")


def test_why_is_never_a_figure(index):
    answer = index.ask("Why does Cheshire's 2022/23 report use the mid-2021 population estimate for its per-100,000 "
                       "figure instead of mid-2022?")
    assert answer.kind == "passage" and answer.value is None


def test_a_calendar_year_asked_of_the_text_is_either_report_it_falls_in(index):
    # "in 2024" of a passage question: 2023/24 or 2024/25; only the latter is indexed for Norfolk
    query = index.parse("Who chaired the Norfolk MAPPA Strategic Management Board in 2024?")
    assert (query.periods, query.text_periods, query.either_period) == (("2023/24",), ("2023/24", "2024/25"), True)
    answer = index.ask("Who chaired the Norfolk MAPPA Strategic Management Board in 2024?")
    assert answer.status == "answered" and answer.period == "2024/25"


def test_a_lone_year_reads_the_text_of_either_year_but_a_figure_only_of_its_own(index):
    # "in 2024" of a count the text gives: the London 2024/25 report's forums
    answer = index.ask("How many participants attended the two London MAPPA Chairs' Forums in 2024?")
    assert answer.status == "answered" and "107 participants" in answer.answer and answer.period == "2024/25"
    # a table's figure: "2024" is the year to March 2024, whose Norfolk report is not indexed
    answer = index.ask("how many SHPOs in Norfolk in 2024")
    assert answer.status == "not_found" and answer.value is None and "2023/24" in answer.answer
    assert "Norfolk 2024/25: 118" in answer.note and answer.facts[0].lines == (111, 111)
    assert index.ask("how many SHPOs in Norfolk in 2025").value == 118


@pytest.mark.parametrize("question", [
    "Leaving London aside, which area recorded the most SHPOs: Cheshire (2022/23), Cambridgeshire and "
    "Peterborough (2024/25) or Norfolk (2024/25)?",
    "Excluding London, which of Cheshire in 2022/23, Norfolk in 2024/25 and Cambridgeshire and Peterborough in "
    "2024/25 had the most SHPOs?",
])
def test_an_area_left_out_is_not_asked_about(index, question):
    answer = index.ask(question)
    assert (answer.status, answer.value, answer.area, answer.period) == ("answered", 155, "Cheshire", "2022/23")
    assert "London" not in answer.answer


def test_an_area_left_out_of_a_count_is_not_its_figure(index):
    answer = index.ask("how many SHPOs in 2024/25 other than in London")
    assert answer.value != 559 and "London" not in (answer.note or "")
    assert index.parse("how many SHPOs in 2024/25 other than in London").excluded == ("London",)


@pytest.mark.parametrize("question, area, value", [
    ("who had more SHPOs in 2024/25, London or Cambridgeshire and Peterborough?", "London", 559),
    ("Which area had more SHPOs in 2024/25, London or Cambridgeshire and Peterborough?", "London", 559),
    ("which had fewer SHPOs in 2024/25: Norfolk or London?", "Norfolk", 118),
])
def test_which_of_the_areas_named_had_more(index, question, area, value):
    answer = index.ask(question)
    assert (answer.status, answer.kind, answer.area, answer.value) == ("answered", "aggregate", area, value)
    assert "of the areas named" in answer.answer and answer.note is None or "Only the" not in answer.note


def test_a_town_no_passage_speaks_of_is_refused(index):
    answer = index.ask("My neighbour in Crewe is on the register - what did he do and what level is he managed at?")
    assert answer.status == "not_found" and "Crewe" in answer.answer and answer.citations == ()


@pytest.mark.parametrize("question, value, cells", [
    # Norfolk on 31 March 2025: Level 2 8 / 4 / 7, Level 3 0 / 1 / 0; Category totals 1,286 / 151 / 7
    ("how many Norfolk offenders were managed at level 2 or 3, not counting category 3", 13,
     ((1, 2), (1, 3), (2, 2), (2, 3))),
    ("Norfolk 2024/25 MAPPA eligible offenders excluding category 3", 1437, ((1, None), (2, None))),
    ("Norfolk MAPPA eligible apart from category 3 on 31 march 2025", 1437, ((1, None), (2, None))),
    ("how many Norfolk offenders were not at level 1 on 31 march 2025", 20, ((None, 2), (None, 3))),
])
def test_a_category_or_level_left_out_is_not_counted(index, question, value, cells):
    answer = index.ask(question)
    assert (answer.status, answer.value, answer.area, answer.period) == ("answered", value, "Norfolk", "2024/25")
    assert {(f.category, f.level) for f in answer.facts[: len(cells)]} == set(cells)
    assert all(f.table == "MAPPA-eligible individuals on 31 March 2025" for f in answer.facts[: len(cells)])


def test_areas_compared_with_a_cell_left_out_are_refused(index):
    answer = index.ask("which area had the most MAPPA offenders in 2024/25, not counting category 1")
    assert answer.status == "not_found" and answer.value is None


@pytest.mark.parametrize("question, value, part, whole", [
    # Norfolk on 31 March 2025: Category 1 1,286 of 1,444 (89.06%); Level 1 1,424 (98.6%)
    ("What percentage of Norfolk's MAPPA-eligible individuals on 31 March 2025 were registered sex offenders? "
     "(nearest whole percent)", 89, (1, None), (None, None)),
    ("what percentage of Norfolk MAPPA offenders are at level 1", 99, (None, 1), (None, None)),
    # London: Category 1 at Level 2 is 24 of Category 1's 7,400; the part keeps the whole's category
    ("what percentage of London category 1 offenders were managed at level 2 on 31 march 2025, to one decimal place",
     0.3, (1, 2), (1, None)),
])
def test_a_share_of_a_grid_is_worked_out_from_both_cited_cells(index, question, value, part, whole):
    answer = index.ask(question)
    assert (answer.status, answer.kind, answer.value) == ("answered", "aggregate", value)
    assert [(f.category, f.level) for f in answer.facts] == [part, whole]
    assert answer.citations and all(c.text == "\n".join(seed_lines(Path(c.doc).name)[c.lines[0] - 1 : c.lines[1]])
                                    for c in answer.citations)


def test_a_share_the_report_states_cites_its_sentence_first(index):
    answer = index.ask("what proportion of MAPPA-eligible offenders in Cambridgeshire were managed at Level 1 in 2014/15")
    assert answer.value == 93 and "(92.7%)" in answer.answer and "870" in answer.answer and "939" in answer.answer
    assert "93% this year" in answer.citations[0].text and "states 93%" in answer.note


@pytest.mark.parametrize("question, value, facts", [
    # London 2024/25, returned to custody for breach of licence, Levels 2 and 3: Category 3 35, Category 1 22
    ("In London in 2024/25, how many more Category 3 than Category 1 individuals were returned to custody for breach "
     "of licence (Levels 2 and 3 combined)?", 13, 2),
    ("How many more SHPOs did Cheshire record in 2022/23 than Norfolk did in 2024/25?", 37, 2),  # 155 - 118
    # Cambridgeshire 2014/15: SOPOs 69, NOs 1, FTOs 0
    ("Cambridgeshire 2014/15: how many restrictive orders were imposed on Category 1 offenders in all, adding SOPOs, "
     "Notification Orders and Foreign Travel Orders?", 70, 3),
])
def test_figures_compared_or_added_are_each_cited(index, question, value, facts):
    answer = index.ask(question)
    assert (answer.status, answer.kind, answer.value) == ("answered", "aggregate", value)
    assert len(answer.facts) == facts


@pytest.mark.parametrize("question, reason", [
    ("What is Norfolk's population (number of residents) according to its 2024/25 MAPPA report?", "population"),
    ("By how much did Norfolk's number of SHPOs change compared with the previous year's report?", "two years"),
    ("How many London individuals were recalled to custody for breach of a Sexual Risk Order in 2024/25?", "SROs"),
    ("Cambridgeshire 2014/15 SOPOs, Notification Orders and Foreign Travel Orders", "3 figures"),
    ("How many CAS3 bed spaces are available in Cambridgeshire and Peterborough?", "no figure"),  # "Tier 3" names
    ("How many digital device examinations did the Met carry out on registered sex offenders in 2024/25?",
     "no figure"),  # "four main digital tools" counts no examinations
])
def test_a_figure_of_something_else_is_refused(index, question, reason):
    answer = index.ask(question)
    assert answer.status == "not_found" and answer.value is None and reason in answer.answer


def test_a_count_beside_its_noun_and_verb_is_read_in_the_text(index):
    answer = index.ask("How many people attended the two London MAPPA Chairs' Forums?")
    assert answer.status == "answered" and "107 participants attended" in answer.answer


def test_every_report_compared_in_its_own_year(index):
    # Breach-of-licence returns, Levels 2 and 3: Cheshire 2022/23 10, Cambridgeshire 2014/15 11, 2024/25 18, ...
    answer = index.ask("Of all five reports, which area recorded the fewest Level 2 and 3 returns to custody for breach "
                       "of licence in its year?")
    assert (answer.status, answer.area, answer.period, answer.value) == ("answered", "Cheshire", "2022/23", 10)
    assert len({(f.area, f.period) for f in answer.facts}) == 5


@pytest.mark.parametrize("question, value", [
    # "NOs" are Notification Orders: SOPOs 69 + NOs 1 + FTOs 0, never two of the three
    ("Cambridgeshire 2014/15: total restrictive orders imposed by the courts on Category 1 offenders (SOPOs, NOs and "
     "FTOs added together)?", 70),
    ("What was the total number of MAPPA-eligible individuals in the capital at the 31 March 2025 snapshot?", 11220),
    ("cambs & pboro mappa - number of cat 2 violent offenders managed at level 1 as at 31/03/2025?", 197),
    ("For a council scrutiny briefing: what was the total number of MAPPA-eligible individuals in the Cambridgeshire "
     "and Peterborough area at the end of March 2025 (all categories, all levels)?", 1283),
    ("Going back ten years: how many registered sex offenders did Cambridgeshire MAPPA have on 31 March 2015?", 808),
])
def test_questions_in_the_publics_words_get_the_exact_figure(index, question, value):
    answer = index.ask(question)
    assert (answer.status, answer.value) == ("answered", value)
