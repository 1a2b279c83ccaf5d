"""The weekly processes of the model, one module each, as functions over the state arrays."""
