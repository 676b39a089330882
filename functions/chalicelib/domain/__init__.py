"""The rules of grid governance, in plain Python: no AWS, no HTTP."""
