"""The foundation: the audit trail, staff roles and permissions, signed webhooks, the COPY
writer. Every app of the project may import it; it imports none of them."""
