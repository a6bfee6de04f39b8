"""Archive-scale ingestion: inputs, the plan, executors, the store, exports, progress."""
