"""Granting model permissions to the role groups from data migrations. Each app's migration that
adds models calls :func:`grant` with the permissions its roles need, so the groups grow with the apps."""


def grant(apps, schema_editor, grants: dict[str, list[str]]) -> None:
    """grants: {group name: ["app_label.codename", ...]}. Creates missing permissions first, because
    post_migrate (which normally creates them) has not run yet inside a migration."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, perms in grants.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for perm in perms:
            app_label, codename = perm.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def ensure_role_groups(using="default", **kwargs) -> None:
    """Creates the role groups when they are missing (after a flush); their permissions were granted
    by the migrations and are only needed for the admin."""
    from django.contrib.auth.models import Group

    from .roles import ALL_ROLES

    for name in ALL_ROLES:
        Group.objects.using(using).get_or_create(name=name)
