"""`make security`: what was tried against the production server and what held."""
