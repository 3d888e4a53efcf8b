"""Geocoding: the address text people type → a point of the address register."""
