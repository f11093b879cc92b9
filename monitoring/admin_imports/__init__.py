"""The admin screens of monitoring imports: upload with a dry run and a commit, the import
log with rollback, and downloadable file templates for every kind."""
