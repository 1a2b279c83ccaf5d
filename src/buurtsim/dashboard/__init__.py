"""The Solara dashboard: explore one neighbourhood, compare two scenarios (A/B), read the model
info, and (when present) follow a lesson. Serve it with `buurtsim dashboard`.

Modules: `app` (the page and its tabs), `components` (Solara components), `state` (per-session
reactive state), `runner` (runs and A/B comparisons, UI-free), `sources` (scenarios in and out),
`drawing` (matplotlib pictures), `widgets` (clickable picture, file upload), `i18n` (all text,
Dutch and English). The model never imports this package.
"""
