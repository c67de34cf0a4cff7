# Models of this app arrive with its issue; see README.md for what it owns.
