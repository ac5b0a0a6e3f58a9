-- recall after re-ranking, for an index of a reduced form (binary quantization, a subvector):
-- {operator, candidates, recall}; null for an index of full vectors.
ALTER TABLE regression_point ADD COLUMN rerank jsonb;
