"""HTTP routes, one module (one Chalice blueprint) per resource."""
