"""``python -m newsbot clean`` on pages in the languages that a Bengali corpus must keep out:
each is printed with its language, the method that decided and the drop reason."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from newsbot.__main__ import main as newsbot_main
from tests import test_language as texts

ROOT = Path(__file__).resolve().parent.parent

# language -> (headline, paragraphs): every body is long enough to pass validation.
PAGES: dict[str, tuple[str, list[str]]] = {
    "as": ("অসমৰ মুখ্যমন্ত্ৰীয়ে গুৱাহাটীত নতুন শিক্ষা নীতি ঘোষণা কৰে", [
        texts.ASSAMESE,
        "শিক্ষামন্ত্ৰীৰ মতে, নতুন নীতিৰ অধীনত প্ৰতিখন জিলাত আদৰ্শ বিদ্যালয় স্থাপন কৰা হ'ব আৰু "
        "শিক্ষকসকলক বিশেষ প্ৰশিক্ষণ দিয়া হ'ব। বিৰোধী দলে অৱশ্যে এই ঘোষণাক নিৰ্বাচনমুখী বুলি সমালোচনা কৰিছে।",
    ]),
    "syl": ("ইবার সিলেটো বন্যা, হকল গেরাম পানির তলে", [
        texts.SYLHETI,
        "আমরার বাড়িত পানি উঠি গেছে, অখন মানুষ স্কুলো থাকের। কুনদিন পানি নামব কেউ কইতা পারের না, "
        "ফুয়া-ফুরি হকলরে লইয়া বহুত কষ্টো আছি।",
    ]),
    "bpy": ("ধর্মনগর শহর এহানর খবর", [
        texts.BISHNUPRIYA,
        "শহর এহানর পাশে নদী আহান আসে। গাঙর মানু অতা চাষ-বাস করিয়া চলের, বারো ইহানাত ইস্কুল আহান "
        "আসে। মণিপুরর রাজাই ইহানাত রাজত্ব করিসিল বুলিয়া ইতিহাসর কিতাপে লেখিসে।",
    ]),
    "bn-Latn": ("Dhakay prochondo jam, office theke bari firte tin ghonta", [
        texts.ROMANISED,
        "Tumi ki kal shokale amar shathe jabe? Ami bhabchi metro te jabo, karon bus e onek bhir "
        "hoy ebong shomoy o beshi lage.",
    ]),
    "en": ("Students march to the Shaheed Minar", [
        texts.ENGLISH_QUOTING_BENGALI,
        "Police said the march passed off peacefully. Organisers read out the names of the "
        "language martyrs, and a choir sang \"আমার ভাইয়ের রক্তে রাঙানো একুশে ফেব্রুয়ারি\" as the "
        "sun rose over the campus.",
    ]),
    "hi": ("बाढ़ प्रभावित इलाक़ों में राहत सामग्री पहुंचाई जा रही है", [
        texts.HINDI,
        "प्रशासन के अनुसार अब तक बीस हज़ार से अधिक लोगों को सुरक्षित स्थानों पर पहुंचाया गया है और "
        "राहत शिविरों में भोजन तथा दवाइयों की व्यवस्था की गई है।",
    ]),
    "ne": ("बाढी प्रभावित क्षेत्रमा राहत सामग्री", [
        texts.NEPALI,
        "प्रशासनका अनुसार अहिलेसम्म बीस हजारभन्दा बढी मानिसलाई सुरक्षित स्थानमा सारिएको छ र "
        "राहत शिविरमा खाना तथा औषधिको व्यवस्था गरिएको छ। सडक अवरुद्ध भएकाले केही गाउँमा "
        "हेलिकप्टरबाट राहत पठाउने तयारी भइरहेको छ।",
    ]),
    "or": ("ବନ୍ୟା ପ୍ରଭାବିତ ଅଞ୍ଚଳରେ ରିଲିଫ", [
        texts.ODIA,
        "ପ୍ରଶାସନ ଅନୁସାରେ ଏପର୍ଯ୍ୟନ୍ତ କୋଡ଼ିଏ ହଜାରରୁ ଅଧିକ ଲୋକଙ୍କୁ ସୁରକ୍ଷିତ ସ୍ଥାନକୁ ସ୍ଥାନାନ୍ତର କରାଯାଇଛି "
        "ଏବଂ ଆଶ୍ରୟ ଶିବିରରେ ଖାଦ୍ୟ ଓ ଔଷଧର ବ୍ୟବସ୍ଥା କରାଯାଇଛି।",
    ]),
}
KEPT: dict[str, tuple[str, list[str]]] = {
    "bangladesh": ("বন্যাকবলিত এলাকায় ত্রাণ পৌঁছাচ্ছে", [
        texts.BENGALI_BD,
        "দুর্যোগ ব্যবস্থাপনা মন্ত্রণালয় বলছে, এখন পর্যন্ত বিশ হাজারের বেশি মানুষকে আশ্রয়কেন্দ্রে "
        "নেওয়া হয়েছে। সেখানে খাবার ও ওষুধের ব্যবস্থা করা হয়েছে।",
    ]),
    "west-bengal": ("বন্যা কবলিত এলাকায় ত্রাণ পাঠাল রাজ্য", [
        texts.BENGALI_WB,
        "প্রশাসন সূত্রে খবর, এখনও পর্যন্ত কুড়ি হাজারেরও বেশি মানুষকে ত্রাণ শিবিরে সরানো হয়েছে। "
        "সেখানে খাবার ও ওষুধের ব্যবস্থা করা হয়েছে।",
    ]),
    "names-guwahati": ("গুৱাহাটীতে বন্যা নিয়ে বৈঠক", [
        texts.BENGALI_QUOTING_ASSAMESE_NAME, texts.BENGALI_CODE_MIXED,
    ]),
}


def write_page(folder: Path, name: str, title: str, body: list[str]) -> Path:
    path = folder / f"{name}.txt"
    path.write_text(title + "\n\n" + "\n\n".join(body) + "\n", encoding="utf-8")
    return path


def clean(path: Path, capsys: pytest.CaptureFixture[str]) -> dict:
    assert newsbot_main(["clean", str(path), "--no-templates"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("code", sorted(PAGES))
def test_other_languages_are_dropped_with_their_reason(
    code: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    title, body = PAGES[code]
    record = clean(write_page(tmp_path, code, title, body), capsys)
    assert record["dropped"] == f"language:{code}"
    assert record["language"] == code
    assert record["language_method"] in {"letters", "markers", "cld2", "langdetect"}
    assert 0.0 < record["language_confidence"] <= 1.0


@pytest.mark.parametrize("name", sorted(KEPT))
def test_bengali_pages_are_kept_on_the_evidence(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    title, body = KEPT[name]
    record = clean(write_page(tmp_path, name, title, body), capsys)
    assert record["dropped"] is None
    assert (record["language"], record["language_method"]) == ("bn", "cld2")


def test_the_issues_assamese_example_through_the_command_line(tmp_path: Path) -> None:
    title, body = PAGES["as"]
    page = write_page(tmp_path, "assamese", title, body)
    proc = subprocess.run(
        [sys.executable, "-m", "newsbot", "clean", str(page), "--no-templates"],
        cwd=tmp_path, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    record = json.loads(proc.stdout)
    assert (record["language"], record["language_method"]) == ("as", "letters")
    assert record["dropped"] == "language:as"
