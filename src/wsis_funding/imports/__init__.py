"""Imports: files from outside (bank statements, spreadsheets) parsed into frozen values.

Everything here is pure: it reads bytes and returns values, and never touches the books. The
subpackages are imported on demand (``wsis_funding.imports.camt`` for ISO 20022 bank
statements), so importing this package costs nothing.
"""
