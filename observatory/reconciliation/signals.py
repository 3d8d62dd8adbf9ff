from django.dispatch import Signal

# Sent inside the transaction of a linkage run or review decision that created, changed or retired victims, with
# `run_id`: later stages (indicators) queue their own work for after the commit.
victims_changed = Signal()
