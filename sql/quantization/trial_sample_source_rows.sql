-- The ctids (on the job's target) of the rows in a lab target's quantization-trial sample, so the
-- probes read on the job's target are taken outside it. A template: {sample} (the quoted scratch
-- table). Returns: source_tid (text).
SELECT source_tid FROM {sample};
