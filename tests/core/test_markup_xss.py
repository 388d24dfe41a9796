"""Hostile BBCode must never turn into active HTML.

``XSS_CORPUS`` is imported by other tests (including a real-browser test), so
it stays a plain module-level list of strings.
"""

import html
import re
from html.parser import HTMLParser

import pytest

import forum.core.markup.renderer as markup
from forum.core.markup import check_bbcode, quote_tag_for, render_bbcode

XSS_CORPUS = [
    # Links with dangerous schemes.
    "[url=javascript:alert(1)]click[/url]",
    "[url]javascript:alert(1)[/url]",
    "[url=JaVaScRiPt:alert(1)]mixed case[/url]",
    "[url=jav&#x09;ascript:alert(1)]entity tab[/url]",
    "[url=java&#x09;script:alert(1)]entity tab 2[/url]",
    "[url=&#106;avascript:alert(1)]decimal entity[/url]",
    "[url=javascript&colon;alert(1)]named entity colon[/url]",
    "[url=java\tscript:alert(1)]raw tab[/url]",
    "[url=java\x00script:alert(1)]nul[/url]",
    "[url= javascript:alert(1)]leading space[/url]",
    "[url=\x01javascript:alert(1)]control char[/url]",
    "[url=\u202ejavascript:alert(1)]bidi override[/url]",
    "[url=javascript\u200b:alert(1)]zero width[/url]",
    "[url=vbscript:msgbox(1)]vb[/url]",
    "[url=data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==]data[/url]",
    "[url]data:text/html,<script>alert(1)</script>[/url]",
    "[url=file:///etc/passwd]file[/url]",
    "[url=//evil.example/x]protocol relative[/url]",
    "[url]//evil.example[/url]",
    "[url=http:javascript:alert(1)]no authority[/url]",
    "[url=https:/\\evil.example]backslash[/url]",
    '[url=http://x.com/" onmouseover="alert(1)]dq breakout[/url]',
    "[url=http://x.com/' onmouseover='alert(1)]sq breakout[/url]",
    "[url=http://x.com/<script>alert(1)</script>]lt inside[/url]",
    '[url]http://x.com/" onerror="alert(1)[/url]',
    "[url]http://x.com/'onmouseover='alert(1)[/url]",
    "[url]http://x.com/<img src=x onerror=alert(1)>[/url]",
    '[url="javascript:alert(1)"]quoted[/url]',
    "[url='javascript:alert(1)']single quoted[/url]",
    "[url=http://a.com][url=javascript:alert(1)]nested[/url][/url]",
    "[email=javascript:alert(1)]mail[/email]",
    "[email]a@b.com?subject=<script>alert(1)</script>[/email]",
    '[email]"onmouseover=alert(1)"@x.com[/email]',
    '[email=x@y.com" onclick="alert(1)]mail[/email]',
    # Images.
    '[img]x" onerror=alert(1)[/img]',
    '[img]https://x.com/a.png" onerror="alert(1)[/img]',
    "[img]javascript:alert(1)[/img]",
    "[img]data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+[/img]",
    "[img]vbscript:msgbox(1)[/img]",
    "[img]//evil.example/x.png[/img]",
    "[img] javascript:alert(1)[/img]",
    "[img]jav&#x09;ascript:alert(1)[/img]",
    "[img]https://x.com/a.png[/img onerror=alert(1)]",
    "[img=javascript:alert(1)]https://x.com/a.png[/img]",
    # Quote attributes.
    '[QUOTE="a\\" onmouseover=alert(1) x=\\", post: 1, member: 2"]q[/QUOTE]',
    '[QUOTE="a" onmouseover="alert(1)", post: 1, member: 2"]q[/QUOTE]',
    '[quote="<script>alert(1)</script>, post: 1, member: 2"]q[/quote]',
    '[quote="x, post: 1 onmouseover=alert(1), member: 2"]q[/quote]',
    '[quote="x, post: javascript:alert(1), member: 2"]q[/quote]',
    "[quote=<img src=x onerror=alert(1)>]q[/quote]",
    '[quote="x, post: 1, member: 2\\"><script>alert(1)</script>"]q[/quote]',
    # Style-bearing tags.
    "[color=red;background:url(javascript:alert(1))]c[/color]",
    "[color=expression(alert(1))]c[/color]",
    '[color=red" onmouseover="alert(1)]c[/color]',
    "[color=#fff;behavior:url(x.htc)]c[/color]",
    '[font=x" onclick="alert(1)]f[/font]',
    "[font=Arial;background:url(javascript:alert(1))]f[/font]",
    "[font=expression(alert(1))]f[/font]",
    '[size=3" onmouseover="alert(1)]s[/size]',
    "[size=7;position:fixed]s[/size]",
    '[list=1" onclick="alert(1)][*]x[/list]',
    '[spoiler="><script>alert(1)</script>]s[/spoiler]',
    '[spoiler=x" onclick="alert(1)]s[/spoiler]',
    '[code="><script>alert(1)</script>]x[/code]',
    '[code=python" onmouseover="alert(1)]x[/code]',
    # Media and news.
    '[media=youtube]x" onload=alert(1)[/media]',
    '[media=youtube]dQw4w9WgXcQ" onload="alert(1)[/media]',
    "[media=youtube]javascript:alert(1)[/media]",
    "[media=youtube]https://evil.example/embed/dQw4w9WgXcQ[/media]",
    "[media=youtube]https://www.youtube.com.evil.example/watch?v=dQw4w9WgXcQ[/media]",
    "[media=youtube]https://www.youtube.com/watch?v=dQw4w9WgXcQ&v=<script>[/media]",
    '[media="youtube onload=alert(1)"]dQw4w9WgXcQ[/media]',
    "[media=youtube]../../evil[/media]",
    '[NEWS=1" onclick="alert(1)]',
    "[NEWS=1 onclick=alert(1)]",
    "[NEWS=<script>alert(1)</script>]",
    # Raw HTML typed directly.
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<a href="javascript:alert(1)">x</a>',
    '<img src=x onerror="alert(1)">',
    "<iframe src=javascript:alert(1)></iframe>",
    "<body onload=alert(1)>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<!--<script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "<style>@import 'javascript:alert(1)';</style>",
    '<math><mtext><table><mglyph><style><img src=x onerror="alert(1)">',
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    # Breakouts through tag nesting and verbatim sections.
    "[b]<script>[/b]alert(1)[b]</script>[/b]",
    "[code]</code></pre><script>alert(1)</script>[/code]",
    "[icode]</code><script>alert(1)</script>[/icode]",
    "[url=http://a.com]</a><script>alert(1)</script>[/url]",
    "[quote]</div></blockquote><script>alert(1)</script>[/quote]",
    "[spoiler]</summary></details><svg onload=alert(1)>[/spoiler]",
    "[list][*]</li></ul><img src=x onerror=alert(1)>[/list]",
    "[b][i][u][url=javascript:alert(1)]x[/url][/u][/i][/b]",
    "[url=http://a.com][img]javascript:alert(1)[/img][/url]",
    '[url=http://a.com/?q=[b]x" onclick="alert(1)[/b]]y[/url]',
    "[ur[url]l=javascript:alert(1)]x[/url]",
    "[[b]url=javascript:alert(1)]x[/url]",
    "javascript:alert(1)",
    "see javascript://example.com/%0aalert(1) please",
    'https://example.com/"onmouseover="alert(1)',
    "https://example.com/<script>alert(1)</script>",
    "http://x.com/\x00javascript:alert(1)",
    "\x00<script>alert(1)</script>",
    "[\x00url=javascript:alert(1)]x[/url]",
    # Pathological structure.
    "[quote]" * 200 + "<script>alert(1)</script>" + "[/quote]" * 200,
    "[url=javascript:alert(1)]" * 100,
    "[b]" * 300 + '[url="javascript:alert(1)"]x[/url]' + "[/b]" * 300,
]

# What the renderer may emit: tag -> attributes allowed on it.
ALLOWED = {
    "a": {"href", "rel", "target", "class"},
    "blockquote": {"class", "data-quote-post", "data-quote-member"},
    "br": set(),
    "code": {"class"},
    "details": {"class"},
    "div": {"class", "data-news-id"},
    "em": set(),
    "iframe": {
        "src",
        "title",
        "loading",
        "allowfullscreen",
        "allow",
        "referrerpolicy",
        "width",
        "height",
    },
    "img": {"src", "alt", "loading", "referrerpolicy", "class"},
    "li": set(),
    "ol": {"class", "type"},
    "pre": {"class"},
    "s": set(),
    "span": {"class"},  # no style: the Content Security Policy allows none
    "strong": set(),
    "summary": set(),
    "u": set(),
    "ul": {"class"},
}
URL_ATTRIBUTES = {"href", "src"}
SAFE_URL_RE = re.compile(r"(https?://|mailto:)[^\s\"'<>`]+|/posts/\d+/", re.IGNORECASE)
# Whitespace, control and format characters that browsers ignore in schemes.
INVISIBLE_RE = re.compile(
    r"[\s\x00-\x1f\x7f\u00ad\u200b-\u200f\u202a-\u202e\u2060\ufeff]"
)


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []
        self.text = []
        self.other = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_endtag(self, tag):
        self.tags.append((tag, []))

    def handle_data(self, data):
        self.text.append(data)

    def handle_comment(self, data):
        self.other.append(("comment", data))

    def handle_decl(self, decl):
        self.other.append(("decl", decl))

    def handle_pi(self, data):
        self.other.append(("pi", data))

    def unknown_decl(self, data):
        self.other.append(("unknown", data))


def squash(value: str) -> str:
    """Decode entities and drop what a browser ignores when reading a scheme."""
    previous = None
    while previous != value:  # undo double encoding too
        previous, value = value, html.unescape(value)
    return INVISIBLE_RE.sub("", value).lower()


def assert_safe_html(output: str) -> None:
    """Fail unless ``output`` holds only allow-listed, inert markup."""
    parser = _Collector()
    parser.feed(output)
    parser.close()
    assert parser.other == [], output

    for tag, attrs in parser.tags:
        assert tag in ALLOWED, (tag, output)
        for name, value in attrs:
            value = value or ""
            assert not name.startswith("on"), (tag, name, output)
            assert name in ALLOWED[tag], (tag, name, output)
            flat = squash(value)
            for bad in ("javascript:", "vbscript:", "data:", "expression(", "url("):
                assert bad not in flat, (tag, name, value)
            if name in URL_ATTRIBUTES:
                assert SAFE_URL_RE.fullmatch(html.unescape(value)), (tag, name, value)
                assert re.match(r"(https?:|mailto:|/posts/)", flat), (tag, name, value)
            if tag == "iframe" and name == "src":
                assert re.fullmatch(
                    r"https://www\.youtube-nocookie\.com/embed/[A-Za-z0-9_-]{11}",
                    value,
                ), value

    # A second, regex-level look in case html.parser reads something
    # differently from a browser: every '<' must open an allowed tag.
    for name in re.findall(r"<\s*/?\s*([^\s/>]*)", output):
        assert name.lower() in ALLOWED, (name, output)
    lowered = output.lower()
    assert "<script" not in lowered
    assert not re.search(r"\son[a-z]+\s*=", _markup_only(output)), output
    # "javascript:" may only survive as visible, escaped text.
    assert "javascript:" not in _markup_only(lowered)


def _markup_only(output: str) -> str:
    """The output with text content removed, leaving tags and attributes."""
    return "".join(re.findall(r"<[^>]*>", output))


def test_corpus_is_large_enough():
    assert len(XSS_CORPUS) >= 70
    assert len(set(XSS_CORPUS)) == len(XSS_CORPUS)


@pytest.mark.parametrize("source", XSS_CORPUS)
def test_hostile_input_renders_only_allow_listed_markup(source):
    assert_safe_html(render_bbcode(source))


@pytest.mark.parametrize("source", XSS_CORPUS)
def test_hostile_input_inside_valid_formatting_stays_inert(source):
    wrapped = f"[quote=x][list][*][b]{source}[/b][/list][/quote]"
    assert_safe_html(render_bbcode(wrapped))


@pytest.mark.parametrize("source", XSS_CORPUS)
def test_check_bbcode_copes_with_hostile_input(source):
    assert isinstance(check_bbcode(source), list)


@pytest.mark.parametrize("source", XSS_CORPUS)
def test_quoting_hostile_post_stays_inert(source):
    quoted = quote_tag_for(username=source[:40], post_id=1, member_id=2, body=source)
    assert_safe_html(render_bbcode(quoted))


@pytest.mark.parametrize(
    "source",
    [
        "[url=javascript:alert(1)]click[/url]",
        '[img]x" onerror=alert(1)[/img]',
        "[color=red;background:url(javascript:alert(1))]c[/color]",
        '[media=youtube]x" onload=alert(1)[/media]',
    ],
)
def test_rejected_tags_are_shown_to_the_reader_as_text(source):
    parser = _Collector()
    parser.feed(render_bbcode(source))
    assert "".join(parser.text) == source


def test_raw_html_is_displayed_not_interpreted():
    output = render_bbcode("<script>alert(1)</script>")
    assert output == "&lt;script&gt;alert(1)&lt;/script&gt;"


def test_quote_attribute_breakout_stays_in_the_name_text():
    output = render_bbcode(
        '[QUOTE="a\\" onmouseover=alert(1) x=\\", post: 1, member: 2"]q[/QUOTE]'
    )
    assert_safe_html(output)
    assert 'a" onmouseover=alert(1) x=" said:' in output
    assert 'data-quote-post="1"' in output


# Markup a buggy parser might emit; the allow-list layer must neutralise it.
RAW_HTML_THROUGH_PARSER = [
    "<script>alert(1)</script>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="java&#x09;script:alert(1)">x</a>',
    '<a href="&#x6A;avascript:alert(1)">x</a>',
    '<a href="//evil.example/">x</a>',
    '<a href="/posts/1/" onclick="alert(1)">x</a>',
    '<a href="https://ok.example/" target="_top" rel="opener">x</a>',
    '<img src="x" onerror="alert(1)">',
    '<img src="data:image/png;base64,AAAA">',
    '<img src="https://ok.example/a.png" alt="x" style="position:fixed">',
    '<iframe src="https://evil.example/embed/dQw4w9WgXcQ"></iframe>',
    '<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" '
    'srcdoc="<script>alert(1)</script>"></iframe>',
    '<span style="background:url(javascript:alert(1))">x</span>',
    '<span style="color: red; position: fixed">x</span>',
    '<span style="color: expression(alert(1))">x</span>',
    '<div class="evil bb-x">x</div>',
    '<div class="bb-x" id="login">x</div>',
    '<blockquote data-quote-post="1 onclick=alert(1)">x</blockquote>',
    '<div data-news-id="javascript:alert(1)"></div>',
    "<svg onload=alert(1)></svg>",
    "<object data=javascript:alert(1)></object>",
    "<form action=javascript:alert(1)><button>x</button></form>",
    "<style>*{background:url(javascript:alert(1))}</style>",
    "<!-- <script>alert(1)</script> -->",
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<ol type="disc" onclick="alert(1)"><li>x</li></ol>',
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
]


@pytest.mark.parametrize("raw_html", RAW_HTML_THROUGH_PARSER)
def test_allow_list_neutralises_markup_even_if_parser_emits_it(monkeypatch, raw_html):
    monkeypatch.setattr(markup, "_assemble", lambda pieces: raw_html)
    assert_safe_html(render_bbcode("anything"))
