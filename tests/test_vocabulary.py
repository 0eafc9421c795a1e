"""The vocabulary: one folder of label and phrase lists, each label written once, one line
classifier and one date-line detector for extraction and cleaning."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsbot import vocabulary
from newsbot.text import compare_key
from newsbot.vocabulary import label_list
from newsbot.vocabulary.labels import is_desk, is_navigation_heading, is_related_heading
from newsbot.vocabulary.lines import (
    CLEANING_CHECKS,
    DATE_LINE,
    DESK_LINE,
    FURNITURE,
    GENERIC_BODY_CHECKS,
    HEADING_CHECKS,
    NAVIGATION_HEADING,
    PROFILE_BODY_CHECKS,
    RELATED_HEADING,
    RELATED_LINE,
    LineContext,
    classify_line,
    is_date_line,
    load_phrasebook,
    parse_rules,
)

HEADER = "phrase\tkind\tmatch\tmax_words\tgloss\n"
# Lists whose entries are not compared by key (regex prefixes are case-sensitive).
NOT_KEYED = {"byline.prefixes"}


def label_lists() -> dict[str, list[str]]:
    data = vocabulary.load_toml(vocabulary.LABELS_FILE)
    return {f"{table}.{name}": entries for table, lists in data.items()
            for name, entries in lists.items()}


def test_every_vocabulary_file_is_in_the_one_folder() -> None:
    folder = Path(vocabulary.__file__).parent
    for name in (vocabulary.LABELS_FILE, vocabulary.PHRASES_FILE,
                 vocabulary.GENERIC_PHRASES_FILE, vocabulary.SPELLING_FILE):
        assert (folder / name).is_file(), name
    # the old homes are gone: one copy of each list
    package = folder.parent
    for old in ("data/boilerplate_bn.tsv", "data/spelling_bn.toml", "extract/vocab.toml",
                "extract/generic_phrases.toml", "boilerplate.py", "cleaning.py"):
        assert not (package / old).exists(), old


def test_a_label_list_is_written_once() -> None:
    for name, entries in label_lists().items():
        if name in NOT_KEYED:
            continue
        keys = [compare_key(e) or e.strip() for e in entries]
        assert len(keys) == len(set(keys)), name


def test_the_phrase_rules_do_not_repeat_a_label() -> None:
    # a whole-line rule whose phrase is a label of labels.toml must name the list instead
    labels = {compare_key(e) for name, entries in label_lists().items()
              if name not in NOT_KEYED for e in entries}
    text = vocabulary.read_text(vocabulary.PHRASES_FILE)
    rows = [line.split("\t") for line in text.splitlines()
            if line and not line.startswith("#") and "\t" in line][1:]
    literal = [row[0] for row in rows if row[2] == "line" and not row[0].startswith("@")]
    assert literal and [p for p in literal if compare_key(p) in labels] == []
    assert any(row[0] == "@byline.desk_lines" for row in rows)


def test_a_list_reference_gives_one_rule_per_label() -> None:
    rules = parse_rules(HEADER + "@byline.desk_lines\tdesk\tline\t0\tdesks\n")
    assert [r.phrase for r in rules] == label_list("byline.desk_lines")
    assert {r.kind for r in rules} == {"desk"}
    book = load_phrasebook()
    for desk in label_list("byline.desk_lines"):
        assert book.classify(desk).kind == "desk"
        assert is_desk(desk)  # extraction reads the same list
    for line in label_list("byline.staff_lines"):
        assert book.classify(line).kind == "byline"
        assert is_desk(line)
    for heading in label_list("related.section_markers"):
        assert book.classify(heading).kind == "marker" and is_related_heading(heading)
    for heading in label_list("navigation.section_markers"):
        assert book.classify(heading).kind == "marker" and is_navigation_heading(heading)


@pytest.mark.parametrize("row", [
    "@byline.desk_lines\tdesk\tprefix\t5\tnot a whole line\n",
    "@byline.no_such_list\tdesk\tline\t0\tunknown list\n",
])
def test_a_bad_list_reference_names_its_line(row: str) -> None:
    with pytest.raises(ValueError, match="line 2"):
        parse_rules(HEADER + row)


@pytest.mark.parametrize(("line", "expected"), [
    ("প্রকাশ: ১২ জানুয়ারি ২০২৫, ১০:৩০", True),  # Bengali label, month, time
    ("আপডেটঃ ১৩ জানুয়ারি ২০২৫, ০৯:১৫", True),  # visarga for the colon
    ("Mis à jour le 12 mars 2024 à 10:30", True),  # date words of many languages
    ("12.03.2024 10:15 Uhr", True),
    ("Last Updated: Monday, 26 November 2007, 15:30 GMT", True),  # read by the date parser
    ("সোমবার রাতে ঢাকায় ১২ জন আহত হয়েছেন বলে পুলিশ জানিয়েছে।", False),  # prose with a number
    ("ট্রাম্প ৩ দিনের সফরে ভারতে যাচ্ছেন", False),  # a headline with a number
    ("প্রকাশ: আজ", False),  # no digit
])
def test_one_date_line_detector(line: str, expected: bool) -> None:
    assert is_date_line(line) is expected
    # the generic and the profile body agree on it
    assert (classify_line(line, PROFILE_BODY_CHECKS) == DATE_LINE) is expected
    assert (classify_line(line, GENERIC_BODY_CHECKS) == FURNITURE) is expected


def test_one_classifier_names_lines_for_each_body_source() -> None:
    book = load_phrasebook()
    ctx = LineContext(book=book, related_keys=frozenset({compare_key("ইরানে ভূমিকম্প")}))
    assert classify_line("আরো পড়ুন", HEADING_CHECKS, ctx) == "also_read"  # spelling variant
    assert classify_line("এই বিভাগের আরও খবর", CLEANING_CHECKS, ctx) == "marker"
    assert classify_line("আন্তর্জাতিক ডেস্ক", CLEANING_CHECKS, ctx) == "desk"
    assert classify_line("এ বিভাগের আরও খবর", PROFILE_BODY_CHECKS, ctx) == RELATED_HEADING
    assert classify_line("সর্বাধিক আলোচিত", PROFILE_BODY_CHECKS, ctx) == NAVIGATION_HEADING
    assert classify_line("আরও পড়ুন: ইরানে ভূমিকম্প", PROFILE_BODY_CHECKS, ctx) == RELATED_LINE
    assert classify_line("নিজস্ব প্রতিবেদক, ঢাকা", PROFILE_BODY_CHECKS, ctx) == DESK_LINE
    assert classify_line("Share this article", GENERIC_BODY_CHECKS, ctx) == FURNITURE
    prose = ("জাতিসংঘের মহাসচিব এক বিবৃতিতে বলেছেন, মানবিক সহায়তা পৌঁছাতে অবিলম্বে যুদ্ধ থামাতে "
             "হবে।")
    for checks in (CLEANING_CHECKS, GENERIC_BODY_CHECKS, PROFILE_BODY_CHECKS, HEADING_CHECKS):
        assert classify_line(prose, checks, ctx) is None
    with pytest.raises(KeyError):
        classify_line(prose, ("no_such_check",))
