"""Importers: data files in layouts others publish, checked in full before anything is written."""
