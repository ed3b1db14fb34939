from celery import shared_task

from .audit_anchor import write_checkpoint


@shared_task(name="core.checkpoint_audit_chain")
def checkpoint_audit_chain() -> dict | None:
    """The beat's anchor of the audit trail: the head of the chain, written outside the database."""
    return write_checkpoint()
