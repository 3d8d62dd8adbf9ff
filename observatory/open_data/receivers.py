from django.dispatch import receiver

from observatory.indicators.signals import vintage_published

from .services import open_data_release_create


@receiver(vintage_published, dispatch_uid="open_data_after_publication")
def release_after_publication(sender, vintage_id: int, **kwargs) -> None:
    """Every publication gets its bulk files and victim-level rows, built after the commit."""
    open_data_release_create(vintage_id=vintage_id)
