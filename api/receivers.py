from django.dispatch import receiver

from observatory.indicators.latest_vintage import latest_vintage_forget
from observatory.indicators.signals import vintage_published


@receiver(vintage_published, dispatch_uid="api_aggregates_after_publication")
def aggregates_after_publication(sender, vintage_id: int, **kwargs) -> None:
    """The public aggregates' answers and the public pages are cached per vintage: from now on, the new vintage's
    are read."""
    latest_vintage_forget()
