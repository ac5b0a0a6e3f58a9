-- Predefined roles the jobs rely on, and whether the daemon's role has their privileges
-- (directly or through membership); 'superuser' stands for rolsuper. No params.
-- Returns: role, member (bool). pg_maintain exists from PostgreSQL 17 on: absent rows mean absent roles.
SELECT r.rolname AS role, pg_has_role(current_user, r.oid, 'USAGE') AS member
FROM pg_roles r
WHERE r.rolname IN ('pg_monitor', 'pg_read_all_stats', 'pg_maintain')
UNION ALL
SELECT 'superuser', rolsuper FROM pg_roles WHERE rolname = current_user;
