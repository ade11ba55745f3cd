"""
The three roles as Django groups, with their permissions.

Self-contained: it uses the historical models only, and creates the
permissions itself (Django adds them only after all migrations have run).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITING = [
    ("content", "page", ["add", "change", "view"]),
    ("content", "source", ["add", "change", "delete", "view"]),
    ("glossary", "term", ["add", "change", "view"]),
    ("workflow", "reviewrequest", ["view"]),
    ("workflow", "translationupdate", ["view"]),
]
ROLES = {
    # Writes and submits for review; cannot publish, unpublish, restore or delete.
    "Author": EDITING,
    # Also approves or requests changes (never their own change), and reads the audit log.
    "Medical reviewer": EDITING
    + [("workflow", "reviewrequest", ["approve_change"]), ("workflow", "auditentry", ["view"])],
    # Publishes and unpublishes, schedules, restores, deletes, keeps redirects; reads the audit log.
    "Publisher": EDITING
    + [
        ("content", "page", ["delete"]),
        ("glossary", "term", ["delete"]),
        ("workflow", "reviewrequest", ["publish_page"]),
        ("workflow", "auditentry", ["view"]),
        ("workflow", "slugredirect", ["add", "change", "delete", "view"]),
    ],
}
CUSTOM = {"approve_change", "publish_page"}


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, grants in ROLES.items():
        group, _created = Group.objects.get_or_create(name=name)
        for app_label, model, actions in grants:
            codenames = [action if action in CUSTOM else f"{action}_{model}" for action in actions]
            group.permissions.add(
                *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
            )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0001_reviews_audit_redirects"),
        ("glossary", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_roles, remove_roles)]
