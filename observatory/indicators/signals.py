from django.dispatch import Signal

# Sent when a vintage has been published (its computation ended done), with `vintage_id`: later stages (the open
# data's bulk files) queue their own work for after the commit.
vintage_published = Signal()
