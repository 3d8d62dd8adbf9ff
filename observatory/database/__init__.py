"""PostgreSQL helpers that know none of the observatory's apps: COPY in binary form, model rows through COPY."""
