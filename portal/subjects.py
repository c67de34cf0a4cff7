"""What a notification is about (issue 29 item 11h): "已退回" alone did not say which filing or plan.

A notification keeps its text and the link to its object's page. Each app registers, for the URL names
of its object pages, a function from the URL's one argument (a pk) to the object's name; the
notifications page resolves each link and shows the name with it. Portal imports no app: the apps
register here in their ready() (filings/subjects.py, certification/subjects.py)."""

from collections import defaultdict
from collections.abc import Callable, Iterable

from django.urls import Resolver404, get_script_prefix, resolve

_NAMERS: dict[str, Callable[[set], dict]] = {}


def register(url_name: str, names: Callable[[set], dict]) -> None:
    """``names({pk, ...}) -> {pk: name}`` for the objects shown at URLs named ``url_name``."""
    _NAMERS[url_name] = names


def _argument(url: str):
    """(URL name, its one argument) of a page of this portal, or None."""
    prefix = get_script_prefix()
    path = url.split("?", 1)[0].split("#", 1)[0]
    if not path.startswith(prefix):
        return None
    try:
        match = resolve("/" + path[len(prefix) :])
    except Resolver404:
        return None
    if match.view_name not in _NAMERS or len(match.kwargs) != 1:
        return None
    return match.view_name, next(iter(match.kwargs.values()))


def names_of(urls: Iterable[str]) -> dict[str, str]:
    """{url: name of the object it shows} for the URLs of registered pages; one query per kind."""
    wanted: dict[str, dict] = defaultdict(dict)
    for url in set(filter(None, urls)):
        found = _argument(url)
        if found:
            wanted[found[0]][url] = found[1]
    named = {}
    for url_name, by_url in wanted.items():
        names = _NAMERS[url_name](set(by_url.values()))
        named.update({url: names[value] for url, value in by_url.items() if value in names})
    return named
