from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.admin import TokenAdmin
from rest_framework.authtoken.models import TokenProxy

from observatory.client_address import client_address

from .admin_access import PersonalDataAdminMixin, ReadOnlyAdminMixin
from .models import ApiKey, AuditEvent, User
from .roles import Role
from .services import api_key_create, audit_record, user_set_role


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "email", "role", "source_code", "is_active", "last_login")
    list_filter = ("role", "source_code", "is_active")
    filter_horizontal = ("jurisdictions",)
    fieldsets = (
        *DjangoUserAdmin.fieldsets[:2],
        (_("Role"), {"fields": ("role", "source_code", "jurisdictions", "is_active")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (*DjangoUserAdmin.add_fieldsets, (_("Role"), {"fields": ("role", "source_code")}))

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        """An uploader's source is chosen among the sources there are: a code typed with a typo saved an account
        that could upload for nothing."""
        if db_field.name != "source_code":
            return super().formfield_for_dbfield(db_field, request, **kwargs)
        # From the app registry, not imported: the records import the accounts (roles), not the other way.
        sources = apps.get_model("records", "Source").objects.order_by("name")
        return forms.ChoiceField(
            label=db_field.verbose_name,
            help_text=db_field.help_text,
            required=False,
            choices=[("", "---------"), *((source.code, f"{source.label} ({source.code})") for source in sources)],
        )

    def save_model(self, request, obj, form, change):
        """Roles go through the service, so staff flags follow the role and the change is audited."""
        role, source_code = obj.role, obj.source_code
        super().save_model(request, obj, form, change)
        if not change or {"role", "source_code"} & set(form.changed_data):
            user_set_role(
                user=obj,
                role=Role(role),
                source_code=source_code,
                changed_by=request.user,
                ip_address=client_address(request),
            )


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ("name", "prefix", "active", "created_at", "last_used_at")
    list_filter = ("active",)
    fields = ("name", "active")

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            audit_record(
                actor=request.user,
                action="api_key.changed",
                target_type="api_key",
                target_id=obj.pk,
                detail={"active": obj.active},
                ip_address=client_address(request),
            )
            return
        created, raw_key = api_key_create(name=obj.name, created_by=request.user)
        obj.pk = created.pk
        self.message_user(
            request, _("Copy the key now, it is not shown again: %(key)s") % {"key": raw_key}, messages.WARNING
        )


@admin.register(AuditEvent)
class AuditEventAdmin(PersonalDataAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """The events' details can hold what was searched for (an ID number, a name): reading them is audited too."""

    list_display = ("at", "actor_label", "action", "target_type", "target_id", "ip_address")
    list_filter = ("action",)
    search_fields = ("actor_label", "target_id")
    date_hierarchy = "at"


admin.site.unregister(TokenProxy)


@admin.register(TokenProxy)
class InstitutionTokenAdmin(TokenAdmin):
    """An institution's API token is shown once, when it is made, and then only by its first characters: the list
    showed every token whole to whoever opened it."""

    list_display = ("key_start", "user", "created")

    @admin.display(description=_("token"))
    def key_start(self, token: TokenProxy) -> str:
        return f"{token.key[:6]}…"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            self.message_user(
                request,
                _("Copy the token of %(user)s now, it is not shown again: %(key)s")
                % {"user": obj.user, "key": obj.key},
                messages.WARNING,
            )
