"""Alembic environment: runs on the connection the vault hands over (never a URL)."""

from alembic import context

# The vault layer sits below the models, so it does not import them; a developer running
# autogenerate passes ``target_metadata`` (``mhsw_desktop.domain.models.Base.metadata``).
connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=context.config.attributes.get("target_metadata"),
    render_as_batch=True,
)
with context.begin_transaction():
    context.run_migrations()
