"""Inference: fitting the model's assumed parameters to published figures (`buurtsim calibrate`)."""
