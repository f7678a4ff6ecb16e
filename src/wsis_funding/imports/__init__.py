"""Imports: turn files that people bring (spreadsheets, later bank statements) into frozen values.

Everything here is pure: it reads bytes and returns records or problems, and never touches
the books. :mod:`wsis_funding.imports.sheets` reads and writes the CSV and XLSX files of
partners, pledges and exchange rates.
"""
