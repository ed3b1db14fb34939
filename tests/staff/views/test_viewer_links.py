"""The staff viewer is never shown a link it cannot open: every staff page a viewer reaches
from /staff/ answers, and none offers a form the viewer's role would refuse."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from channels_admin.models import Account, Channel
from restrictions.services import apply_restriction, file_appeal

pytestmark = pytest.mark.django_db


def test_every_staff_link_a_viewer_sees_opens(client):
    # given the demo with a restriction and an appeal, so the case, restriction and appeal pages have rows
    call_command("seed_demo", verbosity=0)
    lead = Account.objects.get(email="lead@demo.example")
    restriction = apply_restriction(actor=lead, channel=Channel.objects.get(handle="demo-cafe"), type="activity",
                                    scope=["posts"], reason="terms", days=30)
    file_appeal(restriction=restriction, account=Account.objects.get(email="cafe@demo.example"), text="Please check.")
    client.post(reverse("login"), {"username": "viewer@demo.example", "password": "demo-pass-2023"})

    # when the viewer follows every staff link from the home page
    seen, todo, refused, forms = set(), ["/staff/"], [], []
    while todo and len(seen) < 200:
        url = todo.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code >= 400:
            refused.append((url, response.status_code))
            continue
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        body = response.content.decode()
        forms += [(url, action) for action in re.findall(r'<form[^>]*method="post"[^>]*action="(/staff/[^"]+)"', body)]
        todo += [href for href in re.findall(r'href="(/staff/[^"#?]*)', body) if href not in seen]

    # then each opens, and no page offers the viewer a change
    assert len(seen) > 10
    assert refused == []
    assert forms == []
