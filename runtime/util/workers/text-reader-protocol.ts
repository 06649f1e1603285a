/** Files to read, in one message. */
export interface TextBatch { paths: string[] }

/** Their texts in the same order; null for a file that could not be read. */
export interface TextBatchReply { id: number; texts: (string | null)[] }
