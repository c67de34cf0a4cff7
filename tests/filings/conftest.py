import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The people fixtures hash passwords; PBKDF2 would dominate these tests' time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
