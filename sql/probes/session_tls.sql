-- Whether this session is encrypted and how: pg_stat_ssl's row for our own backend. Params: none.
SELECT ssl, version, cipher, bits
FROM pg_stat_ssl
WHERE pid = pg_backend_pid();
