from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import audit, roles
from .forms import ApplicantRegistrationForm


def home(request):
    return render(request, "portal/home.html")


def register(request):
    if request.user.is_authenticated:
        return redirect("dashboard")
    form = ApplicantRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("注册成功，欢迎使用技能认定门户。"))
        return redirect("dashboard")
    return render(request, "portal/register.html", {"form": form})


@login_required
def dashboard(request):
    """Sends each role to its home."""
    role = roles.primary_role(request.user)
    if role is None and request.user.is_staff:
        return redirect("admin:index")
    return render(request, "portal/dashboard.html", {"role": role, "role_label": roles.ROLE_LABELS.get(role)})


@login_required
def notifications(request):
    rows = request.user.notifications.all()
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    return render(request, "portal/notifications.html", {"page": page})


@login_required
@require_POST
def notifications_read(request):
    audit.mark_all_read(request.user)
    return redirect("notifications")


def error_403(request, exception=None):
    return render(request, "403.html", {"message": str(exception or "")}, status=403)
