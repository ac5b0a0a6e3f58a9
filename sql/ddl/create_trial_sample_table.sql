-- The quantization-trial's sample table on a lab target, empty: the rows come from the job's own
-- target through COPY (trial_sample_rows_to_copy), in the shape create_trial_sample makes on one server.
-- A template: {sample} (the quoted scratch table), {type} (the column's type with its dimensions).
-- Returns nothing.
CREATE TABLE {sample} (id int, source_tid text, v {type});
