-- 0004: database-wide job leases (docs/multi-host.md, "Jobs that must
-- run once").  One row a job; the host whose holder is written here and
-- whose lease has not expired runs the job.  Times are milliseconds
-- since 1970 by the database's clock, never a host's.  epoch grows by
-- one each time the lease changes hands: work done under the lease
-- checks it in the same unit of work (fencing).
CREATE TABLE job_leases (
	name VARCHAR(64) NOT NULL PRIMARY KEY,
	holder VARCHAR(200) NOT NULL,
	epoch INTEGER NOT NULL CHECK (epoch >= 1),
	expires_at INTEGER NOT NULL,
	taken_at INTEGER NOT NULL
);
