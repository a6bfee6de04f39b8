"""Build the validated record of a form: confidence ledger, contract rules, sum repair."""
