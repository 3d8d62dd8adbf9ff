"""A database connection lost under a job (the server restarted, the session was terminated): told apart from
other database errors, so that the job is recorded as failed on a new connection and its task tried again."""

from django.db import InterfaceError, OperationalError, connection

# What a query raises when its connection is gone; a task retries on these (the server may take seconds to return).
CONNECTION_LOST_ERRORS = (OperationalError, InterfaceError)


def connection_lost(error: BaseException) -> bool:
    """Whether `error` came from losing the default connection. If so the connection is closed, so that the next
    query opens a new one. Inside a transaction nothing is closed: the transaction's end does that."""
    if not isinstance(error, CONNECTION_LOST_ERRORS) or connection.in_atomic_block:
        return False
    if connection.connection is not None and connection.is_usable():
        return False
    connection.close()
    return True
