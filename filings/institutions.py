"""What the rest of the portal asks the filings app about an institution (small functions, so other
apps never reach into the filing models)."""


def registration_refusal(credit_code: str) -> str | None:
    """Why an account may not be registered for this credit code, or None. The blacklist of revoked
    institutions (seed 001 第二十四条) arrives with the filings issues."""
    return None
