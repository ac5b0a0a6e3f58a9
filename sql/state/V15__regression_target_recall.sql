-- The recall target each point was judged against (the job's targetRecall then), so a chart draws
-- the target the run used; NULL for points measured before this column.
ALTER TABLE regression_point ADD COLUMN target_recall double precision;
