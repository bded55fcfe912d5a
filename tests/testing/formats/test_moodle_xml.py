"""Moodle XML import and export."""

import base64

from hub.testing.formats.moodle_xml import parse_moodle_xml, write_moodle_xml
from hub.testing.formats.questions import EmbeddedFile, Kind

from .samples import PNG, every_kind, multilingual, with_image


def parse(source: str | bytes, language: str = "ru"):
    result = parse_moodle_xml(source, language=language)
    return result.questions, result.problems


def quiz(*questions: str) -> str:
    return '<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n' + "\n".join(questions) + "\n</quiz>"


MULTICHOICE = """
<question type="category"><category><text>$course$/top/Физика/Оптика</text></category></question>
<question type="multichoice">
  <name><text>Линзы</text></name>
  <questiontext format="html"><text><![CDATA[<p>Какие линзы <b>собирающие</b>? <img src="@@PLUGINFILE@@/lens%201.png"></p>]]></text>
    <file name="lens 1.png" path="/" encoding="base64">{png}</file>
  </questiontext>
  <generalfeedback format="html"><text>Общий отзыв</text></generalfeedback>
  <defaultgrade>2.5</defaultgrade>
  <single>false</single>
  <answer fraction="50" format="html"><text>Двояковыпуклая</text><feedback format="html"><text>Да</text></feedback></answer>
  <answer fraction="50" format="html"><text>Плосковыпуклая</text></answer>
  <answer fraction="-100" format="html"><text>Двояковогнутая</text></answer>
</question>
""".replace("{png}", base64.b64encode(PNG).decode())


def test_it_reads_multiple_choice_with_fractions_images_and_category():
    (question,), problems = parse(quiz(MULTICHOICE))
    assert problems == []
    assert question.kind == Kind.MULTIPLE
    assert question.name == "Линзы"
    assert question.text == {"ru": '<p>Какие линзы <b>собирающие</b>? <img src="lens 1.png"></p>'}
    assert question.files == [EmbeddedFile("lens 1.png", PNG, "image/png")]
    assert [o.percent for o in question.options] == [50.0, 50.0, -100.0]
    assert question.options[0].feedback == {"ru": "Да"}
    assert question.general_feedback == {"ru": "Общий отзыв"}
    assert question.default_mark == 2.5
    assert question.category == ("Физика", "Оптика")


def test_it_reads_single_choice_true_false_short_answer_and_matching():
    source = quiz(
        """<question type="multichoice"><name><text>S</text></name>
        <questiontext format="plain_text"><text>a &lt; b?</text></questiontext><single>true</single>
        <answer fraction="100"><text>yes</text></answer><answer fraction="0"><text>no</text></answer></question>""",
        """<question type="truefalse"><name><text>TF</text></name>
        <questiontext format="html"><text>Жер тегерек.</text></questiontext>
        <answer fraction="0"><text>true</text><feedback><text>Жок</text></feedback></answer>
        <answer fraction="100"><text>false</text><feedback><text>Туура</text></feedback></answer></question>""",
        """<question type="shortanswer"><name><text>SA</text></name>
        <questiontext format="html"><text>Capital?</text></questiontext><usecase>1</usecase>
        <answer fraction="100"><text>Bishkek</text></answer><answer fraction="50"><text>Frunze</text></answer>
        </question>""",
        """<question type="matching"><name><text>M</text></name>
        <questiontext format="html"><text>Match</text></questiontext>
        <subquestion format="html"><text>ит</text><answer><text>собака</text></answer></subquestion>
        <subquestion format="html"><text>мышык</text><answer><text>кошка</text></answer></subquestion>
        <subquestion format="html"><text></text><answer><text>лишнее</text></answer></subquestion>
        </question>""",
    )
    (single, true_false, short, matching), problems = parse(source, "ky")
    assert problems == []
    assert single.kind == Kind.SINGLE and single.text == {"ky": "a &lt; b?"}
    assert [o.percent for o in single.options] == [100.0, 0.0]
    assert (true_false.kind, true_false.truth) == (Kind.TRUE_FALSE, False)
    assert true_false.feedback_true == {"ky": "Жок"} and true_false.feedback_false == {
        "ky": "Туура"
    }
    assert short.kind == Kind.SHORT and short.case_sensitive is True
    assert [(a.text, a.percent) for a in short.answers] == [("Bishkek", 100.0), ("Frunze", 50.0)]
    assert matching.kind == Kind.MATCHING
    assert [(p.prompt, p.answer) for p in matching.pairs] == [
        ({"ky": "ит"}, {"ky": "собака"}),
        ({"ky": "мышык"}, {"ky": "кошка"}),
        ({}, {"ky": "лишнее"}),
    ]


def test_it_reports_unknown_types_and_broken_questions_and_keeps_the_good_ones():
    source = quiz(
        """<question type="essay"><name><text>Эссе</text></name>
        <questiontext><text>Write</text></questiontext></question>""",
        """<question type="multichoice"><name><text>good</text></name>
        <questiontext><text>Q</text></questiontext><answer fraction="100"><text>a</text></answer></question>""",
        """<question type="multichoice"><name><text>no right</text></name>
        <questiontext><text>Q</text></questiontext><answer fraction="0"><text>a</text></answer></question>""",
        """<question type="shortanswer"><name><text>bad grade</text></name><defaultgrade>x</defaultgrade>
        <questiontext><text>Q</text></questiontext><answer fraction="100"><text>a</text></answer></question>""",
    )
    questions, problems = parse(source)
    assert [q.name for q in questions] == ["good"]
    assert [(p.position, p.name, p.unit) for p in problems] == [
        (1, "Эссе", "question"),
        (3, "no right", "question"),
        (4, "bad grade", "question"),
    ]
    assert "essay" in problems[0].reason
    assert "“x” is not a number" in problems[2].reason


def test_it_reports_a_file_that_is_not_xml():
    questions, problems = parse("<quiz><question>")
    assert questions == []
    assert len(problems) == 1 and "not valid XML" in problems[0].reason


def test_it_refuses_entities():
    source = '<?xml version="1.0"?><!DOCTYPE q [<!ENTITY x "boom">]><quiz>&x;</quiz>'
    questions, problems = parse(source)
    assert questions == [] and "entities" in problems[0].reason


def test_every_kind_round_trips():
    questions = every_kind("ru")
    questions[0].default_mark = 2.5
    questions[4].case_sensitive = True
    again, problems = parse(write_moodle_xml(questions, language="ru"))
    assert problems == []
    assert again == questions


def test_a_read_file_round_trips():
    first, _problems = parse(quiz(MULTICHOICE))
    second, _problems = parse(write_moodle_xml(first, language="ru"))
    assert second == first


def test_images_round_trip_as_base64_plugin_files():
    question = with_image()
    data = write_moodle_xml([question], language="ky")
    text = data.decode()
    assert 'src="@@PLUGINFILE@@/cat%20picture.png"' in text
    assert base64.b64encode(PNG).decode() in text
    # Each file goes with the text that shows it; one no text shows stays with the question.
    answer = text[text.index("<answer") :]
    assert '<file name="option.png"' in answer and '<file name="cat picture.png"' not in answer
    assert '<file name="unused.png"' in text[: text.index("</questiontext>")]
    (again,), problems = parse(data, "ky")
    assert problems == []
    assert again == question


def test_several_languages_round_trip_as_multilang_spans():
    question = multilingual()
    data = write_moodle_xml([question], language="ru")
    assert '<span lang="ky" class="multilang">Суроо ңөү</span>' in data.decode()
    (again,), _problems = parse(data)
    assert again == question


def test_cdata_end_inside_text_survives():
    questions = every_kind("en")[:1]
    questions[0].text = {"en": "a ]]&gt; b"}
    again, _problems = parse(write_moodle_xml(questions, language="en"), "en")
    assert again == questions
