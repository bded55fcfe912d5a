"""GIFT ↔ Moodle XML conversion for the kinds both support, and Kyrgyz text in every format."""

from hub.testing.formats.docx import parse_docx, write_docx
from hub.testing.formats.gift import parse_gift, write_gift
from hub.testing.formats.moodle_xml import parse_moodle_xml, write_moodle_xml

from .samples import every_kind, multilingual

GIFT = r"""$CATEGORY: $course$/top/Тарых

::Манас::[html]<p>«Манас» эпосу <i>канча</i> сап?</p> {
	=%100%500 миңден ашык#Туура
	~%10%100 миң
	~1000
	####Дүйнөдөгү эң узун эпостордун бири.
}

::Ала-Тоо::Ала-Тоо Кыргызстанда \{ың\}. {TRUE#Жок#Ооба}

::Шаар::Эң бийик шаар\: {=Нарын =%50%Naryn#жакын}

::Жуптар::Дал келтириңиз {=Ош -> түштүк =Чүй -> түндүк =Ысык-Көл -> чыгыш}

::Көп::Ырас? {~%50%ң ~%50%ө ~%-100%ү}
"""


def test_gift_to_moodle_xml_and_back_loses_nothing():
    from_gift = parse_gift(GIFT, language="ky")
    assert from_gift.problems == []
    assert len(from_gift.questions) == 5
    through_xml = parse_moodle_xml(
        write_moodle_xml(from_gift.questions, language="ky"), language="ky"
    )
    assert through_xml.problems == []
    assert through_xml.questions == from_gift.questions
    assert (
        parse_gift(write_gift(through_xml.questions, language="ky"), language="ky").questions
        == from_gift.questions
    )


def test_moodle_xml_to_gift_and_back_loses_nothing_for_the_shared_fields():
    questions = [*every_kind("ru"), multilingual()]
    from_xml = parse_moodle_xml(write_moodle_xml(questions, language="ru"), language="ru").questions
    through_gift = parse_gift(write_gift(from_xml, language="ru"), language="ru")
    assert through_gift.problems == []
    assert through_gift.questions == from_xml == questions


def test_kyrgyz_text_survives_every_format():
    kyrgyz = "Ыңгайлуу өлкө үчүн: ң Ң ө Ө ү Ү"
    questions = every_kind("ky")
    questions[0].text = {"ky": kyrgyz}
    questions[0].options[0].text = {"ky": kyrgyz}
    assert parse_gift(write_gift(questions, language="ky"), language="ky").questions[0].text == {
        "ky": kyrgyz
    }
    xml = write_moodle_xml(questions, language="ky")
    assert parse_moodle_xml(xml, language="ky").questions[0].options[0].text == {"ky": kyrgyz}
    word = parse_docx(write_docx(questions, language="ky"), language="ky").questions[0]
    assert word.text == {"ky": kyrgyz} and word.options[0].text == {"ky": kyrgyz}
