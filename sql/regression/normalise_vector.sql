-- The server's own text of a perturbed query vector: halfvec rounds it, and the ground truth must
-- use what the index sees. A template: {type} is the column's type. Params: vector (text).
-- Returns: the vector as the type prints it.
SELECT (?::{type})::text;
