-- 0011: a placeholder on the i10-monitor branch only, so that its
-- migration 0013 runs (versions must run 1..N without gaps).  The
-- migration really numbered 0011 comes from another branch of issue 10:
-- drop this file (and its line in Makefile.am) when merging.
SELECT 1;
