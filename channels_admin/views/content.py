"""What channels publish: posts, broadcasts, the profile and paid services, plus the
manager's view of their restrictions and the appeal form.

Every feature endpoint checks the restrictions for its scope on the server (the service
checks again inside its transaction); a blocked manager gets a page that says which
restriction blocks them, why, until when, and how to appeal.
"""

from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.fragments import render_rows
from restrictions import selectors as restriction_selectors
from restrictions import services as restriction_services
from restrictions.models import Scope
from restrictions.services.errors import FeatureBlocked

from .. import selectors
from ..content_forms import AppealForm, BroadcastForm, PaidServiceForm, PostForm, ProfileForm
from ..models import Post
from ..services import content as services

LIST_LIMIT = 100


def _blocked(request, channel, restriction):
    return render(
        request,
        "channels_admin/content/blocked.html",
        {"channel": channel, "restriction": restriction},
        status=HTTPStatus.FORBIDDEN,
    )


def _blocker(request, channel, feature):
    """What blocks ``feature`` for the manager here (hides the forms), from the restrictions the
    page's banners read, kept between requests. The services check again, in the database."""
    restrictions = restriction_selectors.list_open_restrictions_for_channel(channel=channel, account=request.user)
    return restriction_selectors.blocking_among(restrictions, feature=feature)


def _save(request, form, channel, call):
    """Run a content service for a bound form; map its refusals onto the form. Returns the
    result, a blocked-page response, or None when the form shows errors."""
    try:
        return call()
    except FeatureBlocked as exc:
        return _blocked(request, channel, exc.restriction)
    except services.ContentError as exc:
        form.add_error(None, str(exc))
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    return None


@login_required
def post_list(request, handle):
    channel = selectors.get_channel_for_account(account=request.user, handle=handle)
    posts = list(channel.posts.visible().order_by("-created_at", "-id")[:LIST_LIMIT])
    blocker = _blocker(request, channel, Scope.POSTS)
    rows = render_rows("channels_admin/rows/post.html", posts, present=list, name="post",
                       shared={"can_edit": blocker is None, "handle": channel.handle})
    return render(request, "channels_admin/content/post_list.html", {"channel": channel, "rows": rows, "blocker": blocker})


@login_required
def post_form(request, handle, post_id=None):
    channel = selectors.get_channel_for_account(account=request.user, handle=handle)
    post = get_object_or_404(Post.objects.visible(), pk=post_id, channel=channel) if post_id else None
    blocker = _blocker(request, channel, Scope.POSTS)
    if blocker is not None:
        return _blocked(request, channel, blocker)
    form = PostForm(request.POST or None, instance=post)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if post is None:
            result = _save(request, form, channel, lambda: services.create_post(actor=request.user, channel=channel, **data))
        else:
            result = _save(request, form, channel, lambda: services.edit_post(actor=request.user, post=post, **data))
        if isinstance(result, HttpResponse):
            return result
        if result is not None:
            messages.success(request, _("The post is saved."))
            return redirect("channels_admin:post_list", handle=channel.handle)
    return render(request, "channels_admin/content/post_form.html", {"channel": channel, "form": form, "post": post})


@login_required
def broadcast_list(request, handle):
    channel = selectors.get_channel_for_account(account=request.user, handle=handle)
    blocker = _blocker(request, channel, Scope.BROADCAST)
    form = BroadcastForm(request.POST or None)
    if request.method == "POST":
        if blocker is not None:
            return _blocked(request, channel, blocker)
        if form.is_valid():
            text = form.cleaned_data["text"]
            result = _save(request, form, channel, lambda: services.send_broadcast(actor=request.user, channel=channel, text=text))
            if result is not None and not isinstance(result, HttpResponse):
                messages.success(request, _("The message was sent to the channel's followers."))
                return redirect("channels_admin:broadcast_list", handle=channel.handle)
            if result is not None:
                return result
    broadcasts = list(
        channel.broadcasts.visible().select_related("author").order_by("-created_at", "-id")
        .only("id", "channel_id", "text", "created_at", "taken_down_at", "author_id", "author__id", "author__email")[:LIST_LIMIT]
    )
    rows = render_rows("channels_admin/rows/broadcast.html", broadcasts, present=list, name="b")
    return render(
        request,
        "channels_admin/content/broadcast_list.html",
        {"channel": channel, "rows": rows, "form": form, "blocker": blocker},
    )


@login_required
def profile_form(request, handle):
    channel = selectors.get_channel_for_account(account=request.user, handle=handle)
    blocker = _blocker(request, channel, Scope.PROFILE)
    if request.method == "POST" and blocker is not None:
        return _blocked(request, channel, blocker)
    form = ProfileForm(request.POST or None, instance=selectors.get_channel_for_account(account=request.user, handle=handle))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        result = _save(request, form, channel, lambda: services.update_profile(actor=request.user, channel=channel, **data))
        if result is not None and not isinstance(result, HttpResponse):
            messages.success(request, _("The channel profile is saved."))
            return redirect("channels_admin:channel_detail", handle=channel.handle)
        if result is not None:
            return result
    return render(request, "channels_admin/content/profile_form.html", {"channel": channel, "form": form, "blocker": blocker})


@login_required
def paid_service_list(request, handle):
    channel = selectors.get_channel_for_account(account=request.user, handle=handle)
    blocker = _blocker(request, channel, Scope.PAID_SERVICES)
    form = PaidServiceForm(request.POST or None)
    if request.method == "POST":
        if blocker is not None:
            return _blocked(request, channel, blocker)
        if form.is_valid():
            data = form.cleaned_data
            result = _save(request, form, channel, lambda: services.create_paid_service(actor=request.user, channel=channel, **data))
            if result is not None and not isinstance(result, HttpResponse):
                messages.success(request, _("The paid service is created."))
                return redirect("channels_admin:paid_service_list", handle=channel.handle)
            if result is not None:
                return result
    services_list = list(channel.paid_services.visible().order_by("-created_at", "-id")[:LIST_LIMIT])
    rows = render_rows("channels_admin/rows/paid_service.html", services_list, present=list, name="s")
    return render(
        request,
        "channels_admin/content/paid_service_list.html",
        {"channel": channel, "rows": rows, "form": form, "blocker": blocker},
    )


@login_required
def restriction_list(request):
    restrictions = list(restriction_selectors.list_restrictions_for_manager(account=request.user)[:LIST_LIMIT])
    # Each row drawn once for what it shows (its labels, its end in the reader's language and zone).
    rows = render_rows("channels_admin/rows/restriction.html", restrictions, present=list, name="r")
    return render(request, "channels_admin/content/restriction_list.html", {"rows": rows})


@login_required
def restriction_detail(request, pk):
    restriction = restriction_selectors.get_restriction_for_manager(account=request.user, pk=pk)
    return _render_restriction(request, restriction, AppealForm())


def _render_restriction(request, restriction, form, status=HTTPStatus.OK):
    appeal = getattr(restriction, "appeal", None)
    deadline = restriction_services.appeal_deadline(restriction)
    can_appeal = appeal is None and deadline is not None and timezone.now() <= deadline
    takedowns = [t for t in restriction_selectors.list_takedowns(restriction=restriction) if t.is_open]
    return render(
        request,
        "channels_admin/content/restriction_detail.html",
        {
            "restriction": restriction,
            "appeal": appeal,
            "deadline": deadline,
            "can_appeal": can_appeal,
            "form": form,
            "takedowns": takedowns,
        },
        status=status,
    )


@login_required
@require_POST
def file_appeal(request, pk):
    restriction = restriction_selectors.get_restriction_for_manager(account=request.user, pk=pk)
    form = AppealForm(request.POST)
    if form.is_valid():
        try:
            restriction_services.file_appeal(restriction=restriction, account=request.user, text=form.cleaned_data["text"])
        except restriction_services.RestrictionError as exc:
            form.add_error("text", str(exc))
        else:
            messages.success(request, _("Your appeal is filed. A senior moderator will decide on it, and you will be told."))
            return redirect("channels_admin:restriction_detail", pk=restriction.pk)
    restriction = restriction_selectors.get_restriction_for_manager(account=request.user, pk=pk)
    return _render_restriction(request, restriction, form, status=HTTPStatus.BAD_REQUEST)
