"""Helpers the tests share: HTML reading, admin forms, Chromium, the XSS corpus, ..."""
