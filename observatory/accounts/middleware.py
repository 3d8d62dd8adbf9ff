"""Searches in the admin are audited, whatever the model: a search by an ID number or a name is a lookup of a
person even where the list it filters holds no personal data (docs/privacy.md)."""

from django.urls import reverse

from .services import audit_personal_data_read


class AdminSearchAudit:
    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = None

    def __call__(self, request):
        response = self.get_response(request)
        if self.admin_prefix is None:
            self.admin_prefix = reverse("admin:index")
        term = request.GET.get("q", "").strip()
        if term and request.user.is_authenticated and request.path.startswith(self.admin_prefix):
            audit_personal_data_read(
                request=request,
                action="admin.search",
                target_type="admin_list",
                target_id=request.path,
                detail={"search": term, "status": response.status_code},
            )
        return response
