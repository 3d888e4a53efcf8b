"""Members and privacy: accounts, the joining workflow, member lists, the audit log and GDPR."""
