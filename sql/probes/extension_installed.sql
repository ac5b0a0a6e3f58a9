-- Whether an extension is installed in this database. Params: extension name. Returns: installed (bool).
SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = ?) AS installed;
