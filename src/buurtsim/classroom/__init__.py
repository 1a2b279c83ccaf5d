"""Classroom mode: a lecturer runs a lesson with a whole class at once (`buurtsim klas`).

Students join from their own browsers with the join code and a nickname, predict, run the model
(one run each, queued, with a fixed size) and see their outcomes; the lecturer's view (its own
token) shows the class's predictions per question as they arrive and reveals the model's outcome
to everyone. The class record is saved as JSON, CSV and Markdown after every change.

- `session.ClassSession`: the state (no web code)
- `runs.RunQueue`: the run queue (worker processes, a visible position)
- `record`: the files on disk (formula-safe CSV, escaped Markdown, atomic writes)
- `server.ClassServer`: the pages and their JSON (Starlette, served by uvicorn)
"""
