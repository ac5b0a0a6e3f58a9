-- Undoes a trial's settings: back to the savepoint taken before it. No params.
ROLLBACK TO SAVEPOINT trial;
