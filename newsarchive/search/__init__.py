"""Full-text search of the archive: index terms (`tokens`), the query language (`parse`), the
index kept in the database (`index`) and searches over it (`run`).

Light on purpose: `newsarchive search` imports this package, and neither Scrapy nor SQLAlchemy
(a search of an SQLite archive goes through `sqlite3` itself, `run`).
"""
