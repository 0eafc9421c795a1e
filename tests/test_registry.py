"""The outlet registry answers by id, by every spelling of a name, and by URL or domain."""

from __future__ import annotations

import pytest

from newsbot.registry import load_registry

REGISTRY = load_registry()
SPELLINGS = [(o.id, f.value) for o in REGISTRY for f in o.names]
DOMAINS = [(o.id, d.value) for o in REGISTRY for d in o.domains]


def test_registry_has_the_reference_outlets_and_the_sample_aggregator() -> None:
    assert len(REGISTRY) >= 45
    assert REGISTRY.by_id("prothomalo").name_bn == "প্রথম আলো"
    assert REGISTRY.by_id("songkolon").status == "sample"
    assert REGISTRY.by_id("no-such-outlet") is None


@pytest.mark.parametrize(("outlet_id", "name"), SPELLINGS)
def test_every_spelling_finds_its_outlet(outlet_id: str, name: str) -> None:
    assert REGISTRY.by_name(name).id == outlet_id
    assert REGISTRY.by_name(name.replace(" ", "")).id == outlet_id
    assert REGISTRY.by_name(f"  {name}। ").id == outlet_id


@pytest.mark.parametrize(
    ("label", "outlet_id"),
    [
        ("প্রথমআলো", "prothomalo"),
        ("দৈনিক প্রথম আলো", "prothomalo"),
        ("দৈনিক ইত্তেফাক", "ittefaq"),
        ("ইত্তেফাক", "ittefaq"),
        ("দৈনিক বণিক বার্তা", "bonikbarta"),
        ("বণিকবার্তা", "bonikbarta"),
        ("দৈনিক মানবজমিন", "manabzamin"),
        ("নয়া দিগন্ত", "nayadiganta"),
        ("দৈনিক নয়াদিগন্ত", "nayadiganta"),
        ("ভোরের কাগজ", "bhorerkagoj"),
        ("দৈনিক যুগান্তর", "jugantor"),
        ("BBC News বাংলা", "bbcbangla"),
    ],
)
def test_printed_labels(label: str, outlet_id: str) -> None:
    assert REGISTRY.by_name(label).id == outlet_id


def test_precomposed_and_decomposed_nukta_letters_match() -> None:
    decomposed = "নয়া দিগন্ত"  # য + nukta
    precomposed = decomposed.replace("\u09af\u09bc", "\u09df")
    assert precomposed != decomposed
    assert REGISTRY.by_name(precomposed).id == REGISTRY.by_name(decomposed).id == "nayadiganta"


def test_unknown_names_are_not_guessed() -> None:
    assert REGISTRY.by_name("দৈনিক অজানা খবর") is None
    assert REGISTRY.by_name("") is None


@pytest.mark.parametrize(("outlet_id", "domain"), DOMAINS)
def test_every_domain_finds_its_outlet(outlet_id: str, domain: str) -> None:
    host, _, path = domain.partition("/")
    assert REGISTRY.by_url(f"https://{domain}/some/article-123").id == outlet_id
    assert REGISTRY.by_url(f"http://{host.upper()}:443/{path}").id == outlet_id
    if not path:
        assert REGISTRY.by_url(host).id == outlet_id
        assert REGISTRY.by_url(f"https://m.{host}/x").id == outlet_id


def test_path_outlets_beat_their_host() -> None:
    assert REGISTRY.by_url("https://www.bbc.com/bengali/articles/c1").id == "bbcbangla"
    assert REGISTRY.by_url("https://zeenews.india.com/bengali/world/x").id == "zee24ghanta"
    assert REGISTRY.by_url("https://zeenews.india.com/hindi/x") is None
    assert REGISTRY.by_url("https://notprothomalo.com/x") is None


@pytest.mark.parametrize(
    "url",
    [
        "https://www.bbc.com/news/world-asia-123",
        "https://bbc.com/sport/football/1",
        "https://www.bbc.com/hindi/articles/c1",
        "https://www.bbc.com/bengalinews/x",
        "www.bbc.com",
    ],
)
def test_a_path_outlet_owns_only_its_path_of_a_shared_host(url: str) -> None:
    assert REGISTRY.by_url(url) is None


def test_no_outlet_is_registered_on_a_bare_shared_host() -> None:
    # An outlet that owns a path of a host must not also claim the whole host.
    for outlet in REGISTRY:
        hosts_with_path = {d.value.partition("/")[0] for d in outlet.domains if "/" in d.value}
        bare = {d.value for d in outlet.domains if "/" not in d.value}
        for host in hosts_with_path:
            parent = host.removeprefix("www.")
            assert host not in bare and parent not in bare, (outlet.id, host)


def test_start_points_come_from_the_registry() -> None:
    from datetime import date

    points = REGISTRY.by_id("kalerkantho").start_points([date(2026, 11, 29), date(2026, 11, 28)])
    assert points == [
        ("https://www.kalerkantho.com/online/world", "listing"),
        ("https://www.kalerkantho.com/rss.xml", "feed"),
        ("https://www.kalerkantho.com/daily-sitemap/2026-11-29/sitemap.xml", "sitemap"),
        ("https://www.kalerkantho.com/daily-sitemap/2026-11-28/sitemap.xml", "sitemap"),
    ]
    undated = REGISTRY.by_id("songkolon").start_points([date(2026, 11, 29), date(2026, 11, 28)])
    assert [kind for _, kind in undated].count("sitemap") == 1


def test_unverified_facts_are_marked() -> None:
    prothomalo = REGISTRY.by_id("prothomalo")
    feed = prothomalo.feeds[0]
    assert feed.value == "https://www.prothomalo.com/feed/"
    assert feed.verified is False
    assert prothomalo.world_section[0].verified is True


def test_select_rejects_unknown_ids() -> None:
    assert [o.id for o in REGISTRY.select(["ittefaq", "jugantor"])] == ["ittefaq", "jugantor"]
    with pytest.raises(KeyError):
        REGISTRY.select(["nope"])
