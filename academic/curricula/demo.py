"""The demo university's curricula: one step of seed_demo, run after the structure step.

Disciplines and cycles, the plan norms, an approved credit-system base plan
(8 semesters × 30 credits = 240) for every demo specialty, study form and the
four intake years now studying, and the working plans of the current academic
year derived from them. Everything is looked up first (disciplines by code,
plans by specialty, intake and form, working plans by plan, year and
semester), so a second run creates nothing. Rows go in with bulk_create.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from academic.curricula.actions import working_lines_from_base
from academic.curricula.calc import semester_of
from academic.curricula.models import (
    ChoiceRule,
    Component,
    ControlForm,
    Curriculum,
    CurriculumLine,
    CurriculumSettings,
    Cycle,
    Discipline,
    ElectiveBlock,
    LineSemester,
    PlanStatus,
    StudySystem,
    WorkingPlan,
    WorkingPlanLine,
)
from academic.structure.models import AcademicYear, Department, Faculty, Institution, Specialty
from hub.demo.structure import COURSES, FACULTIES

EX, CR, DCR = ControlForm.EXAM, ControlForm.CREDIT, ControlForm.DIFFERENTIATED_CREDIT
GEN, BAS, PRO = "GEN", "BAS", "PRO"
IT_TRACK, ECONOMICS_TRACK = 1, 2  # the faculty ids whose specialties follow each track

CYCLES = [
    (GEN, 1, "Жалпы билим берүү цикли", "Общеобразовательный цикл", "General education"),
    (BAS, 2, "Базалык цикл", "Базовый цикл", "Basic cycle"),
    (PRO, 3, "Кесиптик цикл", "Профессиональный цикл", "Professional cycle"),
]

# The department of the disciplines every specialty has; the structure step has none.
GENERAL_DEPARTMENT = (
    "GEN",
    "Жалпы илимдер кафедрасы",
    "Кафедра общенаучных дисциплин",
    "Department of General Studies",
)


@dataclass(frozen=True)
class DemoLine:
    """A discipline and its semesters: {semester: (credits, control form, coursework)}."""

    code: str
    ky: str
    ru: str
    en: str
    department: str
    cycle: str
    semesters: dict[int, tuple[int, str, bool]]
    block: str = ""  # an elective block's key
    lab: bool = False  # lab classes instead of part of the practice
    kind: str = "course"  # course, sport or practice: how its hours split by type


def _d(code, ky, ru, en, department, cycle, semesters, **extra) -> DemoLine:
    return DemoLine(code, ky, ru, en, department, cycle, semesters, **extra)


GENERAL = [
    _d(
        "KYR",
        "Кыргыз тили",
        "Кыргызский язык",
        "Kyrgyz Language",
        "GEN",
        GEN,
        {1: (4, EX, False), 2: (4, EX, False)},
    ),
    _d(
        "RUS",
        "Орус тили",
        "Русский язык",
        "Russian Language",
        "GEN",
        GEN,
        {1: (3, CR, False), 2: (3, EX, False)},
    ),
    _d(
        "ENG",
        "Англис тили",
        "Английский язык",
        "English Language",
        "GEN",
        GEN,
        {1: (4, EX, False), 2: (4, EX, False), 3: (3, EX, False)},
    ),
    _d(
        "HIST",
        "Кыргызстандын тарыхы",
        "История Кыргызстана",
        "History of Kyrgyzstan",
        "GEN",
        GEN,
        {1: (4, EX, False)},
    ),
    _d(
        "PE",
        "Дене тарбия",
        "Физическая культура",
        "Physical Education",
        "GEN",
        GEN,
        {1: (2, CR, False), 2: (2, CR, False), 3: (2, CR, False), 4: (2, CR, False)},
        kind="sport",
    ),
    _d(
        "INTRO",
        "Информатикага киришүү",
        "Введение в информатику",
        "Introduction to Computing",
        "GEN",
        GEN,
        {1: (2, CR, False)},
    ),
    _d("MANAS", "Манас таануу", "Манасоведение", "Manas Studies", "GEN", GEN, {2: (3, DCR, False)}),
    _d("PHIL", "Философия", "Философия", "Philosophy", "GEN", GEN, {3: (4, EX, False)}),
    _d(
        "GEO",
        "Кыргызстандын географиясы",
        "География Кыргызстана",
        "Geography of Kyrgyzstan",
        "GEN",
        GEN,
        {3: (2, CR, False)},
    ),
    _d(
        "ECOL",
        "Экология жана туруктуу өнүгүү",
        "Экология и устойчивое развитие",
        "Ecology and Sustainable Development",
        "GEN",
        GEN,
        {5: (3, DCR, False)},
    ),
    _d(
        "LAW",
        "Укук негиздери",
        "Основы права",
        "Foundations of Law",
        "GEN",
        GEN,
        {7: (3, DCR, False)},
    ),
    _d(
        "PRAC1",
        "Окуу практикасы",
        "Учебная практика",
        "Training Practice",
        "GEN",
        PRO,
        {5: (3, DCR, False)},
        kind="practice",
    ),
    _d(
        "PRAC2",
        "Өндүрүштүк практика",
        "Производственная практика",
        "Work Placement",
        "GEN",
        PRO,
        {6: (6, DCR, False)},
        kind="practice",
    ),
    _d(
        "PRAC3",
        "Өндүрүштүк практика 2",
        "Производственная практика 2",
        "Work Placement 2",
        "GEN",
        PRO,
        {7: (5, DCR, False)},
        kind="practice",
    ),
    _d(
        "PREDIP",
        "Дипломдук практика",
        "Преддипломная практика",
        "Pre-graduation Practice",
        "GEN",
        PRO,
        {8: (12, DCR, False)},
        kind="practice",
    ),
    _d(
        "STATE",
        "Мамлекеттик аттестация",
        "Государственная аттестация",
        "Final State Attestation",
        "GEN",
        PRO,
        {8: (6, EX, False)},
        kind="practice",
    ),
    _d(
        "THESIS",
        "Бүтүрүү квалификациялык иши",
        "Выпускная квалификационная работа",
        "Graduation Thesis",
        "GEN",
        PRO,
        {8: (12, DCR, False)},
        kind="practice",
    ),
]

IT = [
    _d(
        "MATAN",
        "Математикалык анализ",
        "Математический анализ",
        "Calculus",
        "IVT",
        BAS,
        {1: (6, EX, False), 2: (5, EX, False)},
    ),
    _d(
        "PROG",
        "Программалоо негиздери",
        "Основы программирования",
        "Programming Basics",
        "PI",
        BAS,
        {1: (5, EX, False), 2: (5, EX, True)},
        lab=True,
    ),
    _d(
        "ALG",
        "Сызыктуу алгебра",
        "Линейная алгебра",
        "Linear Algebra",
        "IVT",
        BAS,
        {2: (4, EX, False)},
    ),
    _d("PHYS", "Физика", "Физика", "Physics", "IVT", BAS, {3: (5, EX, False)}, lab=True),
    _d(
        "DM",
        "Дискреттик математика",
        "Дискретная математика",
        "Discrete Mathematics",
        "IVT",
        BAS,
        {3: (5, EX, False)},
    ),
    _d(
        "OOP",
        "Объектке багытталган программалоо",
        "Объектно-ориентированное программирование",
        "Object-Oriented Programming",
        "PI",
        PRO,
        {3: (6, EX, True)},
        lab=True,
    ),
    _d(
        "DB",
        "Маалымат базалары",
        "Базы данных",
        "Databases",
        "PI",
        PRO,
        {4: (6, EX, True)},
        lab=True,
    ),
    _d(
        "ADS",
        "Алгоритмдер жана маалымат түзүлүштөрү",
        "Алгоритмы и структуры данных",
        "Algorithms and Data Structures",
        "PI",
        PRO,
        {4: (6, EX, False)},
        lab=True,
    ),
    _d(
        "PROB",
        "Ыктымалдуулук теориясы жана статистика",
        "Теория вероятностей и статистика",
        "Probability and Statistics",
        "IVT",
        BAS,
        {4: (5, EX, False)},
    ),
    _d(
        "OS",
        "Операциялык системалар",
        "Операционные системы",
        "Operating Systems",
        "IVT",
        PRO,
        {4: (5, EX, False)},
        lab=True,
    ),
    _d(
        "ECTH",
        "Экономикалык теория",
        "Экономическая теория",
        "Economic Theory",
        "EK",
        GEN,
        {4: (3, DCR, False)},
    ),
    _d(
        "NET",
        "Компьютердик тармактар",
        "Компьютерные сети",
        "Computer Networks",
        "IVT",
        PRO,
        {5: (6, EX, False)},
        lab=True,
    ),
    _d(
        "WEB",
        "Веб-программалоо",
        "Веб-программирование",
        "Web Programming",
        "PI",
        PRO,
        {5: (6, EX, True)},
        lab=True,
    ),
    _d(
        "SE",
        "Программалык инженерия",
        "Программная инженерия",
        "Software Engineering",
        "PI",
        PRO,
        {5: (6, EX, False)},
    ),
    _d(
        "AI",
        "Жасалма интеллект негиздери",
        "Основы искусственного интеллекта",
        "Foundations of Artificial Intelligence",
        "PI",
        PRO,
        {6: (6, EX, False)},
        lab=True,
    ),
    _d(
        "SEC",
        "Маалыматтык коопсуздук негиздери",
        "Основы информационной безопасности",
        "Information Security Basics",
        "IB",
        PRO,
        {6: (5, EX, False)},
        lab=True,
    ),
    _d(
        "MOB",
        "Мобилдик тиркемелерди иштеп чыгуу",
        "Разработка мобильных приложений",
        "Mobile App Development",
        "PI",
        PRO,
        {6: (6, EX, True)},
        lab=True,
    ),
    _d(
        "PM",
        "Долбоорлорду башкаруу",
        "Управление проектами",
        "Project Management",
        "MN",
        PRO,
        {6: (4, EX, False)},
    ),
    _d(
        "CLOUD",
        "Булуттук технологиялар",
        "Облачные технологии",
        "Cloud Computing",
        "IVT",
        PRO,
        {7: (6, EX, False)},
        lab=True,
    ),
    _d(
        "TEST",
        "Программалык камсыздоону тестирлөө",
        "Тестирование программного обеспечения",
        "Software Testing",
        "PI",
        PRO,
        {7: (5, EX, False)},
        lab=True,
    ),
    _d(
        "UX",
        "Колдонуучу интерфейстерин долбоорлоо",
        "Проектирование интерфейсов",
        "User Interface Design",
        "PI",
        PRO,
        {7: (5, EX, False)},
    ),
]

ECONOMICS = [
    _d(
        "MATEC",
        "Экономисттер үчүн математика",
        "Математика для экономистов",
        "Mathematics for Economists",
        "EK",
        BAS,
        {1: (6, EX, False), 2: (5, EX, False)},
    ),
    _d(
        "ECIN",
        "Экономикалык теорияга киришүү",
        "Введение в экономическую теорию",
        "Introduction to Economics",
        "EK",
        BAS,
        {1: (5, EX, False), 2: (5, EX, True)},
    ),
    _d("STAT", "Статистика", "Статистика", "Statistics", "EK", BAS, {2: (4, EX, False)}),
    _d(
        "MICRO",
        "Микроэкономика",
        "Микроэкономика",
        "Microeconomics",
        "EK",
        BAS,
        {3: (5, EX, False)},
    ),
    _d(
        "MACRO",
        "Макроэкономика",
        "Макроэкономика",
        "Macroeconomics",
        "EK",
        BAS,
        {3: (5, EX, False)},
    ),
    _d(
        "ACC",
        "Бухгалтердик эсептин негиздери",
        "Основы бухгалтерского учёта",
        "Principles of Accounting",
        "EK",
        PRO,
        {3: (6, EX, True)},
    ),
    _d(
        "FIN",
        "Финансы жана кредит",
        "Финансы и кредит",
        "Finance and Credit",
        "EK",
        PRO,
        {4: (6, EX, True)},
    ),
    _d(
        "MGMT",
        "Менеджмент негиздери",
        "Основы менеджмента",
        "Principles of Management",
        "MN",
        PRO,
        {4: (6, EX, False)},
    ),
    _d("ECMT", "Эконометрика", "Эконометрика", "Econometrics", "EK", BAS, {4: (5, EX, False)}),
    _d("MKT", "Маркетинг", "Маркетинг", "Marketing", "MN", PRO, {4: (5, EX, False)}),
    _d(
        "ITEC",
        "Экономикадагы маалыматтык технологиялар",
        "Информационные технологии в экономике",
        "IT in Economics",
        "PI",
        GEN,
        {4: (3, DCR, False)},
        lab=True,
    ),
    _d(
        "TAX",
        "Салык жана салык салуу",
        "Налоги и налогообложение",
        "Taxes and Taxation",
        "EK",
        PRO,
        {5: (6, EX, False)},
    ),
    _d("AUD", "Аудит", "Аудит", "Audit", "EK", PRO, {5: (6, EX, True)}),
    _d("BANK", "Банк иши", "Банковское дело", "Banking", "EK", PRO, {5: (6, EX, False)}),
    _d(
        "WEC",
        "Дүйнөлүк экономика",
        "Мировая экономика",
        "World Economy",
        "EK",
        PRO,
        {6: (6, EX, False)},
    ),
    _d(
        "HRM",
        "Персоналды башкаруу",
        "Управление персоналом",
        "Human Resource Management",
        "MN",
        PRO,
        {6: (5, EX, False)},
    ),
    _d(
        "FINAN",
        "Финансылык талдоо",
        "Финансовый анализ",
        "Financial Analysis",
        "EK",
        PRO,
        {6: (6, EX, True)},
    ),
    _d(
        "PMEC",
        "Долбоорлорду башкаруу",
        "Управление проектами",
        "Project Management",
        "MN",
        PRO,
        {6: (4, EX, False)},
    ),
    _d("INV", "Инвестициялар", "Инвестиции", "Investments", "EK", PRO, {7: (6, EX, False)}),
    _d(
        "RISK",
        "Тобокелдиктерди башкаруу",
        "Управление рисками",
        "Risk Management",
        "MN",
        PRO,
        {7: (5, EX, False)},
    ),
    _d(
        "STRAT",
        "Стратегиялык менеджмент",
        "Стратегический менеджмент",
        "Strategic Management",
        "MN",
        PRO,
        {7: (5, EX, False)},
    ),
]

# The elective blocks of every plan: (key, ky, ru, en, number to choose), exactly that many.
BLOCKS = [
    ("E3", "Тандоо боюнча сабактар 1", "Дисциплины по выбору 1", "Electives 1", 1),
    ("E4", "Тандоо боюнча сабактар 2", "Дисциплины по выбору 2", "Electives 2", 1),
    ("E5", "Тандоо боюнча сабактар 3", "Дисциплины по выбору 3", "Electives 3", 2),
    ("E6", "Тандоо боюнча сабактар 4", "Дисциплины по выбору 4", "Electives 4", 1),
    ("E7", "Тандоо боюнча сабактар 5", "Дисциплины по выбору 5", "Electives 5", 2),
]
ELECTIVE_SEMESTERS = {"E3": 3, "E4": 4, "E5": 5, "E6": 6, "E7": 7}

IT_ELECTIVES = {
    "E3": [
        ("PY", "Python тилинде программалоо", "Программирование на Python", "Python Programming"),
        ("LNX", "Linux системасы", "Система Linux", "Linux Systems"),
    ],
    "E4": [
        ("GIT", "Версияларды башкаруу", "Системы контроля версий", "Version Control"),
        ("GFX", "Компьютердик графика", "Компьютерная графика", "Computer Graphics"),
    ],
    "E5": [
        ("JS", "JavaScript жана фронтенд", "JavaScript и фронтенд", "JavaScript and Front End"),
        ("DS", "Маалыматтарды талдоо", "Анализ данных", "Data Analysis"),
        ("IOT", "Буюмдар интернети", "Интернет вещей", "Internet of Things"),
    ],
    "E6": [
        ("GAME", "Оюндарды иштеп чыгуу", "Разработка игр", "Game Development"),
        ("CRYP", "Криптография", "Криптография", "Cryptography"),
    ],
    "E7": [
        ("ML", "Машиналык окутуу", "Машинное обучение", "Machine Learning"),
        ("DEVOP", "DevOps практикалары", "Практики DevOps", "DevOps Practices"),
        ("BLOCK", "Блокчейн технологиялары", "Технологии блокчейн", "Blockchain"),
    ],
}
ECONOMICS_ELECTIVES = {
    "E3": [
        ("BETH", "Бизнес этикасы", "Деловая этика", "Business Ethics"),
        (
            "ECHI",
            "Экономикалык ой-пикирдин тарыхы",
            "История экономической мысли",
            "History of Economic Thought",
        ),
    ],
    "E4": [
        ("INSUR", "Камсыздандыруу", "Страхование", "Insurance"),
        ("LOG", "Логистика", "Логистика", "Logistics"),
    ],
    "E5": [
        ("ECOM", "Электрондук коммерция", "Электронная коммерция", "E-commerce"),
        ("ENTR", "Ишкердик", "Предпринимательство", "Entrepreneurship"),
        ("REST", "Кыймылсыз мүлк экономикасы", "Экономика недвижимости", "Real Estate Economics"),
    ],
    "E6": [
        ("ISLF", "Ислам финансысы", "Исламские финансы", "Islamic Finance"),
        ("AGRO", "Агрардык экономика", "Аграрная экономика", "Agricultural Economics"),
    ],
    "E7": [
        ("TOUR", "Туризм экономикасы", "Экономика туризма", "Tourism Economics"),
        ("CRM", "Кардарлар менен иштөө", "Работа с клиентами", "Customer Relations"),
        ("PUBF", "Мамлекеттик финансы", "Государственные финансы", "Public Finance"),
    ],
}


def _electives(track: dict, department: str) -> list[DemoLine]:
    lines = []
    for key, alternatives in track.items():
        semester = ELECTIVE_SEMESTERS[key]
        for code, ky, ru, en in alternatives:
            lines.append(
                _d(code, ky, ru, en, department, PRO, {semester: (3, DCR, False)}, block=key)
            )
    return lines


TRACKS = {
    IT_TRACK: GENERAL + IT + _electives(IT_ELECTIVES, "PI"),
    ECONOMICS_TRACK: GENERAL + ECONOMICS + _electives(ECONOMICS_ELECTIVES, "EK"),
}


def hours_by_type(line: DemoLine, credits: int, hours_per_credit: int) -> dict[str, int]:
    """A realistic split of a line's hours: about 40 % in class, the rest independent work."""
    total = credits * hours_per_credit
    if line.kind == "practice":
        split = {"lecture_hours": 0, "practice_hours": 0, "lab_hours": 0}
    elif line.kind == "sport":
        split = {"lecture_hours": 0, "practice_hours": total // 2, "lab_hours": 0}
    elif line.lab:
        split = {
            "lecture_hours": credits * 4,
            "practice_hours": credits * 4,
            "lab_hours": credits * 4,
        }
    else:
        split = {"lecture_hours": credits * 6, "practice_hours": credits * 6, "lab_hours": 0}
    return {**split, "independent_hours": total - sum(split.values())}


def _year_start() -> int:
    today = timezone.localdate()
    return today.year if today.month >= 9 else today.year - 1


def _reference() -> tuple[dict[str, Cycle], dict[str, Discipline], int]:
    """Cycles, disciplines (and the general department) and the norms, where missing."""
    institution = Institution.objects.order_by("pk").first()
    norms = CurriculumSettings.objects.order_by("pk").first()
    if norms is None:
        norms = CurriculumSettings.objects.create(institution=institution)
    code, ky, ru, en = GENERAL_DEPARTMENT
    if not Department.objects.filter(code=code).exists():
        faculty = Faculty.objects.order_by("pk").first()
        Department.objects.create(code=code, name_ky=ky, name_ru=ru, name_en=en, faculty=faculty)
    existing = set(Cycle.objects.values_list("code", flat=True))
    Cycle.objects.bulk_create(
        Cycle(code=c, order=o, name_ky=ky, name_ru=ru, name_en=en)
        for c, o, ky, ru, en in CYCLES
        if c not in existing
    )
    departments = dict(Department.objects.values_list("code", "pk"))
    existing = set(Discipline.objects.values_list("code", flat=True))
    new = {}
    for line in (line for track in TRACKS.values() for line in track):
        if line.code not in existing and line.code not in new:
            new[line.code] = Discipline(
                code=line.code,
                name_ky=line.ky,
                name_ru=line.ru,
                name_en=line.en,
                department_id=departments[line.department],
            )
    Discipline.objects.bulk_create(new.values())
    cycles = {c.code: c for c in Cycle.objects.all()}
    disciplines = {d.code: d for d in Discipline.objects.all()}
    return cycles, disciplines, norms.hours_per_credit


def _plans_wanted(start: int) -> list[tuple[Specialty, int, str, int]]:
    """(specialty, intake year, study form, track) of every plan the demo needs."""
    specialties = {s.code: s for s in Specialty.objects.all()}
    wanted = []
    for faculty_id, *_names, departments in FACULTIES:
        for *_department, specialty_rows in departments:
            for code, _abbr, _ky, _ru, _en, forms in specialty_rows:
                for form in forms:
                    for course in range(1, COURSES + 1):
                        wanted.append((specialties[code], start - course + 1, form, faculty_id))
    return wanted


def _fill(
    plans: list[tuple[Curriculum, int]],
    cycles: dict[str, Cycle],
    disciplines: dict[str, Discipline],
    hours_per_credit: int,
) -> None:
    """Blocks, lines and semesters of newly made plans, three bulk inserts in all."""
    blocks, lines, parts = [], [], []
    for curriculum, track in plans:
        own_blocks = {
            key: ElectiveBlock(
                curriculum=curriculum,
                name_ky=ky,
                name_ru=ru,
                name_en=en,
                choose=choose,
                rule=ChoiceRule.EXACTLY,
            )
            for key, ky, ru, en, choose in BLOCKS
        }
        blocks += own_blocks.values()
        for demo in TRACKS[track]:
            credits = sum(c for c, _form, _cw in demo.semesters.values())
            discipline = disciplines[demo.code]
            line = CurriculumLine(
                curriculum=curriculum,
                discipline=discipline,
                cycle=cycles[demo.cycle],
                component=Component.ELECTIVE if demo.block else Component.MANDATORY,
                elective_block=own_blocks.get(demo.block),
                department_id=discipline.department_id,
                credits=credits,
                total_hours=credits * hours_per_credit,
                checks=0 if demo.kind == "practice" else 2,
                weeks=4 if demo.kind == "practice" else 15,
                **hours_by_type(demo, credits, hours_per_credit),
            )
            lines.append(line)
            for semester, (amount, form, coursework) in demo.semesters.items():
                parts.append(
                    LineSemester(
                        line=line,
                        semester=semester,
                        credits=amount,
                        hours=amount * hours_per_credit,
                        control_form=form,
                        has_coursework=coursework,
                    )
                )
    # bulk_create takes each saved parent's new id into the children that point at it.
    ElectiveBlock.objects.bulk_create(blocks, batch_size=1000)
    CurriculumLine.objects.bulk_create(lines, batch_size=1000)
    LineSemester.objects.bulk_create(parts, batch_size=1000)


def _working_plans(start: int) -> int:
    """The current year's working plans of every demo plan now studying; returns how many."""
    year = AcademicYear.objects.filter(is_current=True).first()
    if year is None:
        return 0
    existing = set(
        WorkingPlan.objects.filter(academic_year=year).values_list("curriculum_id", "semester")
    )
    plans = []
    for curriculum in Curriculum.objects.filter(status=PlanStatus.APPROVED).select_related(
        "specialty"
    ):
        for term in (1, 2):
            semester = semester_of(
                intake_year=curriculum.intake_year,
                year_start=year.starts_on.year,
                term_number=term,
            )
            if 1 <= semester <= curriculum.semesters and (curriculum.pk, semester) not in existing:
                plans.append(
                    WorkingPlan(curriculum=curriculum, academic_year=year, semester=semester)
                )
    WorkingPlan.objects.bulk_create(plans, batch_size=1000)
    lines: list[WorkingPlanLine] = []
    for plan in plans:
        lines += working_lines_from_base(plan)
    WorkingPlanLine.objects.bulk_create(lines, batch_size=1000)
    return len(plans)


@transaction.atomic
def curricula_seed() -> dict[str, int]:
    """Create whatever of the demo curricula is missing (see the module docstring).

    Returns how many plans and working plans were made.
    """
    start = _year_start()
    cycles, disciplines, hours_per_credit = _reference()
    existing = set(Curriculum.objects.values_list("specialty_id", "intake_year", "study_form"))
    now = timezone.now()
    new = [
        (
            Curriculum(
                specialty=specialty,
                intake_year=intake,
                study_form=form,
                system=StudySystem.CREDIT,
                status=PlanStatus.APPROVED,
                approved_at=now,
            ),
            track,
        )
        for specialty, intake, form, track in _plans_wanted(start)
        if (specialty.pk, intake, form) not in existing
    ]
    Curriculum.objects.bulk_create([curriculum for curriculum, _track in new])
    _fill(new, cycles, disciplines, hours_per_credit)
    return {"curricula": len(new), "working_plans": _working_plans(start)}


def curricula_planned(plan=None) -> int:
    """How many base plans the demo has (the step's size for the progress total)."""
    forms = [
        len(row[5])
        for *_faculty, departments in FACULTIES
        for *_department, rows in departments
        for row in rows
    ]
    return sum(forms) * COURSES


def seed_curricula(ctx) -> None:
    """The seed_demo step (hub.demo.seed.SeedContext): curricula after the structure.

    In STEPS: Step(_("Curricula"), curricula_planned, seed_curricula).
    """
    curricula_seed()
    ctx.advance(curricula_planned(), _("Curricula"))
