"""A saved page's publication date when it stands only in an element of its own."""

from pipeline.html import page_published_date


def test_a_portal_date_element_gives_the_date_day_first():
    page = ('<html><body><h1>Quảng Ninh welcomes Lao delegation</h1>'
            '<div class="date">Thứ Ba, 12/03/2024 - 14:30</div><p>Text of the story.</p></body></html>')
    assert page_published_date(page) == "2024-03-12"


def test_meta_tags_win_over_a_date_element():
    page = ('<html><head><meta property="article:published_time" content="2024-02-20T08:00:00+07:00"></head>'
            '<body><span class="post-date">01/01/2020</span><p>Text.</p></body></html>')
    assert page_published_date(page) == "2024-02-20"


def test_a_date_in_the_story_text_is_no_publication_date():
    page = '<html><body><div class="content"><p>The plan was adopted on 12/03/2024.</p></div></body></html>'
    assert page_published_date(page) == ""
