"""The pages of filings, one module per procedure: application (apply, review, publicity, record)
and after_filing (changes, renewal, termination, sanctions, complaints, supervision)."""
