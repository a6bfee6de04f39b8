"""The human correction loop's front end: a keyboard-first review web app and the Label Studio round trip.

`app.build_app(store, config)` makes the web app (Starlette, server-rendered
pages, every asset served by itself) over the store's review queue
(`extract.ingest.review_queue`); decisions go through `extract.ingest.decisions`,
so every one has its audit row. `security` guards every request (a token, an
HttpOnly cookie, CSRF, loopback by default); `crops` renders the page around a
value from the source file found by its SHA-256 in the store; `ls_export` and
`ls_import` take the queue to Label Studio and its corrections back. docs/review.md
is the guide.
"""
