"""Body hygiene: hidden elements, ad and sponsored containers and embedded posts' fallback text
never enter the body, on the generic path and on a profile's body containers."""

from __future__ import annotations

import pytest

from newsbot.api import extract_html, main_text
from newsbot.extract.hygiene import invisible_elements
from newsbot.extract.page import extract_page
from newsbot.extract.profiles import parse_profile
from tests.test_extract_generic import BN_PARAS

URL = "https://www.example-news.com/world/2026/11/27/123456"
PARAS = BN_PARAS
# Each of these sits between the article's paragraphs; none of its text may reach the body.
JUNK = {
    'hidden attribute': (
        '<p hidden>লুকানো অনুচ্ছেদ যা পাঠক কখনো দেখেন না, তবু পাতায় আছে এবং '
        'অনেক লম্বা।</p>'
    ),
    'aria-hidden': (
        '<div aria-hidden="true"><p>স্ক্রিন রিডার থেকে লুকানো পুনরাবৃত্ত লেখা '
        'যা আসলে শিরোনামের অনুলিপি।</p></div>'
    ),
    'display none': (
        '<div style="color:red; DISPLAY : none"><p>মোবাইলে দেখানো বিকল্প লেখা, '
        'ডেস্কটপে লুকানো এবং বেশ দীর্ঘ এক বাক্য।</p></div>'
    ),
    'visibility hidden': (
        '<p style="visibility:hidden">অদৃশ্য লেখা যা জায়গা নেয় কিন্তু দেখা '
        'যায় না, এটিও দীর্ঘ একটি বাক্য।</p>'
    ),
    'ad slot': (
        '<div class="ad-slot ad-inarticle"><p>বিজ্ঞাপন দাতার পণ্য এখনই কিনুন, '
        'সীমিত সময়ের জন্য বিশেষ ছাড় পাচ্ছেন সবাই।</p></div>'
    ),
    'gpt ad id': (
        '<div id="div-gpt-ad-1699"><span>এই জায়গায় বিজ্ঞাপন দেখানো হয় এবং '
        'লেখাটি বিজ্ঞাপনের অংশ মাত্র।</span></div>'
    ),
    'camel-case ad': (
        '<section class="inArticleAdContainer"><p>স্পনসরের বার্তা: সেরা '
        'ফ্ল্যাট এখন আপনার সাধ্যের মধ্যে, আজই যোগাযোগ করুন।</p></section>'
    ),
    'sponsored': (
        '<aside class="sponsored-content"><p>প্রচারিত কনটেন্ট: এই ব্যাংকের '
        'নতুন সঞ্চয় প্রকল্পে মিলছে আকর্ষণীয় মুনাফা।</p></aside>'
    ),
    'taboola': (
        '<div id="taboola-below-article"><p>আপনার জন্য আরও কিছু গল্প যা অন্য '
        'সাইট থেকে আসে এবং এখানে দেখানো হয়।</p></div>'
    ),
    'tweet': (
        '<blockquote class="twitter-tweet"><p lang="en">Talks resume in Cairo '
        'today, officials say, with both delegations present and more '
        'expected.</p>— Reporter (@reporter) <a '
        'href="https://twitter.com/x/status/1">November 27, '
        '2026</a></blockquote>'
    ),
    'instagram': (
        '<blockquote class="instagram-media" '
        'data-instgrm-permalink="https://instagram.com/p/x"><div><a '
        'href="https://instagram.com/p/x">View this post on Instagram — a long '
        'fallback caption copied here.</a></div></blockquote>'
    ),
    'tiktok': (
        '<blockquote class="tiktok-embed" '
        'cite="https://tiktok.com/@x/video/1"><section><p>টিকটকের ভিডিওর '
        'বিকল্প লেখা যা স্ক্রিপ্ট না চললে দেখা যায় এবং বেশ '
        'লম্বা।</p></section></blockquote>'
    ),
    'facebook post': (
        '<div class="fb-post" '
        'data-href="https://facebook.com/x/posts/1"><blockquote><p>ফেসবুক '
        'পোস্টের অনুলিপি যা স্ক্রিপ্ট না চললে পাতায় দেখা যায়, এটি প্রবন্ধের '
        'অংশ নয়।</p></blockquote></div>'
    ),
    'video player': (
        '<div class="video-player"><video src="/v.mp4">Your browser does not '
        'support the video tag; download the clip instead.</video><p>ভিডিও '
        'প্লেয়ারের বিকল্প লেখা: ভিডিওটি দেখতে এখানে ক্লিক করুন, অথবা অ্যাপ '
        'খুলুন।</p></div>'
    ),
}


def page(junk: str, wrapper_class: str = "story-body") -> str:
    middle = [*PARAS[:2], junk, *PARAS[2:]]
    body = "".join(p if p.startswith("<") else f"<p>{p}</p>" for p in middle)
    return (
        "<html><head><meta charset='utf-8'><title>আলোচনা আবার শুরু</title>"
        "<meta property='og:type' content='article'></head><body>"
        f"<h1>আলোচনা আবার শুরু</h1><article class='{wrapper_class}'>{body}</article>"
        "</body></html>"
    )


@pytest.mark.parametrize("kind", sorted(JUNK))
def test_generic_body_keeps_out_hidden_ads_and_embeds(kind: str) -> None:
    body = extract_html(page(JUNK[kind]), URL).body
    assert body == PARAS, kind
    assert main_text(page(JUNK[kind]), URL).split("\n\n") == PARAS


def test_the_same_text_when_visible_is_kept() -> None:
    visible = "<p>দৃশ্যমান একটি অনুচ্ছেদ যা প্রবন্ধেরই অংশ এবং পাঠক এটি পড়তে পারেন, তাই এটি থাকবে।</p>"
    body = extract_html(page(visible), URL).body
    assert "দৃশ্যমান একটি অনুচ্ছেদ যা প্রবন্ধেরই অংশ এবং পাঠক এটি পড়তে পারেন, তাই এটি থাকবে।" in body


def test_a_wrapper_named_after_its_ads_keeps_the_article() -> None:
    # class words describe what is around the text: the article itself is no ad
    body = extract_html(page(JUNK["ad slot"], wrapper_class="article has-ads adSlots"), URL).body
    assert body == PARAS


def test_words_inside_other_words_are_no_ads() -> None:
    html = ("<html><body><div class='header-shadow'><p>x</p></div><div class='loading'>"
            "<p>y</p></div><div id='gradient'><p>z</p></div></body></html>")
    import lxml.html

    assert invisible_elements(lxml.html.fromstring(html)) == []


def test_profile_body_containers_are_cleaned_too() -> None:
    profile = parse_profile({
        "outlet_id": "ittefaq",
        "article_url": [r"^https://www\.ittefaq\.com\.bd/\d+/.*$"],
        "versions": [{"version": "2024", "detect": "div.story", "title": ["h1::text"],
                      "body": ["div.story"], "paragraph": "p"}],
    })
    junk = JUNK["display none"] + JUNK["ad slot"] + JUNK["tweet"]
    html = page(junk).replace("<article class='story-body'>", "<div class='story'>").replace(
        "</article>", "</div>")
    article = extract_page(html, "https://www.ittefaq.com.bd/978824/talks",
                           profiles={"ittefaq": profile})
    assert article.body == PARAS
