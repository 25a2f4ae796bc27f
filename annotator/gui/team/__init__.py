"""Team projects on a PostgreSQL server."""
