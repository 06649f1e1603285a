/** What the page thread is started with. */
export interface PageThreadData { dir: string; hostname: string; port: number; socketPath: string }

/** Its one message: Next is prepared and listening, or why not. */
export type PageThreadMessage = { ready: true } | { ready: false; error: string };
