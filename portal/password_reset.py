"""Password reset with limits (issue 30, finding 5): one mail per account per few minutes, a budget per
client address, and the same answer whether an account exists, was mailed or was held back, so the
page neither enumerates accounts nor lets anyone flood a mailbox.

The reset mail is sent by Django's form straight away, not through portal.outbox: the outbox keeps the
body, which here holds a live reset link, and centre staff may read the outbox in the admin."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.core.cache import cache
from django.http import HttpResponseRedirect

from . import ratelimit

# The numbers of the limits, in one place.
MAIL_INTERVAL_SECONDS = 5 * 60  # at most one reset mail per account this often, whoever asks
ADDRESS_RATE = "10/h"  # reset requests per client address (an office behind one NAT address shares it)


def mail_allowed(user) -> bool:
    """True once per MAIL_INTERVAL_SECONDS for each account (atomic: cache.add on Redis too)."""
    return cache.add(f"password-reset:mail:{user.pk}", 1, MAIL_INTERVAL_SECONDS)


def address_over_limit(request) -> bool:
    return ratelimit.request_hit(request, "password-reset", ADDRESS_RATE)


class LimitedPasswordResetForm(PasswordResetForm):
    def get_users(self, email):
        return (user for user in super().get_users(email) if mail_allowed(user))


class LimitedPasswordResetView(auth_views.PasswordResetView):
    """A request over the address budget sends nothing and is answered like any other."""

    form_class = LimitedPasswordResetForm

    def form_valid(self, form):
        if address_over_limit(self.request):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)
