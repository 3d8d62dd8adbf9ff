from django.dispatch import Signal

# Sent inside the transaction that created or updated source records (an import or a re-normalisation), with
# `run_id`: later stages (reconciliation, indicators) queue their own work for after the commit.
records_changed = Signal()
