/*
 * worker.h: one omsd worker process: a store connection and compiled
 * stylesheets of its own, serving FastCGI requests until told to stop.
 */
#ifndef OMS_WORKER_H
#define OMS_WORKER_H

struct oms_conf;

/* Exit status of a worker that could not start (database, schema or
 * stylesheets): at start or reload the master gives up on the new
 * workers; later it goes on restarting them with back-off, so that a
 * database that comes back is served again without a restart. */
#define OMS_WORKER_EXIT_INIT 3

/*
 * Run a worker on listen_fd.  Writes one byte to ready_fd once it can
 * serve, then serves until SIGTERM, finishing the request in flight.
 * Never returns: exits 0 on a clean stop.
 */
void oms_worker_run(const struct oms_conf *, int listen_fd, int ready_fd)
	__attribute__((noreturn));

#endif /* OMS_WORKER_H */
