"""Login with limits on failed attempts (seed-independent security requirement: brute force and password
spraying on applicant accounts), kept in the cache:

- per client address: at most ``ADDRESS_MAX_FAILURES`` failures in a window of ``ADDRESS_WINDOW_SECONDS``
  counted from the first one. A successful login does not reset the count (an attacker with an account
  of their own could otherwise spray passwords across usernames by logging in between guesses); the
  count expires with its window.
- per username: no hard lock (a stranger could then shut ``centre`` or ``bureau`` out for a quarter of
  an hour), but progressive delays: after ``USERNAME_FREE_FAILURES`` failures, each further attempt
  must wait the next delay of ``USERNAME_DELAYS_SECONDS`` after the last failure. An attempt during the
  delay is refused without checking the password (a correct one too) and does not count as a failure.
  The count is forgotten ``USERNAME_WINDOW_SECONDS`` after the last failure, or at a successful login.

The limits hold at the authentication layer (``LimitedModelBackend``, the one entry of
AUTHENTICATION_BACKENDS), so every way into an account shares them: the portal login, the admin login
(issue 30, finding 1) and any later caller of ``authenticate()``; the password change's old-password
check counts and waits the same (``LimitedPasswordChangeForm``). The login forms check the same waits
first only to say in Chinese how long to wait.
"""

import math
import time

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.contrib.auth.views import LoginView, PasswordChangeView
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .ratelimit import client_key

# The numbers of the limits, in one place. An office behind one NAT address shares the address budget,
# hence more than a single person's typing mistakes; spraying from one address is held to 10 guesses
# a quarter of an hour whatever the number of accounts it tries, or logs into in between.
ADDRESS_MAX_FAILURES = 10  # failed log-ins allowed per client address ...
ADDRESS_WINDOW_SECONDS = 15 * 60  # ... within this window (from its first failure)
# A username's own typing mistakes pass freely; then each further attempt waits longer (seconds after
# the last failure), up to the last delay, which repeats. A stranger can hold an account back by at
# most that last delay at a time, never lock it.
USERNAME_FREE_FAILURES = 5
USERNAME_DELAYS_SECONDS = (5, 10, 20, 40, 60)
USERNAME_WINDOW_SECONDS = 15 * 60  # the username's count is forgotten this long after its last failure


def _address_key(request) -> str:
    return f"login-fail:ip:{client_key(request)}"


def _username_key(username) -> str:
    return f"login-fail:user:{(username or '').lower()}"


def _incr(key: str, timeout: int) -> int:
    cache.add(key, 0, timeout)
    try:
        return cache.incr(key)  # keeps the key's expiry (Redis INCR, local memory alike)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout)
        return 1


def username_delay(failures: int) -> int:
    """Seconds to wait after the ``failures``-th failure for a username (0: none)."""
    if failures < USERNAME_FREE_FAILURES:
        return 0
    step = min(failures - USERNAME_FREE_FAILURES, len(USERNAME_DELAYS_SECONDS) - 1)
    return USERNAME_DELAYS_SECONDS[step]


def address_wait(request) -> int:
    """Seconds until this address may try again (0: it may; always 0 without a request)."""
    if request is None:
        return 0
    key = _address_key(request)
    if (cache.get(key) or 0) < ADDRESS_MAX_FAILURES:
        return 0
    ends = cache.get(f"{key}:ends") or 0
    return max(1, math.ceil(ends - time.time()))


def username_wait(username) -> int:
    """Seconds until this username may be tried again (0: it may)."""
    if not username:
        return 0
    until = cache.get(f"{_username_key(username)}:until") or 0
    remaining = until - time.time()
    return math.ceil(remaining) if remaining > 0 else 0


def count_failure(request, username) -> None:
    now = time.time()
    if request is not None:
        key = _address_key(request)
        cache.add(f"{key}:ends", now + ADDRESS_WINDOW_SECONDS, ADDRESS_WINDOW_SECONDS)
        _incr(key, ADDRESS_WINDOW_SECONDS)
    if not username:
        return
    key = _username_key(username)
    failures = _incr(key, USERNAME_WINDOW_SECONDS)
    cache.touch(key, USERNAME_WINDOW_SECONDS)
    delay = username_delay(failures)
    if delay:
        cache.set(f"{key}:until", now + delay, delay)


def count_success(request, username) -> None:
    """The user proved the password: their username's delays end. The address count stays."""
    key = _username_key(username)
    cache.delete_many([key, f"{key}:until"])


class LimitedModelBackend(ModelBackend):
    """Django's password check behind the limits: during a wait it refuses without checking the
    password (PermissionDenied stops authenticate() at once) and counts nothing; otherwise a wrong
    password counts towards the address and the username, a right one ends the username's delays."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        if address_wait(request) or username_wait(username):
            raise PermissionDenied
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            count_failure(request, username)
        else:
            count_success(request, username)
        return user


def wait_error(request, username) -> forms.ValidationError | None:
    """Why the limits refuse this address or username now, with how long to wait (None: they do not)."""
    wait = address_wait(request)
    if wait:
        minutes = math.ceil(wait / 60)
        return forms.ValidationError(
            _("从您的网络地址登录失败次数过多，请 %(minutes)s 分钟后再试，或通过“忘记密码”重置密码。")
            % {"minutes": minutes},
            code="locked",
        )
    wait = username_wait(username)
    if wait:
        return forms.ValidationError(
            _("该账号登录失败次数过多，为保护账号安全，请等待 %(seconds)s 秒后再试。") % {"seconds": wait},
            code="delayed",
        )
    return None


class LimitedLoginMixin:
    """A login form that says why the backend refuses: how long this address or username must wait."""

    def clean(self):
        error = wait_error(self.request, self.cleaned_data.get("username"))
        if error:
            raise error
        return super().clean()


class LimitedAuthenticationForm(LimitedLoginMixin, AuthenticationForm):
    pass


class LimitedAdminAuthenticationForm(LimitedLoginMixin, AdminAuthenticationForm):
    """The admin site's login form (portal/admin.py sets it on admin.site)."""


class LimitedPasswordChangeForm(PasswordChangeForm):
    """The old password of the password change is a password check too: the same limits hold (a
    borrowed session must not guess it freely)."""

    request = None  # set by LimitedPasswordChangeView

    def clean_old_password(self):
        username = self.user.get_username()
        error = wait_error(self.request, username)
        if error:
            raise error
        try:
            old_password = super().clean_old_password()
        except forms.ValidationError:
            count_failure(self.request, username)
            raise
        count_success(self.request, username)
        return old_password


class LimitedPasswordChangeView(PasswordChangeView):
    form_class = LimitedPasswordChangeForm

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.request = self.request
        return form


class PortalLoginView(LoginView):
    form_class = LimitedAuthenticationForm
    redirect_authenticated_user = True
