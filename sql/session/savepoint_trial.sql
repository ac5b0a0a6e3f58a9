-- Marks where a trial inside a measurement transaction starts (a sweep step, the exact search with
-- index scans off), so rolling back to it undoes the trial's settings. No params.
SAVEPOINT trial;
