"""
Give a user one of the three editorial roles, the groups of workflow/migrations/0002_roles.py, and make them staff:

    python manage.py assign_role dr.jensen reviewer [--remove]
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from workflow.models import ROLES


class Command(BaseCommand):
    help = "Give a user an editorial role: author, reviewer or publisher (--remove takes it away)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("role", choices=sorted(ROLES))
        parser.add_argument("--remove", action="store_true", help="Take the role away instead.")

    def handle(self, *args, username, role, remove, **options):
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(f"No user called “{username}”. Create it first: manage.py createsuperuser "
                               "or the admin's Users page.") from None  # fmt: skip
        try:
            group = Group.objects.get(name=ROLES[role])
        except Group.DoesNotExist:
            raise CommandError(f"The group “{ROLES[role]}” is missing: run manage.py migrate.") from None
        if remove:
            user.groups.remove(group)
            self.stdout.write(f"{username} is no longer in “{group.name}”.")
            return
        user.groups.add(group)
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        self.stdout.write(
            f"{username} is now in “{group.name}” (roles: {', '.join(user.groups.values_list('name', flat=True))})."
        )
