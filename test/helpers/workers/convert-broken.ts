/** A log conversion worker whose module fails to load. */
throw new Error('this worker cannot start');
