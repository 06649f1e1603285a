/** Reports how a worker thread starts helper processes, and that they run. */
import { parentPort } from 'node:worker_threads';
import { run } from '../../../runtime/util/exec.ts';
import { spawnMethod } from '../../../runtime/util/spawn/index.ts';

const r = await run('sh', ['-c', 'echo from a worker; exit 4'], { allowFail: true });
parentPort!.postMessage({ method: spawnMethod, code: r.code, stdout: r.stdout });
