"""Assignment: a point, a street or a list of people → the group(s) that cover them."""
