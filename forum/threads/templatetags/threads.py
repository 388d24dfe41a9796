"""Drawing what threads carry on every list: the prefix before a title, the page
links of a long thread ("1 2 3 … 2500")."""

from django import template
from django.utils.html import format_html

from forum.threads.prefixes import label_for

register = template.Library()


@register.simple_tag(takes_context=True)
def thread_prefix(context, thread):
    """`<span class="prefix prefix--blue">Analysis</span>` and a space, or
    nothing. No query: prefixes are kept by the process."""
    found = label_for(getattr(thread, "prefix_id", None), context.get("request"))
    if found is None:
        return ""
    return format_html('<span class="prefix {}">{}</span> ', found.colour, found.label)


@register.simple_tag(takes_context=True)
def prefix_text(context, thread):
    """The prefix as plain text before a title ("Analysis: "), for feeds and
    page titles."""
    found = label_for(getattr(thread, "prefix_id", None), context.get("request"))
    return f"{found.label}: " if found else ""


@register.filter
def page_links(thread, shown: int = 3):
    """The pages of a thread's row: the first `shown`, a gap, the last; None
    for a thread of one page. Each is (number, url) or None for the gap."""
    total = thread.page_count
    if total <= 1:
        return None
    numbers = list(range(2, min(total, shown) + 1))
    if total > shown:
        numbers += [None, total] if total > shown + 1 else [total]
    links = [(1, thread.get_absolute_url())]
    for number in numbers:
        links.append(
            None if number is None else (number, thread.get_absolute_url(number))
        )
    return links
