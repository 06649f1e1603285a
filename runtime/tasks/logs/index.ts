/** Container logs: the k8s-file records conmon writes, read back as `docker logs` shows them. */
export { readLogs, type LogReadOptions } from './reader.ts';
export type { LogChunk } from './cursor.ts';
export { parseRecord, encodeRecord, encodeWrite, type LogRecord, type LogStream } from './format.ts';
export { LineSplitter, type Line } from './lines.ts';
export { parseTimestamp, formatTimestamp } from './time.ts';
