"""Word (.docx) import in the documented layout, and export in the same layout."""

import io

from docx import Document

from hub.testing.formats.docx import parse_docx, write_docx
from hub.testing.formats.questions import EmbeddedFile, Kind

from .samples import PNG, every_kind, with_image


def docx_bytes(build) -> bytes:
    document = Document()
    build(document)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def parse(data: bytes, language: str = "ky"):
    result = parse_docx(data, language=language)
    return result.questions, result.problems


def rich_question(document):
    paragraph = document.add_paragraph("1. Суунун ")
    paragraph.add_run("формуласы").italic = True
    paragraph.add_run(" H")
    paragraph.add_run("2").font.subscript = True
    paragraph.add_run("O, ң ө ү?")
    table = document.add_table(rows=2, cols=2)
    for (row, col), value in {(0, 0): "Элемент", (0, 1): "Саны", (1, 0): "H", (1, 1): "2"}.items():
        table.cell(row, col).text = value
    document.add_paragraph().add_run().add_picture(io.BytesIO(PNG))
    document.add_paragraph("A) H2O2")
    document.add_paragraph().add_run("B) H2O").bold = True
    document.add_paragraph("C) CO2")


def test_it_reads_a_question_with_formatting_a_table_an_image_and_a_bold_answer():
    (question,), problems = parse(docx_bytes(rich_question))
    assert problems == []
    assert question.kind == Kind.SINGLE
    assert question.text == {
        "ky": "<p>Суунун <i>формуласы</i> H<sub>2</sub>O, ң ө ү?</p>"
        "<table><tbody><tr><td>Элемент</td><td>Саны</td></tr><tr><td>H</td><td>2</td></tr></tbody></table>"
        '<p><img src="image1.png"></p>'
    }
    assert question.files == [EmbeddedFile("image1.png", PNG, "image/png")]
    # The bold marks the right option and is not kept as its formatting.
    assert [(o.text, o.percent) for o in question.options] == [
        ({"ky": "H2O2"}, 0.0),
        ({"ky": "H2O"}, 100.0),
        ({"ky": "CO2"}, 0.0),
    ]


def test_it_reads_starred_multiple_choice_short_answer_matching_and_answer_letters():
    def build(document):
        document.add_paragraph("1) Жуп сандар?")
        document.add_paragraph("*a) 2")
        document.add_paragraph("b) 3")
        document.add_paragraph("* c. 4")
        document.add_paragraph("2. Столица Кыргызстана?")
        document.add_paragraph("Ответ: Бишкек; Bishkek")
        document.add_paragraph("3. Которуңуз")
        document.add_paragraph("А) мышык -> кошка")
        document.add_paragraph("Б) ит -> собака")
        document.add_paragraph("4. Кайсы туура?")
        document.add_paragraph("А) Ош")
        document.add_paragraph("Б) Бишкек")
        document.add_paragraph("Жооп: Б")

    (multiple, short, matching, lettered), problems = parse(docx_bytes(build))
    assert problems == []
    assert multiple.kind == Kind.MULTIPLE
    assert [(o.text, o.percent) for o in multiple.options] == [
        ({"ky": "2"}, 50.0),
        ({"ky": "3"}, 0.0),
        ({"ky": "4"}, 50.0),
    ]
    assert short.kind == Kind.SHORT
    assert [a.text for a in short.answers] == ["Бишкек", "Bishkek"]
    assert matching.kind == Kind.MATCHING
    assert [(p.prompt, p.answer) for p in matching.pairs] == [
        ({"ky": "мышык"}, {"ky": "кошка"}),
        ({"ky": "ит"}, {"ky": "собака"}),
    ]
    assert lettered.kind == Kind.SINGLE
    assert [o.percent for o in lettered.options] == [0.0, 100.0]


def test_it_reads_word_numbered_lists():
    def build(document):
        document.add_paragraph("Биринчи суроо?", style="List Number")
        document.add_paragraph("A) жок")
        document.add_paragraph("*B) ооба")

    (question,), problems = parse(docx_bytes(build))
    assert problems == []
    assert question.text == {"ky": "Биринчи суроо?"}


def test_it_reports_what_it_cannot_understand_and_keeps_the_good_questions():
    def build(document):
        document.add_paragraph("Тест: физика")  # 1
        document.add_paragraph("1. Жакшы суроо?")  # 2
        document.add_paragraph("A) жок")  # 3
        document.add_paragraph("*B) ооба")  # 4
        document.add_paragraph("2. Белгиси жок суроо")  # 5
        document.add_paragraph("A) бир")  # 6
        document.add_paragraph("B) эки")  # 7
        document.add_paragraph("3. Варианты жок")  # 8
        document.add_paragraph("")  # 9
        document.add_paragraph("4. Дагы жакшы?")  # 10
        document.add_paragraph("*A) ооба")  # 11
        document.add_paragraph("Түшүнүксүз сап")  # 12

    questions, problems = parse(docx_bytes(build))
    assert [q.text for q in questions] == [{"ky": "Жакшы суроо?"}, {"ky": "Дагы жакшы?"}]
    assert [(p.position, p.name, p.unit) for p in problems] == [
        (1, "Тест: физика", "paragraph"),
        (5, "Белгиси жок суроо", "paragraph"),
        (8, "Варианты жок", "paragraph"),
        (12, "Түшүнүксүз сап", "paragraph"),
    ]
    assert "before the first question" in problems[0].reason
    assert "No option is marked right" in problems[1].reason
    assert "no options" in problems[2].reason
    assert "follows the options" in problems[3].reason


def test_it_reports_a_file_that_is_not_docx():
    questions, problems = parse(b"not a zip")
    assert questions == [] and problems[0].position == 0


def test_write_and_read_back_keeps_choice_short_and_matching_questions():
    questions = [q for q in every_kind() if q.kind != Kind.TRUE_FALSE]
    (again_single, again_multiple, again_short, again_matching), problems = parse(
        write_docx(questions, language="ky")
    )
    assert problems == []
    single, multiple, short, matching = questions
    assert again_single.text == single.text
    assert [o.text for o in again_single.options] == [o.text for o in single.options]
    assert [o.correct for o in again_multiple.options] == [o.correct for o in multiple.options]
    assert [a.text for a in again_short.answers] == [a.text for a in short.answers]
    assert again_matching.pairs == matching.pairs


def test_write_and_read_back_keeps_tables_and_images():
    (question,), _problems = parse(docx_bytes(rich_question))
    (again,), problems = parse(write_docx([question], language="ky"))
    assert problems == []
    assert again == question


def test_write_keeps_images_of_options():
    question = with_image()
    (again,), problems = parse(write_docx([question], language="ky"))
    assert problems == []
    assert again.text == {"ky": '<p>Сүрөттө эмне бар?</p><p><img src="image1.png"></p>'}
    assert again.options[0].text == {"ky": '<img src="image2.png">'}
    assert [f.content for f in again.files] == [PNG, PNG + b"2"]


def test_it_reports_an_answer_line_naming_a_missing_letter():
    def build(document):
        document.add_paragraph("1. Суроо?")
        document.add_paragraph("A) бир")
        document.add_paragraph("B) эки")
        document.add_paragraph("Answer: D")

    questions, (problem,) = parse(docx_bytes(build))
    assert questions == []
    assert (problem.position, problem.name) == (1, "Суроо?")
    assert "option letters" in problem.reason
