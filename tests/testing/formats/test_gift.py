"""GIFT import and export."""

from hub.testing.formats.gift import escape, parse_gift, write_gift
from hub.testing.formats.questions import Kind

from .samples import every_kind, multilingual


def parse(source: str, language: str = "ky"):
    result = parse_gift(source, language=language)
    return result.questions, result.problems


def test_it_reads_single_choice_with_feedback_and_category():
    (question,), problems = parse(
        "// a comment line\n"
        "$CATEGORY: $course$/top/География/Кыргызстан\n\n"
        "::Борбор::Кыргызстандын борбору кайсы? {\n  =Бишкек#Туура!\n  ~Ош\n  ####Жалпы пикир\n}\n"
    )
    assert problems == []
    assert question.kind == Kind.SINGLE
    assert question.name == "Борбор"
    assert question.text == {"ky": "Кыргызстандын борбору кайсы?"}
    assert [(o.text, o.percent, o.feedback) for o in question.options] == [
        ({"ky": "Бишкек"}, 100.0, {"ky": "Туура!"}),
        ({"ky": "Ош"}, 0.0, {}),
    ]
    assert question.general_feedback == {"ky": "Жалпы пикир"}
    assert question.category == ("География", "Кыргызстан")


def test_it_reads_partial_credit_as_multiple_choice():
    (question,), _problems = parse("Which are even? {~%50%2 ~%50%4 ~%-100%5}")
    assert question.kind == Kind.MULTIPLE
    assert [o.percent for o in question.options] == [50.0, 50.0, -100.0]
    assert question.name == "Which are even?"


def test_it_reads_partial_credit_on_a_wrong_option_of_single_choice():
    (question,), _problems = parse("Q {=right ~%33.33333%almost ~wrong}")
    assert question.kind == Kind.SINGLE
    assert [o.percent for o in question.options] == [100.0, 33.33333, 0.0]


def test_it_reads_true_false_and_its_feedback():
    questions, _problems = parse("A {T}\n\nB {FALSE#wrong fb#right fb}\n\nC {TRUE#no#yes}")
    assert [(q.kind, q.truth) for q in questions] == [
        (Kind.TRUE_FALSE, True),
        (Kind.TRUE_FALSE, False),
        (Kind.TRUE_FALSE, True),
    ]
    assert questions[1].feedback_true == {"ky": "wrong fb"}
    assert questions[1].feedback_false == {"ky": "right fb"}
    assert questions[2].feedback_true == {"ky": "yes"}
    assert questions[2].feedback_false == {"ky": "no"}


def test_it_reads_short_answers():
    (question,), _problems = parse("Столица? {=Бишкек =%50%Фрунзе#старое}")
    assert question.kind == Kind.SHORT
    assert [(a.text, a.percent, a.feedback) for a in question.answers] == [
        ("Бишкек", 100.0, {}),
        ("Фрунзе", 50.0, {"ky": "старое"}),
    ]
    assert question.case_sensitive is False


def test_it_reads_matching():
    (question,), _problems = parse("Match {=мышык -> кошка =ит -> собака =үй -> дом}")
    assert question.kind == Kind.MATCHING
    assert [(p.prompt, p.answer) for p in question.pairs] == [
        ({"ky": "мышык"}, {"ky": "кошка"}),
        ({"ky": "ит"}, {"ky": "собака"}),
        ({"ky": "үй"}, {"ky": "дом"}),
    ]


def test_it_reads_escapes():
    (question,), problems = parse(r"::a\:b::Is 1 \= 1 \~ \{x\} \# y\\z? {=yes \= ok ~no}")
    assert problems == []
    assert question.name == "a:b"
    assert question.text == {"ky": "Is 1 = 1 ~ {x} # y\\z?"}
    assert question.options[0].text == {"ky": "yes = ok"}


def test_it_reads_text_formats():
    questions, _problems = parse(
        "[html]<p>A <b>bold</b> <script>x</script></p> {=a ~b}\n\n"
        "[moodle]a < b\\nc {=a ~b}\n\n"
        "[markdown]**not** converted {=a ~b}"
    )
    assert questions[0].text == {"ky": "<p>A <b>bold</b> </p>"}
    assert questions[1].text == {"ky": "a &lt; b<br>c"}
    assert questions[2].text == {"ky": "**not** converted"}


def test_it_reports_a_broken_question_and_keeps_the_good_ones():
    source = (
        "::good1::First {=a ~b}\n"
        "\n"
        "// a comment\n"
        "::broken::Second {=a ~b\n"
        "\n"
        "::noanswer::Third {~a ~b}\n"
        "\n"
        "::numeric::Fourth {#2:0.1}\n"
        "\n"
        "::good2::Fifth {T}\n"
    )
    questions, problems = parse(source)
    assert [q.name for q in questions] == ["good1", "good2"]
    assert [(p.position, p.name, p.unit) for p in problems] == [
        (4, "broken", "line"),
        (6, "noanswer", "line"),
        (8, "numeric", "line"),
    ]
    assert "not closed" in problems[0].reason
    assert "right" in problems[1].reason
    assert "Numerical" in problems[2].reason


def test_it_writes_escapes_so_they_read_back():
    assert escape("a=b~c#d{e}f:g\\h\ni") == "a\\=b\\~c\\#d\\{e\\}f\\:g\\\\h\\ni"


def test_it_writes_categories_once_per_change():
    text = write_gift(every_kind(), language="ky")
    assert text.count("$CATEGORY:") == 3
    assert "$CATEGORY: $course$/top/География/Кыргызстан" in text
    assert "::Борбор::[html]Кыргызстандын борбору <b>кайсы</b>? ң ө ү {" in text


def test_every_kind_round_trips():
    questions = every_kind()
    text = write_gift(questions, language="ky")
    again, problems = parse(text)
    assert problems == []
    assert again == questions
    assert write_gift(again, language="ky") == text


def test_several_languages_round_trip_as_multilang_spans():
    question = multilingual()
    text = write_gift([question], language="ky")
    # "=" is escaped inside the HTML too, as GIFT requires.
    assert '<span lang\\="ky" class\\="multilang">Суроо ңөү</span>' in text
    (again,), _problems = parse(text)
    assert again == question


def test_a_file_read_twice_is_stable():
    source = "::q::Plain & <simple> {=a & b ~c}\n\nUnnamed [x] {~%50%a ~%50%b}\n"
    first, _problems = parse(source)
    assert [q.text for q in first] == [{"ky": "Plain &amp; &lt;simple&gt;"}, {"ky": "Unnamed [x]"}]
    second, _problems = parse(write_gift(first, language="ky"))
    assert second == first


def test_a_text_in_another_language_keeps_its_language():
    first, _problems = parse("Суроо {=a ~b}", language="ky")
    second, _problems = parse(write_gift(first, language="ru"), language="ru")
    assert second == first
