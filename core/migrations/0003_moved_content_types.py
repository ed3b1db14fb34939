"""The Django admin's history and any permissions point at a model through its content type:
move the content types of the models that came here and to ``staff`` with them, instead of
leaving stale ``restrictions.*`` rows behind and new empty ones beside them."""

from django.db import migrations

MOVED = [
    ("restrictions", "auditentry", "core"),
    ("channels_admin", "webhookreceipt", "core"),
    ("restrictions", "queueitem", "staff"),
    ("restrictions", "report", "staff"),
    ("restrictions", "fraudrule", "staff"),
]


def relabel(apps, schema_editor, *, backwards=False):
    content_type = apps.get_model("contenttypes", "ContentType")
    for old, model, new in MOVED:
        source, target = (new, old) if backwards else (old, new)
        if content_type.objects.filter(app_label=target, model=model).exists():
            continue  # already created under the new label (a fresh database): nothing to carry over
        content_type.objects.filter(app_label=source, model=model).update(app_label=target)


def forward(apps, schema_editor):
    relabel(apps, schema_editor)


def backward(apps, schema_editor):
    relabel(apps, schema_editor, backwards=True)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0002_audit_append_only"),
        ("staff", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
