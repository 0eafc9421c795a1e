"""newsbot.language.identify: Bengali told apart from the languages that share its script, and
from the other traps of a Bengali corpus. The texts here are not in the benchmark's set."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from newsbot.data import load_toml
from newsbot.language import METHODS, Verdict, identify
from newsbot.sampleweb.model import load as load_sample_web
from newsbot.text import nfc

# Assamese with ৰ and ৱ (the example), and a short one without either.
ASSAMESE = ("অসমৰ মুখ্যমন্ত্ৰীয়ে আজি গুৱাহাটীত অনুষ্ঠিত এখন সভাত কয় যে চৰকাৰে নতুন শিক্ষা নীতি "
            "কাৰ্যকৰী কৰিব।")
ASSAMESE_NO_LETTERS = "তেওঁলোকে কালি সন্ধিয়া গাঁওখনলৈ যাব বুলি জনা গৈছে।"
SYLHETI = ("ইবার সিলেটো বন্যা অইছে, হকল গেরাম পানির তলে। তাইন কইছইন সরকারর লোক আইছইন, কিন্তু "
           "খানি বেশি দিছইন না। আফনে কিতা মনে করইন?")
BISHNUPRIYA = ("ধর্মনগর ত্রিপুরার শহর আহান। শহর এহানর মানু অতা বিষ্ণুপ্রিয়া মণিপুরী ঠার মাতে বারো "
               "হাটবারে বেচাকেনা করের।")
ROMANISED = ("Ajke Dhakay prochondo jam chilo, office theke bari firte amar tin ghonta laglo. "
             "Sorkar bolche notun flyover hole jam kombe, kintu ekhon porjonto kono unnoti "
             "dekhi na.")
ENGLISH_QUOTING_BENGALI = (
    "Students marched to the Central Shaheed Minar before dawn. Their banner read "
    "\"ভাষার জন্য যাঁরা প্রাণ দিয়েছেন, তাঁদের আমরা ভুলব না\", and one of the organisers told "
    "reporters that the march had been held every year since the university reopened, whatever "
    "the weather and whoever was in government.")
HINDI = "सरकार ने कहा कि बाढ़ प्रभावित इलाक़ों में राहत सामग्री पहुंचाई जा रही है।"
NEPALI = "सरकारले बाढी प्रभावित क्षेत्रमा राहत सामग्री पठाइरहेको जनाएको छ।"
ODIA = "ସରକାର କହିଛନ୍ତି ଯେ ବନ୍ୟା ପ୍ରଭାବିତ ଅଞ୍ଚଳରେ ରିଲିଫ ସାମଗ୍ରୀ ପହଞ୍ଚାଯାଉଛି।"
BENGALI_BD = ("সরকার জানিয়েছে, বন্যাকবলিত এলাকায় ত্রাণসামগ্রী পৌঁছানো হচ্ছে। সিলেট ও সুনামগঞ্জে "
              "পানি কমতে শুরু করেছে।")
BENGALI_WB = ("রাজ্য সরকার জানাল, বন্যাকবলিত এলাকায় ত্রাণ পাঠানো হচ্ছে। মালদহ ও মুর্শিদাবাদে জল "
              "কমতে শুরু করেছে বলে জানিয়েছে সেচ দফতর।")
BENGALI_CODE_MIXED = ("বৈঠকের পর Prime Minister বলেন, বন্যার্তদের জন্য emergency fund গঠন করা হবে। "
                      "World Bank ও ADB সহায়তার আশ্বাস দিয়েছে।")
# A Bengali article that names an Assamese place the Assamese way, once.
BENGALI_QUOTING_ASSAMESE_NAME = (
    "উত্তর-পূর্ব ভারতের বন্যা পরিস্থিতি নিয়ে আজ এক বৈঠক হয়েছে। বৈঠকটি হয় গুৱাহাটীতে। সেখানে "
    "রাজ্যগুলোর কর্মকর্তারা ত্রাণ ও পুনর্বাসন নিয়ে আলোচনা করেন। বাংলাদেশ থেকেও একটি প্রতিনিধিদল "
    "এতে যোগ দেয়। দুই দেশের নদী কমিশনের তথ্য বিনিময় নিয়েও কথা হয়েছে বলে জানা গেছে।")


@pytest.mark.parametrize(("text", "code", "method"), [
    (ASSAMESE, "as", "letters"),
    (ASSAMESE_NO_LETTERS, "as", "cld2"),
    (SYLHETI, "syl", "markers"),
    (BISHNUPRIYA, "bpy", "markers"),
    (ROMANISED, "bn-Latn", "markers"),
    (ENGLISH_QUOTING_BENGALI, "en", "langdetect"),
    (HINDI, "hi", "langdetect"),
    (NEPALI, "ne", "langdetect"),
    (ODIA, "or", "cld2"),
    (BENGALI_BD, "bn", "cld2"),
    (BENGALI_WB, "bn", "cld2"),
    (BENGALI_CODE_MIXED, "bn", "cld2"),
    (BENGALI_QUOTING_ASSAMESE_NAME, "bn", "cld2"),
])
def test_traps(text: str, code: str, method: str) -> None:
    verdict = identify(text)
    assert (verdict.code, verdict.method) == (code, method), verdict
    assert 0.0 < verdict.confidence <= 1.0
    assert verdict.evidence


def test_evidence_says_what_was_seen() -> None:
    verdict = identify(ASSAMESE)
    assert verdict.evidence.startswith("ৰ/ৱ in ") and "Bengali-script words" in verdict.evidence
    assert verdict.describe() == f"letters {verdict.confidence}: {verdict.evidence}"
    assert "markers of Sylheti (ইবার, অইছে" in identify(SYLHETI).evidence
    assert "pycld2 or" in identify(ODIA).evidence and "no or profile" in identify(ODIA).evidence


def test_bengali_script_alone_is_not_evidence_of_bengali(monkeypatch: pytest.MonkeyPatch) -> None:
    import newsbot.language as language

    monkeypatch.setattr(language, "_cld2", lambda text: (False, []))
    verdict = identify(BENGALI_BD)
    assert (verdict.code, verdict.method) == ("unknown", "none")


def test_works_with_the_network_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    attempts: list[object] = []

    def refuse(sock: socket.socket, address: object) -> None:
        attempts.append(address)
        raise OSError("no network in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    assert identify(ASSAMESE_NO_LETTERS).code == "as"
    assert identify(ODIA).code == "or"
    assert attempts == []


@pytest.mark.parametrize("text", [
    "বাংলা\x00লেখা\x07 এবং আরও কিছু লেখা এখানে।", "বাংলা \ud800 লেখা এখানে আছে।",
    "ৰৰৰৰ", "a" * 20000, "বাংলা " * 5000,
])
def test_odd_text_never_raises(text: str) -> None:
    verdict = identify(text)
    assert isinstance(verdict, Verdict) and verdict.method in METHODS


def test_only_the_first_window_is_read() -> None:
    window = load_toml("language.toml")["evidence_chars"]
    tail = ASSAMESE * (window // len(ASSAMESE) + 2)
    assert identify(BENGALI_BD * (window // len(BENGALI_BD) + 1) + tail).code == "bn"


def test_markers_and_letters_are_absent_from_standard_bengali() -> None:
    """No marker word of a Bengali-script language, and no ৰ/ৱ, in the sample web's Bengali."""
    data = load_toml("language.toml")
    words = {nfc(w) for rule in data["markers"] if rule["script"] == "bengali"
             for w in rule["words"]}
    letters = {c for rule in data["letters"] for c in rule["letters"]}
    web = load_sample_web()
    bengali = [a for a in web.articles.values() if a.lang == "bn"]
    assert len(bengali) >= 60
    for art in bengali:
        text = "\n".join([art.title, *art.body])
        assert not letters & set(text), art.ref
        assert not words & set(text.replace("।", " ").replace(",", " ").split()), art.ref
        assert identify(text).code == "bn", art.ref


def test_langdetect_blind_spots_are_really_blind() -> None:
    from langdetect.detector_factory import PROFILES_DIRECTORY

    known = {name.split("-")[0] for name in Path(PROFILES_DIRECTORY).iterdir()
             for name in [name.name]}
    blind = set(load_toml("language.toml")["langdetect_blind"])
    assert "or" in blind and "as" in blind
    assert not blind & known
