"""The KP Data app: the domain model, the REST API and the commands that load and keep the data."""
