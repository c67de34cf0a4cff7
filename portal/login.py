"""Login with a limit on failed attempts, per username and per client address (seed-independent
security requirement: brute force on applicant accounts)."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from .ratelimit import client_ip

MAX_FAILURES = 5  # failed attempts allowed ...
LOCK_SECONDS = 15 * 60  # ... within this window, per username and per address


def _keys(request, username):
    return [f"login-fail:user:{(username or '').lower()}", f"login-fail:ip:{client_ip(request)}"]


def is_locked(request, username) -> bool:
    return any((cache.get(key) or 0) >= MAX_FAILURES for key in _keys(request, username))


def count_failure(request, username) -> None:
    for key in _keys(request, username):
        cache.add(key, 0, LOCK_SECONDS)
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, LOCK_SECONDS)


def clear_failures(request, username) -> None:
    cache.delete_many(_keys(request, username))


class LimitedAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": _("登录失败次数过多，请 15 分钟后再试，或通过“忘记密码”重置密码。"),
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        if is_locked(self.request, username):
            raise forms.ValidationError(self.error_messages["locked"], code="locked")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            count_failure(self.request, username)
            raise
        clear_failures(self.request, username)
        return cleaned


class PortalLoginView(LoginView):
    form_class = LimitedAuthenticationForm
    redirect_authenticated_user = True
