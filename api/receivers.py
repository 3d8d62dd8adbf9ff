from django.dispatch import receiver

from observatory.indicators.signals import vintage_published

from .caching import latest_vintage_forget


@receiver(vintage_published, dispatch_uid="api_aggregates_after_publication")
def aggregates_after_publication(sender, vintage_id: int, **kwargs) -> None:
    """The public aggregates' answers are cached per vintage: from now on, the new vintage's are read."""
    latest_vintage_forget()
