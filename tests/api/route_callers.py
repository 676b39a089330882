"""Where the tests that walk every route (the access matrix, the OpenAPI check)
call from: a grid inside each role's demo scope, and one outside every scope."""

from tests.api.access_rows import EVERYONE

OTHER_COUNTY = "610102"
OUTSIDE = f"{OTHER_COUNTY}101201"  # a village of another county: outside every demo scope
INSIDE = {role: "140825102201" for role in EVERYONE} | {"grid_worker": "1408251022010101"}
