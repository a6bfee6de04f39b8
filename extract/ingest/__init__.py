"""Archive-scale ingestion: inputs, the plan, executors, the store and its revisions, exports, the review
loop's store side (decisions, the review queue), progress."""
