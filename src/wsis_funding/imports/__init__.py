"""Reading what arrives from outside into frozen values: bank statements and spreadsheets.

Pure parsers, no database: ISO 20022 camt.053/054 statements (:mod:`.camt`), and the finance
officer's CSV and XLSX files of partners, pledges and rates (:mod:`.sheets`). The use cases in
``wsis_funding.services`` turn what they read into the books. Importing this package loads
nothing heavy: lxml, openpyxl and XlsxWriter are imported where a file is read or written.
"""
