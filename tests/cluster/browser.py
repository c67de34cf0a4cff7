"""A small HTTP client whose cookies go to every host: the same browser seen by two web hosts behind a
load balancer (a cookie jar keeps cookies per host address)."""

import http.cookies
import re
import urllib.error
import urllib.parse
import urllib.request
import uuid
from urllib.parse import urljoin


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    def __init__(self):
        self.cookies = {}
        self.opener = urllib.request.build_opener(_NoRedirect)

    def request(self, url, data=None, headers=None, timeout=10, follow=5, raw=False):
        """(status, body, final url); redirects are followed with the same cookies. ``data``: a dict (a form)
        or bytes sent as they are (headers say their type); ``raw``: the body as bytes."""
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = data if isinstance(data, bytes) or data is None else urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(url, data=body, headers=headers)
        try:
            response = self.opener.open(request, timeout=timeout)
        except urllib.error.HTTPError as error:
            response = error
        with response:
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in http.cookies.SimpleCookie(header).items():
                    if morsel["max-age"] == "0" or not morsel.value:
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
            status, content = response.status, response.read()
            location = response.headers.get("Location")
        if status in (301, 302, 303) and location and follow:
            return self.request(urljoin(url, location), timeout=timeout, follow=follow - 1, raw=raw)
        return status, content if raw else content.decode(errors="replace"), url

    def get(self, url, **kwargs):
        return self.request(url, **kwargs)

    def post(self, url, form, **kwargs):
        """POSTs a form with the CSRF token of the page at url (its referer)."""
        form = {**form, "csrfmiddlewaretoken": self.csrf_token(url)}
        return self.request(url, data=form, headers={"Referer": url}, **kwargs)

    def form_post(self, page_url, action_url, form):
        form = {**form, "csrfmiddlewaretoken": self.csrf_token(page_url)}
        return self.request(action_url, data=form, headers={"Referer": page_url})

    def post_files(self, url, form, files):
        """POSTs a multipart form (``files``: {field: (file name, bytes, content type)}) to the page at url
        with its CSRF token, as a browser's file input does."""
        boundary = f"----cluster{uuid.uuid4().hex}"
        parts = []
        for name, value in {**form, "csrfmiddlewaretoken": self.csrf_token(url)}.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
            parts.append(str(value).encode() + b"\r\n")
        for name, (filename, content, kind) in files.items():
            head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            parts.append(f"{head}Content-Type: {kind}\r\n\r\n".encode() + content + b"\r\n")
        parts.append(f"--{boundary}--\r\n".encode())
        headers = {"Referer": url, "Content-Type": f"multipart/form-data; boundary={boundary}"}
        return self.request(url, data=b"".join(parts), headers=headers)

    def csrf_token(self, url):
        status, body, _ = self.get(url)
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        assert found, f"no CSRF token on {url} ({status})"
        return found.group(1)

    def login(self, base, username, password="demo-2026"):
        return self.post(base + "/accounts/login/", {"username": username, "password": password})
