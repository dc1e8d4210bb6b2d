"""The KP Data Django project."""
